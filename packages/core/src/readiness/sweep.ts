// Each piece of evidence counts on some spans of evaluation days (a project while it is in the
// window, a qualification while valid, a person while insured). Counting is then a sweep over the
// span ends after `at`, sorted once: the forecast finds the first day a requirement's status
// changes in O(n log n), instead of re-evaluating everything on every candidate day.

/**
 * What a span bound is about. One object serves both bounds of a subject (a dated project, a
 * qualification, a period of employment): whether it starts or ends is the bound's side.
 */
export type CauseKind = 'window' | 'qualification' | 'certificate' | 'employment' | 'insurance' | 'listing';

export type CauseNoun =
  'project' | 'ip' | 'staff' | 'qualification' | 'management-certificate' | 'standard' | 'adverse-record';

export interface Cause {
  kind: CauseKind;
  noun: CauseNoun;
  /** Name shown: the project, the person, "张三 PMP". */
  name: string;
  /**
   * The dates the sentence cites. Window: the signing, acceptance, grant, publication or clearing
   * day (both). Otherwise the first day (issue, employment, listing) or the first paid month's
   * first day, and the last valid day or the last paid month's first day.
   */
  start: number;
  end: number;
  basis?: 'signed' | 'accepted' | 'granted' | 'published' | 'cleared';
}

/** A cause on the day it acts: `starts` for a span's start bound, else its end. */
export interface Change {
  cause: Cause;
  starts: boolean;
}

/** Evaluation days [start, end) on which an item counts; ±Infinity when open. */
export interface Span {
  start: number;
  end: number;
  startCause: Cause | null;
  endCause: Cause | null;
}

/** One item of a counter: what it is, and the spans (sorted, disjoint) on which it counts. */
export interface Entry<T> {
  item: T;
  spans: readonly Span[];
}

/** Sorted disjoint union; touching spans merge (a certificate renewed the day after expiry). */
export function unionSpans(spans: readonly Span[]): Span[] {
  if (spans.length <= 1) return spans.slice();
  if (spans.length === 2) {
    // The common case (signing and acceptance, a certificate and its renewal), without copies.
    const [a, b] = spans[0]!.start <= spans[1]!.start ? [spans[0]!, spans[1]!] : [spans[1]!, spans[0]!];
    if (b.start > a.end) return [a, b];
    if (b.end <= a.end) return [a];
    return [{ start: a.start, end: b.end, startCause: a.startCause, endCause: b.endCause }];
  }
  const sorted = spans.slice().sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  let cur: Span = { ...(sorted[0] as Span) };
  for (let i = 1; i < sorted.length; i++) {
    const s = sorted[i] as Span;
    if (s.start <= cur.end) {
      if (s.end > cur.end) {
        cur.end = s.end;
        cur.endCause = s.endCause;
      }
    } else {
      out.push(cur);
      cur = { ...s };
    }
  }
  out.push(cur);
  return out;
}

/** Intersection of two sorted disjoint span lists; each bound keeps the cause of the side that set it. */
export function intersectSpans(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Span;
    const y = b[j] as Span;
    const start = Math.max(x.start, y.start);
    const end = Math.min(x.end, y.end);
    if (start < end) {
      out.push({
        start,
        end,
        startCause: x.start >= y.start ? x.startCause : y.startCause,
        endCause: x.end <= y.end ? x.endCause : y.endCause,
      });
    }
    if (x.end <= y.end) i++;
    else j++;
  }
  return out;
}

/** Whether day `d` lies in one of the spans. */
export function inSpans(spans: readonly Span[], d: number): boolean {
  for (const s of spans) if (s.start <= d && d < s.end) return true;
  return false;
}

/** Items of a counter that count on day `d`. */
export function entriesAt<T>(entries: readonly Entry<T>[], d: number): T[] {
  const out: T[] = [];
  for (const e of entries) if (inSpans(e.spans, d)) out.push(e.item);
  return out;
}

/** How many items of a counter count on day `d`. */
export function countAt(entries: readonly Entry<unknown>[], d: number): number {
  let n = 0;
  for (const e of entries) if (inSpans(e.spans, d)) n++;
  return n;
}

export interface SweepChange<S> {
  /** First day (after `at`) with a different status. */
  day: number;
  status: S;
  /** Counter values from that day. */
  counts: number[];
  /** What changed on that day (entries and exits, in no particular order). */
  changes: Change[];
}

// Event keys pack (day offset, event index) into one float so a plain typed-array sort orders them
// by day; INDEX_SPACE bounds the number of events.
const INDEX_SPACE = 2 ** 23;

/**
 * The first day in (at, until] on which `status(counts)` differs from `statusAt`, with the counts
 * and causes of that day; null when it holds through `until`. All changes of a day apply together.
 */
export function sweep<S>(
  counters: readonly (readonly Entry<unknown>[])[],
  at: number,
  until: number,
  status: (counts: readonly number[]) => S,
  statusAt: S,
): SweepChange<S> | null {
  const counts = counters.map(() => 0);
  let n = 0;
  for (let c = 0; c < counters.length; c++) {
    for (const e of counters[c] as readonly Entry<unknown>[]) {
      for (const s of e.spans) {
        if (s.start <= at && at < s.end) counts[c]!++;
        if (s.start > at && s.start <= until) n++;
        if (s.end > at && s.end <= until) n++;
      }
    }
  }
  if (n === 0) return null;
  if (n >= INDEX_SPACE) throw new RangeError('Too many evidence changes to forecast');
  const keys = new Float64Array(n);
  const counter = new Uint8Array(n);
  const delta = new Int8Array(n);
  const cause: (Cause | null)[] = new Array<Cause | null>(n);
  let k = 0;
  const push = (day: number, c: number, d: number, why: Cause | null) => {
    keys[k] = (day - at) * INDEX_SPACE + k;
    counter[k] = c;
    delta[k] = d;
    cause[k] = why;
    k++;
  };
  for (let c = 0; c < counters.length; c++) {
    for (const e of counters[c] as readonly Entry<unknown>[]) {
      for (const s of e.spans) {
        if (s.start > at && s.start <= until) push(s.start, c, 1, s.startCause);
        if (s.end > at && s.end <= until) push(s.end, c, -1, s.endCause);
      }
    }
  }
  keys.sort();
  let i = 0;
  while (i < n) {
    const offset = Math.floor((keys[i] as number) / INDEX_SPACE);
    const first = i;
    while (i < n && Math.floor((keys[i] as number) / INDEX_SPACE) === offset) {
      const idx = (keys[i] as number) - offset * INDEX_SPACE;
      counts[counter[idx] as number]! += delta[idx] as number;
      i++;
    }
    const st = status(counts);
    if (st !== statusAt) {
      const changes: Change[] = [];
      for (let j = first; j < i; j++) {
        const idx = (keys[j] as number) - offset * INDEX_SPACE;
        const why = cause[idx];
        if (why) changes.push({ cause: why, starts: delta[idx] === 1 });
      }
      return { day: at + offset, status: st, counts: counts.slice(), changes };
    }
  }
  return null;
}
