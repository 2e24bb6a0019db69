import { describe, expect, it } from 'vitest';
import { INDUSTRY_GUIDANCE, OBLIGATION_RULES, SOURCE_LABELS, getRule, sourceLabel } from '../index.js';

describe('sourceLabel', () => {
  it('turns the stored codes into words in Chinese and in English', () => {
    expect(sourceLabel('M, S', 'zh')).toBe('办法、行业惯例');
    expect(sourceLabel('M, S', 'en')).toBe('the measures, industry practice');
    expect(sourceLabel('M, S, X', 'zh')).toBe('办法、行业惯例、本产品假设');
    expect(sourceLabel('S, X', 'en')).toBe('industry practice, our assumption');
  });

  it('takes the codes as an array as well as the stored string', () => {
    expect(sourceLabel(['S', 'M'], 'zh')).toBe(sourceLabel('S, M', 'zh'));
    expect(sourceLabel(['X'], 'en')).toBe('our assumption');
    expect(sourceLabel('M,S', 'zh')).toBe('办法、行业惯例');
  });

  it('has a label for an official interpretation and names the Civil Code only as counting', () => {
    expect(sourceLabel('O', 'zh')).toBe('官方解读');
    expect(sourceLabel('O', 'en')).toBe('official interpretation');
    expect(sourceLabel('A', 'zh')).toBe('《民法典》期间计算');
    expect(OBLIGATION_RULES.some((r) => r.sources.includes('A'))).toBe(false);
  });

  it('shows an unknown code as it is, and nothing for no sources', () => {
    expect(sourceLabel('M, Q', 'zh')).toBe('办法、Q');
    expect(sourceLabel('', 'en')).toBe('');
    expect(sourceLabel([], 'zh')).toBe('');
  });

  it('labels every source a rule uses, in both languages, never with a bare code', () => {
    for (const r of OBLIGATION_RULES) {
      for (const lang of ['zh', 'en'] as const) {
        const label = sourceLabel(r.sources, lang);
        expect(label.length).toBeGreaterThan(1);
        expect(label.split(lang === 'zh' ? '、' : ', ')).not.toContain(expect.stringMatching(/^[A-Z]$/));
      }
    }
    for (const l of Object.values(SOURCE_LABELS)) expect(l.zh && l.en).toBeTruthy();
  });
});

describe('rule texts', () => {
  it('say "per industry guidance" for every rule resting on industry guidance alone', () => {
    const guidanceOnly = OBLIGATION_RULES.filter((r) => r.sources.filter((s) => s !== 'X').join() === 'S');
    expect(guidanceOnly.map((r) => r.id)).toContain('complaint.response');
    expect(guidanceOnly.length).toBeGreaterThan(8);
    for (const r of guidanceOnly) {
      expect(r.descriptionZh, r.id).toContain(INDUSTRY_GUIDANCE.zh);
      expect(r.descriptionEn.toLowerCase(), r.id).toContain(INDUSTRY_GUIDANCE.en);
    }
    // The measures are not industry guidance.
    for (const r of OBLIGATION_RULES.filter((x) => x.sources.includes('M'))) {
      expect(r.descriptionZh, r.id).not.toContain(INDUSTRY_GUIDANCE.zh);
    }
  });

  it('ask for the major-change application within 90 days, not a completed on-site assessment', () => {
    const r = getRule('change.major');
    expect(r).toMatchObject({ count: 90, unit: 'days' });
    expect(r.titleZh).toContain('提出重大变更申请');
    expect(r.descriptionZh).toContain('90 日内向评估机构提出重大变更申请');
    expect(r.descriptionZh).not.toContain('并完成现场评估');
    expect(r.titleEn).toContain('Submit the major-change application');
    expect(r.descriptionEn).toContain('need not be completed');
  });

  it('say that sources differ on the renewal date and that we treat it as the deadline', () => {
    const r = getRule('renewal.apply');
    for (const text of [r.descriptionZh, r.assumptionZh ?? '']) {
      expect(text).toContain('“期满前 3 个月”是开始提交的时间还是提交截止日说法不一');
      expect(text).toContain('按截止日计');
    }
    // The reminder window is the description's; the basis adds its date itself.
    expect(r.descriptionZh).toContain('期满前 6 个月起提醒');
    for (const text of [r.descriptionEn, r.assumptionEn ?? '']) {
      expect(text).toMatch(/[Ss]ources differ on whether “3 months before expiry” opens the application window/);
      expect(text).toContain('as the deadline');
    }
    expect(r.descriptionEn).toContain('from 6 months before expiry');
  });

  it('write assumptions as one clause that reads on after "本产品假设：" / "our assumption: "', () => {
    const withAssumption = OBLIGATION_RULES.filter((r) => r.assumptionZh);
    expect(withAssumption.length).toBeGreaterThan(3);
    for (const r of withAssumption) {
      expect(r.assumptionEn, r.id).toBeTruthy();
      expect(r.assumptionZh, r.id).not.toMatch(/[。；]$/);
      expect(r.assumptionEn, r.id).not.toMatch(/[.;]$/);
      expect(r.assumptionEn, r.id).toMatch(/^[a-z]/);
      expect(r.assumptionZh, r.id).not.toMatch(/假设/);
    }
  });
});
