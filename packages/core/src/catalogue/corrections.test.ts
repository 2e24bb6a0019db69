import { describe, expect, it } from 'vitest';
import { catalogueVersion, DEFAULT_CATALOGUE_VERSION } from './catalogue.js';
import { correctCatalogue } from './corrections.js';
import { evidenceSourcesOf } from './evidence-map.js';

const shipped = catalogueVersion(DEFAULT_CATALOGUE_VERSION)!;

describe('a workspace’s corrections of the catalogue', () => {
  it('keeps every item as shipped, with its evidence, when nothing is corrected', () => {
    const c = correctCatalogue(shipped, []);
    expect(c.items).toHaveLength(46);
    for (const item of c.items) {
      expect(item.corrected).toBeUndefined();
      expect(item.evidence).toEqual(evidenceSourcesOf(item.id));
    }
  });

  it('replaces the Chinese name, sub-domain and evidence it is given, keeps the rest and remembers the shipped values', () => {
    const first = shipped.items[0]!;
    const c = correctCatalogue(shipped, [
      { itemId: first.id, name: '发展战略制定', evidence: ['meeting-minutes'], note: '以评估机构的清单为准' },
      { itemId: 'XX.9.9', name: '不存在的能力项' },
    ]);
    const item = c.items[0]!;
    expect(item).toMatchObject({
      id: first.id,
      name: { zh: '发展战略制定', en: first.name.en },
      subdomain: first.subdomain,
      evidence: ['meeting-minutes'],
      corrected: {
        note: '以评估机构的清单为准',
        shipped: { name: first.name.zh, subdomain: first.subdomain.zh, evidence: evidenceSourcesOf(first.id) },
      },
    });
    expect(c.items.slice(1)).toEqual(correctCatalogue(shipped, []).items.slice(1));
    expect(c.items.map((i) => i.id)).toEqual(shipped.items.map((i) => i.id));
  });

  it('takes an empty evidence list as "none in the registry", and a correction of nothing as no correction', () => {
    const id = shipped.items[5]!.id;
    expect(correctCatalogue(shipped, [{ itemId: id, evidence: [] }]).items[5]).toMatchObject({ evidence: [] });
    expect(correctCatalogue(shipped, [{ itemId: id, note: '只有备注' }]).items[5]!.corrected).toBeUndefined();
  });
});
