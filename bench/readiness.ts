// Benchmark: evaluateReadiness (with the 5-year forecast) for CS3 over 5,000 projects, 2,000 staff
// and their qualifications. Target: median under 50 ms. Baseline: one plain pass over the same
// arrays (sum of contract amounts, count of R&D staff), measured in the same run.
// Run: npx tsx bench/readiness.ts [projects] [staff] [runs]
import os from 'node:os';
import {
  evaluateReadiness,
  type Evidence,
  type EvidenceProject,
  type EvidenceQualification,
  type EvidenceStaff,
  type QualificationKind,
} from '../packages/core/src/index.js';
import { dayFromCivil, formatDay } from '../packages/core/src/calendar/days.js';
import { prng } from './prng.js';

const PROJECTS = Number(process.argv[2] ?? 5_000);
const STAFF = Number(process.argv[3] ?? 2_000);
const RUNS = Number(process.argv[4] ?? 21);
const TARGET_MS = 50;
const AT = '2026-03-15';

const rand = prng(20260315);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const dayIn = (from: number, to: number) => from + Math.floor(rand() * (to - from + 1));
const month = (day: number) => formatDay(day).slice(0, 7);

const first = dayFromCivil(2016, 1, 1);
const last = dayFromCivil(2026, 12, 31);

const staff: EvidenceStaff[] = [];
for (let i = 0; i < STAFF; i++) {
  const from = dayIn(first, dayFromCivil(2026, 2, 28));
  const left = rand() < 0.15 ? dayIn(from + 30, last) : null;
  staff.push({
    id: `s${i}`,
    name: `员工${i}`,
    isRnd: rand() < 0.35,
    isTechnical: rand() < 0.6,
    employedFrom: formatDay(from),
    employedUntil: left === null ? null : formatDay(left),
    socialInsuranceFrom: month(from),
    socialInsuranceUntil: left === null ? null : month(left),
  });
}

const KINDS: readonly QualificationKind[] = ['pmp', 'senior-pm', 'si-pm', 'other'];
const qualifications: EvidenceQualification[] = [];
const managers = staff.slice(0, Math.max(1, Math.floor(STAFF / 6)));
for (let i = 0; i < STAFF * 1.5; i++) {
  const holder = i < managers.length ? (managers[i] as EvidenceStaff) : pick(staff);
  const issued = dayIn(first, dayFromCivil(2026, 1, 31));
  qualifications.push({
    id: `q${i}`,
    staffId: holder.id,
    kind: i < managers.length ? pick(['pmp', 'senior-pm'] as const) : pick(KINDS),
    issuedOn: formatDay(issued),
    expiresOn: rand() < 0.3 ? null : formatDay(issued + 365 * 3 + Math.floor(rand() * 730)),
  });
}

const TECH = ['云计算', '大数据', '人工智能', '物联网', '区块链', 'GIS'];
const projects: EvidenceProject[] = [];
for (let i = 0; i < PROJECTS; i++) {
  const signed = dayIn(first, last);
  const accepted = rand() < 0.7 ? signed + 30 + Math.floor(rand() * 500) : null;
  const yuan = Math.floor(50_000 + rand() * rand() * 30_000_000);
  projects.push({
    id: `p${i}`,
    name: `项目${i}`,
    amount: `${yuan}.${String(Math.floor(rand() * 100)).padStart(2, '0')}`,
    signedOn: formatDay(signed),
    acceptedOn: accepted === null ? null : formatDay(accepted),
    status: rand() < 0.05 ? 'terminated' : accepted === null ? 'in-progress' : 'accepted',
    managerId: rand() < 0.02 ? null : pick(managers).id,
    technologies: rand() < 0.3 ? [pick(TECH), pick(TECH)] : [],
  });
}

const evidence: Evidence = {
  organisation: { name: '基准科技有限公司', businessSince: '2012-06-01' },
  projects,
  staff,
  qualifications,
  financialYears: [2021, 2022, 2023, 2024, 2025].map((year) => ({
    year,
    revenue: '300000000',
    systemIntegrationRevenue: `${90_000_000 + year}`,
    netProfit: '5000000.50',
    operatingCashFlow: '-100000',
  })),
  ip: Array.from({ length: 120 }, (_, i) => ({
    id: `ip${i}`,
    kind: 'software-copyright' as const,
    name: `软著${i}`,
    grantedOn: formatDay(dayIn(first, last)),
  })),
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

// Baseline: the least any readiness pass must do, read every project and person once.
function baseline(): number {
  let total = 0;
  for (const p of projects) total += Number(p.amount ?? 0);
  let rnd = 0;
  for (const s of staff) if (s.isRnd) rnd++;
  return total + rnd;
}

let sink = 0;
const result = evaluateReadiness({ level: 'CS3', at: AT, evidence }); // warm up (JIT, date caches)
for (let i = 0; i < 3; i++) sink += baseline();

const times: number[] = [];
const cpuTimes: number[] = [];
const baseTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  // CPU time beside wall time: on a shared machine the wall clock also counts other processes.
  const c0 = process.cpuUsage();
  let t0 = performance.now();
  sink += evaluateReadiness({ level: 'CS3', at: AT, evidence }).requirements.length;
  times.push(performance.now() - t0);
  const cpu = process.cpuUsage(c0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  t0 = performance.now();
  sink += baseline();
  baseTimes.push(performance.now() - t0);
}

const ms = median(times);
const cpuMs = median(cpuTimes);
const baseMs = median(baseTimes);
const forecasts = result.requirements.filter((r) => r.forecast).length;
const load = os.loadavg()[0] as number;
console.log(
  `readiness: CS3, ${PROJECTS} projects, ${STAFF} staff, ${qualifications.length} qualifications, ` +
    `${result.requirements.length} requirements (${forecasts} with a forecast): median ${ms.toFixed(1)} ms ` +
    `(CPU ${cpuMs.toFixed(1)} ms) over ${RUNS} runs, target < ${TARGET_MS} ms: ${ms < TARGET_MS ? 'ok' : 'SLOW'}; ` +
    `baseline pass ${baseMs.toFixed(2)} ms, ratio ${Math.round(ms / baseMs)}x; load average ${load.toFixed(1)} ` +
    `on ${os.cpus().length} cores`,
);
for (const r of result.requirements) {
  console.log(`  ${r.id}: ${r.status}${r.forecast ? `, changes ${r.forecast.date} → ${r.forecast.status}` : ''}`);
}
if (sink === -1) console.log(sink); // keeps the measured work observable
