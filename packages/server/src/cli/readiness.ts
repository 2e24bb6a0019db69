// `zizhi readiness`: does a company's evidence (a JSON file) meet a level's requirements on a day.
import type { Command } from 'commander';
import { isLevel, LEVEL_NAMES_ZH, type ReadinessResult } from '@zizhi/core';
import { chinaToday } from '../clock.js';
import {
  configureCliCommand,
  invalidInput,
  processWriter,
  readJsonFile,
  runCliAction,
  type CliWriter,
} from './calendar.js';
import { padEnd, width } from './text-width.js';

interface ReadinessOptions {
  level: string;
  at?: string;
  data: string;
  requirements?: string;
  json?: boolean;
}

const STATUS_ZH = { met: '满足', 'not-met': '不满足', unknown: '数据不足' } as const;

/** The readable Chinese report: one line per requirement, then gaps, missing data and forecasts. */
export function formatReadiness(r: ReadinessResult): string {
  const lines = [
    `${r.level}（${LEVEL_NAMES_ZH[r.level]}） 评估日 ${r.at}  统计窗口 ${r.window.from} 至 ${r.window.to}`,
    `结论：${STATUS_ZH[r.status]}（满足 ${r.counts.met} 项，不满足 ${r.counts.notMet} 项，数据不足 ${r.counts.unknown} 项）`,
    '',
  ];
  const labelWidth = Math.max(...r.requirements.map((q) => width(q.label.zh)));
  for (const q of r.requirements) {
    lines.push(`${padEnd(STATUS_ZH[q.status], 8)}  ${padEnd(q.label.zh, labelWidth)}  ${q.summary.zh}`);
    if (q.gap) lines.push(`${' '.repeat(10)}差距：${q.gap.zh}`);
    if (q.missing && q.missing.zh !== q.summary.zh) lines.push(`${' '.repeat(10)}缺少：${q.missing.zh}`);
    if (q.forecast) lines.push(`${' '.repeat(10)}预测：${q.forecast.reason.zh}`);
  }
  if (r.stopsBeingMet) {
    lines.push(
      '',
      `最早变化：${r.stopsBeingMet.date} 起有要求不再满足（${r.stopsBeingMet.requirementIds.join('、')}）`,
    );
  }
  lines.push('', '说明：默认门槛为咨询机构经验值（建议值，非官方），可用 --requirements 指定编辑过的要求集。');
  return `${lines.join('\n')}\n`;
}

/** Adds `readiness --level --data file [--at] [--requirements file] [--json]`. */
export function registerReadinessCommand(program: Command, deps: { write?: CliWriter } = {}): Command {
  const w = deps.write ?? processWriter;
  const cmd = configureCliCommand(
    program
      .command('readiness')
      .description("check a company's evidence (JSON file) against a CS level's requirements, with a forecast"),
    w,
  );
  cmd
    .requiredOption('--level <level>', 'target level: CS1, CS2, CS3, CS4 or CS5')
    .requiredOption('--data <file>', 'JSON file of evidence (see the README, "Readiness from the command line")')
    .option('--at <date>', 'evaluation day YYYY-MM-DD (default: today in China)')
    .option('--requirements <file>', 'JSON file of an edited requirement set for the level (default: the advisory set)')
    .option('--json', 'print the result as JSON')
    .action((opts: ReadinessOptions) =>
      runCliAction(w, async () => {
        const level = opts.level.toUpperCase();
        if (!isLevel(level)) {
          throw await invalidInput(`--level must be one of CS1, CS2, CS3, CS4, CS5, got "${opts.level}"`);
        }
        // The evaluator and its zod schemas load only when asked for: registering this command is
        // part of every rule tool's start (see index.ts).
        const { evaluateReadiness, parseEvidence, parseRequirementSet } = await import('@zizhi/core');
        const evidence = parseEvidence(await readJsonFile(opts.data, 'evidence file'));
        const requirements =
          opts.requirements === undefined
            ? undefined
            : parseRequirementSet(await readJsonFile(opts.requirements, 'requirement set file'));
        const result = evaluateReadiness({ level, at: opts.at ?? chinaToday(), evidence, requirements });
        w.out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatReadiness(result));
      }),
    );
  return cmd;
}
