import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAPABILITY_CATALOGUES, CAPABILITY_DOMAINS } from './catalogue.js';
import { planSupervisions, visitCapacity, type PlannerItem } from './planner.js';

const catalogue = CAPABILITY_CATALOGUES[0]!;
const ITEMS: PlannerItem[] = catalogue.items.map((i) => ({ id: i.id, name: i.name.zh }));

describe('the capability catalogue', () => {
  it('has 4 domains, 17 sub-domains and 46 items with unique ids, each with a confidence and a source', () => {
    expect(catalogue.items).toHaveLength(46);
    expect(new Set(catalogue.items.map((i) => i.id)).size).toBe(46);
    expect(new Set(catalogue.items.map((i) => `${i.domain}/${i.subdomain.zh}`)).size).toBe(17);
    const perDomain = CAPABILITY_DOMAINS.map((d) => catalogue.items.filter((i) => i.domain === d).length);
    expect(perDomain).toEqual([8, 10, 20, 8]);
    for (const item of catalogue.items) {
      expect(['high', 'medium', 'low']).toContain(item.confidence);
      expect(item.source).not.toMatch(/DOMAIN|\.md|§/);
      expect(item.name.en).not.toBe('');
    }
    expect(catalogue.items.find((i) => i.name.zh === '技术先进性')?.confidence).toBe('low');
    expect(catalogue.items.find((i) => i.name.zh === '投标')?.confidence).toBe('medium');
  });
});

describe('the supervision planner', () => {
  it('shares the 46 items between two visits of half the initial days each, sub-domains in order', () => {
    const plan = planSupervisions({
      items: ITEMS,
      initialPersonDays: 10,
      visits: [
        { date: '2028-03-01', personDays: 5 },
        { date: '2027-03-01', personDays: 5 },
      ],
    });
    expect(plan.problems).toEqual([]);
    expect(plan.missingItemIds).toEqual([]);
    expect(plan.visits.map((v) => v.date)).toEqual(['2027-03-01', '2028-03-01']);
    expect(plan.visits.map((v) => v.itemIds.length)).toEqual([23, 23]);
    expect(plan.visits[0]!.itemIds[0]).toBe(ITEMS[0]!.id);
    expect([...plan.visits[0]!.itemIds, ...plan.visits[1]!.itemIds]).toEqual(ITEMS.map((i) => i.id));
  });

  it('names a visit under half the initial days and the items no visit reaches', () => {
    const plan = planSupervisions({
      items: ITEMS,
      initialPersonDays: 12,
      visits: [
        { date: '2027-05-10', personDays: 4 },
        { date: '2028-05-10', personDays: 6 },
      ],
    });
    expect(plan.problems.map((p) => p.zh)).toEqual([
      '第 1 次监督评估（2027-05-10）计划 4 人天，少于初次评估 12 人天的一半（6 人天）',
      expect.stringMatching(/^7 个能力项没有安排在任何一次监督评估中：.+等 7 个。请增加监督评估的人天/),
    ]);
    expect(plan.missingItemIds).toHaveLength(46 - 16 - 23);
  });

  it('asks for a second visit', () => {
    const plan = planSupervisions({
      items: ITEMS,
      initialPersonDays: 8,
      visits: [{ date: '2027-01-05', personDays: 8 }],
    });
    expect(plan.missingItemIds).toEqual([]);
    expect(plan.problems.map((p) => p.code)).toEqual(['too-few-visits']);
    expect(plan.problems[0]!.zh).toBe('证书有效期内至少需要 2 次监督评估，目前计划了 1 次');
  });

  it('keeps the items a person placed and fills the other visit with the rest', () => {
    const mine = [ITEMS[45]!.id, ITEMS[0]!.id];
    const plan = planSupervisions({
      items: ITEMS,
      initialPersonDays: 10,
      visits: [
        { date: '2027-03-01', personDays: 5, itemIds: mine },
        { date: '2028-03-01', personDays: 10 },
      ],
    });
    expect(plan.visits[0]!.itemIds).toEqual([ITEMS[0]!.id, ITEMS[45]!.id]);
    expect(plan.visits[1]!.itemIds).toHaveLength(44);
    expect(plan.missingItemIds).toEqual([]);
  });

  it('says when a person placed more items on a visit than its days reach', () => {
    const plan = planSupervisions({
      items: ITEMS,
      initialPersonDays: 10,
      visits: [
        { date: '2027-03-01', personDays: 5, itemIds: ITEMS.map((i) => i.id) },
        { date: '2028-03-01', personDays: 5 },
      ],
    });
    expect(plan.problems.map((p) => p.code)).toEqual(['visit-overloaded']);
    expect(plan.problems[0]!.zh).toBe('第 1 次监督评估（2027-03-01）安排了 46 个能力项，按 5 人天约能覆盖 23 个');
    expect(plan.visits[1]!.itemIds).toEqual([]);
  });

  // Random catalogues and budgets: the plan covers every item whenever the visits' reach allows,
  // places each item once, and names every visit under half the initial days.
  it('covers every item whenever the visits reach it, for random catalogues and budgets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 90 }),
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 4 }),
        (count, initialTenths, visitTenths) => {
          const items = Array.from({ length: count }, (_, i) => ({ id: `I${i}`, name: `能力项${i}` }));
          const initial = initialTenths / 10;
          const visits = visitTenths.map((d, i) => ({ date: `2027-0${i + 1}-01`, personDays: d / 10 }));
          const plan = planSupervisions({ items, initialPersonDays: initial, visits });
          const reach = visits.reduce((sum, v) => sum + visitCapacity(count, v.personDays, initial), 0);
          const placed = plan.visits.flatMap((v) => v.itemIds);
          // Each item exactly once, on a visit or missing.
          expect([...placed, ...plan.missingItemIds].sort()).toEqual(items.map((i) => i.id).sort());
          // Never more on a visit than its days reach.
          for (const v of plan.visits) expect(v.itemIds.length).toBeLessThanOrEqual(v.capacity);
          // Complete whenever the visits reach every item; else the gap is explained.
          expect(plan.missingItemIds.length === 0).toBe(reach >= count);
          expect(plan.problems.some((p) => p.code === 'items-uncovered')).toBe(reach < count);
          // Two visits of at least half the initial days always reach every item.
          if (visits.length >= 2 && visits.every((v) => v.personDays * 2 >= initial)) {
            expect(plan.missingItemIds).toEqual([]);
            expect(plan.problems).toEqual([]);
          }
          const short = visits.filter((v) => v.personDays * 2 < initial).length;
          expect(plan.problems.filter((p) => p.code === 'visit-too-short')).toHaveLength(short);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the evidence map', () => {
  it('names only items of the catalogue and kinds of evidence that exist', async () => {
    const { ITEM_EVIDENCE, EVIDENCE_SOURCES, EVIDENCE_SOURCE_NAMES } = await import('./evidence-map.js');
    const ids = new Set(catalogue.items.map((i) => i.id));
    for (const [item, sources] of Object.entries(ITEM_EVIDENCE)) {
      expect(ids.has(item), item).toBe(true);
      for (const s of sources) expect(EVIDENCE_SOURCES).toContain(s);
    }
    for (const s of EVIDENCE_SOURCES) expect(EVIDENCE_SOURCE_NAMES[s].zh).not.toBe('');
  });
});
