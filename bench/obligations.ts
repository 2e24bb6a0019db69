// Benchmark: computeObligations for 10,000 certificates (mixed levels, 5 events each) over their
// validity. Target: under 1 s. Run: npx tsx bench/obligations.ts [certificates]
import { LEVELS, computeObligations, type ComputeObligationsInput } from '../packages/core/src/index.js';
import { addMonthsToDay, dayFromCivil, formatDay } from '../packages/core/src/calendar/days.js';
import { prng } from './prng.js';

const COUNT = Number(process.argv[2] ?? 10_000);

const rand = prng(4);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const EVENT_KINDS = [
  'complaint',
  'incident',
  'license.changed',
  'change.general',
  'change.applied',
  'change.major',
  'lost',
  'lost.applied',
  'supervision.done',
  'renewal.applied',
  'policy.update',
  'self-check.abnormal',
  'self-check.notice',
] as const;

const inputs: ComputeObligationsInput[] = [];
const firstIssue = dayFromCivil(2016, 1, 1);
const issueSpan = dayFromCivil(2025, 12, 31) - firstIssue;
for (let i = 0; i < COUNT; i++) {
  const issue = firstIssue + Math.floor(rand() * issueSpan);
  const expiry = addMonthsToDay(issue, 48) - 1;
  const events: Record<string, unknown>[] = [];
  for (let k = 0; k < 5; k++) {
    const day = issue + 1 + Math.floor(rand() * (expiry - issue - 1));
    const type = pick(EVENT_KINDS);
    const date = formatDay(day);
    const id = `e${i}-${k}`;
    if (type === 'incident') events.push({ type, id, at: `${date}T10:15:00+08:00` });
    else if (type === 'supervision.done') events.push({ type, id, date, passed: rand() < 0.8 });
    else if (type === 'self-check.notice') {
      events.push({ type, id, date, year: Number(date.slice(0, 4)), deadline: formatDay(Math.min(day + 60, expiry)) });
    } else events.push({ type, id, date });
  }
  inputs.push({
    certificate: { level: LEVELS[i % LEVELS.length] as (typeof LEVELS)[number], issuedOn: formatDay(issue) },
    events,
    provisional: true,
  });
}

computeObligations(inputs[0] as ComputeObligationsInput); // warm the calendar tables
const t0 = performance.now();
const c0 = process.cpuUsage();
let obligations = 0;
for (const input of inputs) obligations += computeObligations(input).obligations.length;
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
console.log(
  `obligations: ${COUNT} certificates, ${obligations} obligations in ${Math.round(ms)} ms (CPU ${Math.round(cpuMs)} ms), ` +
    `${Math.round(obligations / (ms / 1000))} obligations/s, ${Math.round(COUNT / (ms / 1000))} certificates/s`,
);
