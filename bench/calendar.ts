// Benchmark: our addWorkdays + isWorkday against chinese-days (findWorkday, isWorkday) on the same
// random cases (seeded), counting disagreements. Run: npx tsx bench/calendar.ts [cases]
// Under TZ=Asia/Shanghai the two agree; under TZ=America/Los_Angeles chinese-days shifts dates.
import chineseDays from 'chinese-days';
import { addWorkdays, isWorkday } from '../packages/core/src/index.js';
import { dayFromCivil, formatDay } from '../packages/core/src/calendar/days.js';
import { prng } from './prng.js';

const { findWorkday, isWorkday: cdIsWorkday } = chineseDays;
const CASES = Number(process.argv[2] ?? 1_000_000);

const rand = prng(20260928);
const first = dayFromCivil(2010, 1, 1);
const span = dayFromCivil(2026, 12, 31) - first + 1;
const dates: string[] = new Array<string>(CASES);
const ns = new Int32Array(CASES);
for (let i = 0; i < CASES; i++) {
  dates[i] = formatDay(first + Math.floor(rand() * span));
  ns[i] = 1 + Math.floor(rand() * 30);
}

// Ours: provisional, because late December 2026 waits for the unpublished 2027 notice (chinese-days
// treats it as Monday–Friday, which is what the provisional answer does too).
const oursAdd: string[] = new Array<string>(CASES);
const oursIs = new Uint8Array(CASES);
isWorkday('2026-01-05'); // build the lookup tables outside the timing
let t0 = performance.now();
for (let i = 0; i < CASES; i++) {
  const d = dates[i] as string;
  oursAdd[i] = addWorkdays(d, ns[i] as number, { provisional: true }).value;
  oursIs[i] = isWorkday(d, { provisional: true }).value ? 1 : 0;
}
const oursMs = performance.now() - t0;

const theirsAdd: string[] = new Array<string>(CASES);
const theirsIs = new Uint8Array(CASES);
t0 = performance.now();
for (let i = 0; i < CASES; i++) {
  const d = dates[i] as string;
  theirsAdd[i] = findWorkday(ns[i], d);
  theirsIs[i] = cdIsWorkday(d) ? 1 : 0;
}
const theirsMs = performance.now() - t0;

const examples: string[] = [];
let disagreements = 0;
for (let i = 0; i < CASES; i++) {
  const addDiff = oursAdd[i] !== theirsAdd[i];
  const isDiff = oursIs[i] !== theirsIs[i];
  if (addDiff || isDiff) {
    disagreements++;
    if (examples.length < 5) {
      examples.push(
        `  ${dates[i]} + ${ns[i]} wd: zizhi ${oursAdd[i]}, chinese-days ${theirsAdd[i]}; ` +
          `isWorkday(${dates[i]}): zizhi ${oursIs[i] === 1}, chinese-days ${theirsIs[i] === 1}`,
      );
    }
  }
}

const tz = process.env['TZ'] ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
console.log(
  `calendar: ${CASES} cases, TZ=${tz}: zizhi ${Math.round(oursMs)} ms, chinese-days ${Math.round(theirsMs)} ms, ` +
    `ratio ${Math.round(theirsMs / oursMs)}x, disagreements ${disagreements}`,
);
for (const e of examples) console.log(e);
