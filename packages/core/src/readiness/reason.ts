// The forecast's reason: what changes on the day a requirement's status changes, grouped so a
// window roll that moves 200 projects out reads as one clause.
import { civilFromDay, formatDay } from '../calendar/days.js';
import type { RequirementWindow } from '../scheme/requirements.js';
import type { Cause, CauseNoun, Change } from './sweep.js';
import { cat, lowerFirst, nameList, type Localized } from './text.js';
import { windowName } from './window.js';

const NOUNS: Readonly<Record<CauseNoun, { zh: string; en: string; measure: string }>> = {
  project: { zh: '项目', en: 'projects', measure: '个' },
  ip: { zh: '知识产权', en: 'IP items', measure: '项' },
  staff: { zh: '人员', en: 'staff', measure: '人' },
  qualification: { zh: '证书', en: 'certificates', measure: '张' },
  'management-certificate': { zh: '证书', en: 'certificates', measure: '张' },
  standard: { zh: '标准', en: 'standards', measure: '项' },
  'adverse-record': { zh: '不良记录', en: 'adverse records', measure: '条' },
};

const BASIS: Readonly<Record<NonNullable<Cause['basis']>, { zh: string; en: string }>> = {
  signed: { zh: '签约', en: 'signed' },
  accepted: { zh: '验收', en: 'accepted' },
  granted: { zh: '取得', en: 'granted' },
  published: { zh: '发布', en: 'published' },
  cleared: { zh: '移出名录', en: 'cleared' },
};

type ClauseKind =
  | 'window-exit'
  | 'window-entry'
  | 'expires'
  | 'takes-effect'
  | 'employment-ends'
  | 'employment-starts'
  | 'insurance-ends'
  | 'insurance-starts'
  | 'listed';

// Losses first: they are why a met requirement stops being met.
const ORDER: readonly ClauseKind[] = [
  'listed',
  'window-exit',
  'expires',
  'employment-ends',
  'insurance-ends',
  'window-entry',
  'takes-effect',
  'employment-starts',
  'insurance-starts',
];

function clauseKind(c: Change): ClauseKind {
  switch (c.cause.kind) {
    case 'window':
      return c.starts ? 'window-entry' : 'window-exit';
    case 'qualification':
    case 'certificate':
      return c.starts ? 'takes-effect' : 'expires';
    case 'employment':
      return c.starts ? 'employment-starts' : 'employment-ends';
    case 'insurance':
      return c.starts ? 'insurance-starts' : 'insurance-ends';
    case 'listing':
      // A listing's span ends through the window (its clearing day leaves it), never here.
      return 'listed';
  }
}

interface Group {
  kind: ClauseKind;
  noun: CauseNoun;
  basis: Cause['basis'];
  /** The year (calendar-years window roll), else null and `date` is cited. */
  year: number | null;
  date: number;
  names: Set<string>;
}

function clause(g: Group, w: RequirementWindow): Localized {
  const noun = NOUNS[g.noun];
  const names = nameList([...g.names], noun.measure);
  const date = formatDay(g.date);
  const month = date.slice(0, 7);
  const win = windowName(w);
  switch (g.kind) {
    case 'window-exit':
    case 'window-entry': {
      const basis = BASIS[g.basis ?? 'signed'];
      const verbZh = g.kind === 'window-exit' ? '移出' : '进入';
      const verbEn = g.kind === 'window-exit' ? 'leave' : 'enter';
      const when = g.year !== null ? { zh: `${g.year} 年`, en: `in ${g.year}` } : { zh: date, en: `on ${date}` };
      return {
        zh: cat(when.zh, `${basis.zh}的${noun.zh}（${names.zh}）${verbZh}${win.zh}窗口`),
        en: `${noun.en} ${basis.en} ${when.en} (${names.en}) ${verbEn} the window of ${win.en}`,
      };
    }
    case 'expires':
      return {
        zh: cat(names.zh, `证书到期（有效期至 ${date}）`),
        en: `certificates expire: ${names.en} (valid until ${date})`,
      };
    case 'takes-effect':
      return { zh: cat(names.zh, `证书生效（${date}）`), en: `certificates take effect: ${names.en} (${date})` };
    case 'employment-ends':
      return { zh: cat(names.zh, `离职（最后工作日 ${date}）`), en: `${names.en} leave (last day ${date})` };
    case 'employment-starts':
      return { zh: cat(names.zh, `入职（${date}）`), en: `${names.en} join (${date})` };
    case 'insurance-ends':
      return {
        zh: cat(names.zh, `社保停缴（最后缴费月份 ${month}）`),
        en: `social insurance ends for ${names.en} (last paid month ${month})`,
      };
    case 'insurance-starts':
      return {
        zh: cat(names.zh, `开始缴纳社保（${month}）`),
        en: `social insurance starts for ${names.en} (${month})`,
      };
    case 'listed':
      return { zh: `新增不良记录：${names.zh}`, en: `new adverse record: ${names.en}` };
  }
}

/** The clauses for a day's changes, at most `max` groups. */
export function describeChanges(changes: readonly Change[], w: RequirementWindow, max = 3): Localized {
  const groups = new Map<string, Group>();
  const seen = new Set<Cause>();
  for (const c of changes) {
    if (seen.has(c.cause)) continue;
    seen.add(c.cause);
    const kind = clauseKind(c);
    const isWindow = c.cause.kind === 'window';
    const date = isWindow || c.starts ? c.cause.start : c.cause.end;
    const year = isWindow && w.kind === 'calendar-years' ? civilFromDay(date)[0] : null;
    const key = `${kind}|${c.cause.noun}|${c.cause.basis ?? ''}|${year ?? date}`;
    let g = groups.get(key);
    if (!g) {
      g = { kind, noun: c.cause.noun, basis: c.cause.basis, year, date, names: new Set() };
      groups.set(key, g);
    }
    g.names.add(c.cause.name);
  }
  const sorted = [...groups.values()].sort(
    (a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || b.names.size - a.names.size || a.date - b.date,
  );
  const shown = sorted.slice(0, max).map((g) => clause(g, w));
  const more = sorted.length > max;
  return {
    zh: shown.map((c) => c.zh).join('；') + (more ? '；及其他变化' : ''),
    en: shown.map((c) => c.en).join('; ') + (more ? '; and other changes' : ''),
  };
}

/** "2027-01-01 起 <clauses>，<summary>" / "From 2027-01-01: <clauses>; <summary>". */
export function reasonText(day: number, clauses: Localized, summary: Localized): Localized {
  const date = formatDay(day);
  const zh = clauses.zh ? cat(`${date} 起`, `${clauses.zh}，${summary.zh}`) : cat(`${date} 起`, summary.zh);
  const en = clauses.en
    ? `From ${date}: ${clauses.en}; ${lowerFirst(summary.en)}`
    : `From ${date}: ${lowerFirst(summary.en)}`;
  return { zh, en };
}
