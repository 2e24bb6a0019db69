// The history step's form: what a certificate entered after its issue date already went through
// (supervisions or annual self-checks, routine duties kept), turned into the API's body.
import type { Level } from '@zizhi/core';
import type { Dayjs } from 'dayjs';
import type { HistoryInput, Obligation } from '../../api/types';

/** CS3–CS5 have supervisions; CS1/CS2 submit annual self-checks instead. */
export function hasSupervisions(level: Level): boolean {
  return level !== 'CS1' && level !== 'CS2';
}

/** A certificate issued before today may have a past to record. */
export function needsHistoryStep(issuedOn: string, today: string): boolean {
  return issuedOn < today;
}

export interface SupervisionRow {
  /** Ticked: it took place. */
  done?: boolean;
  /** The duty the row stands for (`supervision.first` …); absent for a row the user added. */
  rule?: string;
  windowStart?: string | null;
  dueDate?: string;
  date?: Dayjs | null;
  passed?: boolean;
}

export interface SelfCheckRow {
  done?: boolean;
  year?: number | null;
  dueDate?: string;
  date?: Dayjs | null;
  result?: 'normal' | 'abnormal';
}

export interface HistoryFormValues {
  supervisions?: SupervisionRow[];
  selfChecks?: SelfCheckRow[];
  periodic?: boolean;
  periodicDoneBefore?: Dayjs | null;
  /** `due`: each duty completed on its own due date; `date`: all on `periodicCompletedOn`. */
  completion?: 'due' | 'date';
  periodicCompletedOn?: Dayjs | null;
}

const SUPERVISION_RULES = ['supervision.first', 'supervision.second'];

/** Still to be done per the stored rows (not done, waived or cancelled). */
function isPending(o: Pick<Obligation, 'status'>): boolean {
  return o.status === 'open' || o.status === 'in_progress';
}

/** `self-check.annual:2026` → 2026. */
function yearOfKey(key: string): number | null {
  const m = /:(\d{4})$/.exec(key);
  return m ? Number(m[1]) : null;
}

/**
 * The rows to offer: each supervision whose window has opened and each self-check year already due,
 * none of them recorded yet, unticked; routine duties up to today, unticked.
 */
export function initialHistoryValues(
  level: Level,
  obligations: readonly Pick<Obligation, 'rule' | 'key' | 'status' | 'dueDate' | 'windowStart'>[],
  today: string,
): HistoryFormValues {
  const pending = obligations.filter(isPending).sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const supervisions: SupervisionRow[] = hasSupervisions(level)
    ? pending
        .filter((o) => SUPERVISION_RULES.includes(o.rule) && (o.windowStart ?? o.dueDate) <= today)
        .map((o) => ({ done: false, rule: o.rule, windowStart: o.windowStart, dueDate: o.dueDate }))
    : [];
  const selfChecks: SelfCheckRow[] = hasSupervisions(level)
    ? []
    : pending
        .filter((o) => o.rule === 'self-check.annual' && o.dueDate <= today)
        .map((o) => ({ done: false, year: yearOfKey(o.key), dueDate: o.dueDate, result: 'normal' as const }));
  return { supervisions, selfChecks, periodic: false, completion: 'due' };
}

export type HistoryBody =
  /** Nothing ticked: nothing to preview or save. */
  | { kind: 'empty' }
  /** Something ticked but a date, year or result is missing. */
  | { kind: 'incomplete' }
  | { kind: 'ready'; input: HistoryInput };

const day = (d: Dayjs) => d.format('YYYY-MM-DD');

/** The form's values as the API body, or why there is none yet. */
export function toHistoryBody(values: HistoryFormValues, level: Level): HistoryBody {
  let incomplete = false;
  const supervisions: NonNullable<HistoryInput['supervisions']> = [];
  const selfChecks: NonNullable<HistoryInput['selfChecks']> = [];
  if (hasSupervisions(level)) {
    for (const row of values.supervisions ?? []) {
      if (!row?.done) continue;
      if (!row.date || typeof row.passed !== 'boolean') incomplete = true;
      else supervisions.push({ date: day(row.date), passed: row.passed });
    }
  } else {
    for (const row of values.selfChecks ?? []) {
      if (!row?.done) continue;
      if (!row.date || !row.year || !row.result) incomplete = true;
      else selfChecks.push({ year: row.year, date: day(row.date), result: row.result });
    }
  }
  let periodic: Pick<HistoryInput, 'periodicDoneBefore' | 'periodicCompletedOn'> = {};
  if (values.periodic) {
    if (!values.periodicDoneBefore) incomplete = true;
    else if (values.completion === 'date') {
      if (!values.periodicCompletedOn) incomplete = true;
      else
        periodic = {
          periodicDoneBefore: day(values.periodicDoneBefore),
          periodicCompletedOn: day(values.periodicCompletedOn),
        };
    } else periodic = { periodicDoneBefore: day(values.periodicDoneBefore) };
  }
  if (incomplete) return { kind: 'incomplete' };
  if (supervisions.length === 0 && selfChecks.length === 0 && !periodic.periodicDoneBefore) return { kind: 'empty' };
  return {
    kind: 'ready',
    input: {
      ...(supervisions.length > 0 ? { supervisions } : {}),
      ...(selfChecks.length > 0 ? { selfChecks } : {}),
      ...periodic,
    },
  };
}
