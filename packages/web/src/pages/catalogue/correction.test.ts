import { describe, expect, it } from 'vitest';
import type { CatalogueItem } from '../../api/supervision';
import { correctionOf } from './correction';

const item: CatalogueItem = {
  id: 'SM.1.2',
  domain: '战略管理',
  domainId: 'strategy',
  subdomain: '战略定位',
  name: '战略分析',
  en: { domain: 'Strategic management', subdomain: 'Strategic positioning', name: 'Strategic analysis' },
  confidence: 'low',
  source: '公开资料',
  evidence: ['meeting-minutes'],
  corrected: null,
};
const values = { name: '战略分析', subdomain: '战略定位', evidence: ['meeting-minutes' as const], note: '' };

describe('the correction a form sends', () => {
  it('is nothing when every value equals the default, whatever the order of the evidence kinds', () => {
    expect(correctionOf(item, values)).toBeNull();
    const two = { ...item, evidence: ['meeting-minutes', 'audit-reports'] as CatalogueItem['evidence'] };
    expect(correctionOf(two, { ...values, evidence: ['audit-reports', 'meeting-minutes'] })).toBeNull();
  });

  it('holds only what differs from the shipped item, trimmed, with the note', () => {
    expect(correctionOf(item, { ...values, name: ' 战略分析与评审 ', note: ' 按清单 ' })).toEqual({
      name: '战略分析与评审',
      subdomain: null,
      evidence: null,
      note: '按清单',
    });
    expect(correctionOf(item, { ...values, evidence: [] })).toMatchObject({ name: null, evidence: [] });
  });

  it('compares with the shipped values, not the corrected ones, when the item is already corrected', () => {
    const corrected: CatalogueItem = {
      ...item,
      name: '战略分析与评审',
      corrected: { note: null, shipped: { name: '战略分析', subdomain: '战略定位', evidence: ['meeting-minutes'] } },
    };
    // Typed back to the default: nothing left to correct.
    expect(correctionOf(corrected, values)).toBeNull();
    expect(correctionOf(corrected, { ...values, name: '战略分析与评审' })).toMatchObject({ name: '战略分析与评审' });
  });
});
