// The supervision planner: shares a level's capability items between the supervision visits of a
// certificate so that together they cover every item, and checks the rules the measures set. Each
// visit has at least half the person-days of the initial assessment, and the visits of the
// validity period together cover every process requirement and metric of the level.
//
// A visit's reach is counted from the initial assessment, which covered all N items in its
// person-days: a visit of d person-days covers about N·d/initial items, rounded up. Two visits of
// half the days each then cover all items; a shorter visit may leave some uncovered, and the plan
// says so. Items a person placed on a visit stay there; the planner fills the rest in catalogue
// order, so that a sub-domain tends to stay on one visit.

export interface PlannerItem {
  id: string;
  name: string;
}

export interface PlannedVisitInput {
  /** China calendar date, YYYY-MM-DD. */
  date: string;
  personDays: number;
  /** Items a person placed on this visit; left to the planner when absent. */
  itemIds?: readonly string[];
}

export interface PlanInput {
  /** The level's items in catalogue order. */
  items: readonly PlannerItem[];
  initialPersonDays: number;
  visits: readonly PlannedVisitInput[];
}

export type PlanProblemCode = 'too-few-visits' | 'visit-too-short' | 'items-uncovered' | 'visit-overloaded';

export interface PlanProblem {
  code: PlanProblemCode;
  /** The visit it concerns (index in date order), when one. */
  visit?: number;
  zh: string;
  en: string;
}

export interface PlannedVisit {
  date: string;
  personDays: number;
  itemIds: string[];
  /** How many items the visit's person-days reach. */
  capacity: number;
}

export interface Plan {
  /** In date order. */
  visits: PlannedVisit[];
  /** Items no visit covers, in catalogue order. */
  missingItemIds: string[];
  problems: PlanProblem[];
}

/** The measures ask for at least this many supervisions in a validity period (CS3 and above). */
export const MIN_SUPERVISIONS = 2;

/** How many of `total` items a visit of `personDays` reaches, against an initial assessment of `initial` days. */
export function visitCapacity(total: number, personDays: number, initial: number): number {
  if (!(initial > 0) || !(personDays > 0)) return 0;
  // Person-days are entered to one decimal: scale to whole tenths so that 0.5 × 46 is exactly 23.
  const reach = Math.ceil((total * Math.round(personDays * 10)) / Math.round(initial * 10) - 1e-9);
  return Math.min(total, Math.max(0, reach));
}

const days = (n: number) => String(Math.round(n * 10) / 10);

export function planSupervisions(input: PlanInput): Plan {
  const { items, initialPersonDays: initial } = input;
  const known = new Set(items.map((i) => i.id));
  const order = new Map(items.map((item, i) => [item.id, i]));
  const visits = [...input.visits]
    .map((v, i) => ({ ...v, i }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.i - b.i)
    .map((v) => ({
      date: v.date,
      personDays: v.personDays,
      pinned: v.itemIds !== undefined,
      itemIds: [...new Set((v.itemIds ?? []).filter((id) => known.has(id)))].sort(
        (a, b) => order.get(a)! - order.get(b)!,
      ),
      capacity: visitCapacity(items.length, v.personDays, initial),
    }));

  // The rest, shared between the visits left to the planner in proportion to their free reach.
  const placed = new Set(visits.flatMap((v) => v.itemIds));
  const rest = items.filter((item) => !placed.has(item.id)).map((item) => item.id);
  const open = visits.filter((v) => !v.pinned);
  const free = open.map((v) => Math.max(0, v.capacity - v.itemIds.length));
  const totalFree = free.reduce((a, b) => a + b, 0);
  const share = shares(Math.min(rest.length, totalFree), free);
  let next = 0;
  open.forEach((v, k) => {
    v.itemIds.push(...rest.slice(next, next + share[k]!));
    next += share[k]!;
  });
  const missingItemIds = rest.slice(next);

  const problems: PlanProblem[] = [];
  if (visits.length < MIN_SUPERVISIONS) {
    problems.push({
      code: 'too-few-visits',
      zh: `证书有效期内至少需要 ${MIN_SUPERVISIONS} 次监督评估，目前计划了 ${visits.length} 次`,
      en: `At least ${MIN_SUPERVISIONS} supervisions are needed in the validity period; ${visits.length} planned`,
    });
  }
  visits.forEach((v, i) => {
    if (v.personDays * 2 < initial) {
      problems.push({
        code: 'visit-too-short',
        visit: i,
        zh: `第 ${i + 1} 次监督评估（${v.date}）计划 ${days(v.personDays)} 人天，少于初次评估 ${days(initial)} 人天的一半（${days(initial / 2)} 人天）`,
        en: `Supervision ${i + 1} (${v.date}) has ${days(v.personDays)} person-days, less than half of the initial assessment’s ${days(initial)} (${days(initial / 2)})`,
      });
    }
    if (v.pinned && v.itemIds.length > v.capacity) {
      problems.push({
        code: 'visit-overloaded',
        visit: i,
        zh: `第 ${i + 1} 次监督评估（${v.date}）安排了 ${v.itemIds.length} 个能力项，按 ${days(v.personDays)} 人天约能覆盖 ${v.capacity} 个`,
        en: `Supervision ${i + 1} (${v.date}) has ${v.itemIds.length} items; ${days(v.personDays)} person-days reach about ${v.capacity}`,
      });
    }
  });
  if (missingItemIds.length > 0) {
    const names = new Map(items.map((i) => [i.id, i.name]));
    const listed = missingItemIds.slice(0, 5).map((id) => names.get(id)!);
    const more = missingItemIds.length > 5 ? `等 ${missingItemIds.length} 个` : '';
    problems.push({
      code: 'items-uncovered',
      zh:
        `${missingItemIds.length} 个能力项没有安排在任何一次监督评估中：${listed.join('、')}${more}。` +
        '请增加监督评估的人天，或把它们安排到尚有余量的一次',
      en:
        `${missingItemIds.length} items are on no supervision: ${listed.join(', ')}${missingItemIds.length > 5 ? ' …' : ''}. ` +
        'Add person-days, or place them on a visit with room left',
    });
  }
  return {
    visits: visits.map(({ date, personDays, itemIds, capacity }) => ({ date, personDays, itemIds, capacity })),
    missingItemIds,
    problems,
  };
}

/** `total` split in proportion to `weights` (largest remainder), never more than a weight. */
function shares(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left === 0) break;
    if (out[i]! < weights[i]!) {
      out[i]! += 1;
      left -= 1;
    }
  }
  return out;
}
