// `zizhi obligations`: what is due when for a certificate, counted on the China calendar.
import type { Command } from 'commander';
import { CERTIFICATE_STATE_LABELS, LEVEL_NAMES_ZH, isLevel, type ObligationsResult } from '@zizhi/core';
import {
  configureCliCommand,
  invalidInput,
  processWriter,
  provisionalWarning,
  readJsonFile,
  registerImportedYears,
  runCliAction,
  type CliWriter,
} from './calendar.js';
import { padEnd, width } from './text-width.js';

export interface ObligationsCommandDeps {
  /** Calendar years imported into the database (registered before computing). */
  loadImportedYears: () => Promise<unknown[]>;
  write?: CliWriter;
}

interface ObligationsOptions {
  level: string;
  issued: string;
  expires?: string;
  events?: string;
  until?: string;
  asOf?: string;
  json?: boolean;
  provisional?: boolean;
}

/** The readable Chinese table (sorted by date), the state timeline and the warnings. */
export function formatObligationsTable(r: ObligationsResult): string {
  const c = r.certificate;
  const lines: string[] = [];
  lines.push(
    `证书 ${c.level}（${LEVEL_NAMES_ZH[c.level]}） 发证 ${c.issuedOn} 到期 ${c.expiresOn}` +
      (c.expiresOnDefaulted ? '（未填写，按发证日 + 4 年 − 1 日，请核对）' : ''),
    '',
  );
  const rows = r.obligations.map((o) => [
    o.dueAt ? `${o.dueDate} ${o.dueAt.slice(11, 16)}` : o.dueDate,
    o.titleZh,
    o.cancelled
      ? '已取消'
      : o.satisfiedOn
        ? `已完成 ${o.satisfiedOn}`
        : o.awaitingNotice
          ? '待通知'
          : o.provisional
            ? '暂定'
            : '',
    o.basis,
  ]);
  const header = ['截止', '事项', '状态', '依据'];
  const widths = [0, 1, 2].map((i) => Math.max(width(header[i] ?? ''), ...rows.map((row) => width(row[i] ?? ''))));
  const fmt = (row: string[]) =>
    [0, 1, 2].map((i) => padEnd(row[i] ?? '', widths[i] ?? 0)).join('  ') + `  ${row[3] ?? ''}`;
  lines.push(fmt(header));
  for (const row of rows) lines.push(fmt(row));
  if (rows.length === 0) lines.push('（无）');
  lines.push('', '状态:');
  for (const s of r.timeline) {
    lines.push(`  ${s.from}${s.to ? ` 至 ${s.to}` : ' 起'}  ${CERTIFICATE_STATE_LABELS[s.state].zh}  ${s.reasonZh}`);
  }
  if (r.alerts.length > 0) {
    lines.push('', '需要确认:');
    for (const x of r.alerts) lines.push(`  ${x.zh}`);
  }
  if (r.warnings.length > 0) {
    lines.push('', '提示:');
    for (const x of r.warnings) lines.push(`  ${x.zh}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Adds `obligations --level --issued [--expires] [--events file] [--until] [--as-of] [--json] [--provisional]`. */
export function registerObligationsCommand(program: Command, deps: ObligationsCommandDeps): Command {
  const w = deps.write ?? processWriter;
  const cmd = configureCliCommand(
    program
      .command('obligations')
      .description('list what is due when for a CS certificate, with the basis of each date'),
    w,
  );
  cmd
    .requiredOption('--level <level>', 'certificate level: CS1, CS2, CS3, CS4 or CS5')
    .requiredOption('--issued <date>', 'issue date YYYY-MM-DD')
    .option('--expires <date>', 'printed expiry date (default: issue + 4 years − 1 day)')
    .option('--events <file>', 'JSON file: an array of events [{ "type": "complaint", "date": "2026-09-28" }, …]')
    .option('--until <date>', 'last due date to list (default: the expiry date)')
    .option('--as-of <date>', "today's date, to infer a certificate abandoned after a missed supervision")
    .option('--json', 'print the result as JSON')
    .option('--provisional', 'count unpublished years by the weekday rule (warning on stderr) instead of exit 3')
    .action((opts: ObligationsOptions) =>
      runCliAction(w, async () => {
        const level = opts.level.toUpperCase();
        if (!isLevel(level))
          throw await invalidInput(`--level must be one of CS1, CS2, CS3, CS4, CS5, got "${opts.level}"`);
        let events: unknown[] = [];
        if (opts.events !== undefined) {
          const json = await readJsonFile(opts.events, 'events file');
          const list = Array.isArray(json) ? json : (json as { events?: unknown } | null)?.events;
          if (!Array.isArray(list)) {
            throw await invalidInput(
              `the events file ${opts.events} must hold a JSON array of events (or { "events": [...] })`,
            );
          }
          events = list;
        }
        await registerImportedYears(deps.loadImportedYears);
        // The engine (and the zod schemas of its events) loads only when asked for: registering
        // this command is part of every rule tool's start (see index.ts).
        const { computeObligations } = await import('@zizhi/core');
        const result = computeObligations({
          certificate: {
            level,
            issuedOn: opts.issued,
            ...(opts.expires !== undefined ? { expiresOn: opts.expires } : {}),
          },
          events,
          ...(opts.until !== undefined ? { until: opts.until } : {}),
          ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
          provisional: opts.provisional === true,
        });
        w.out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatObligationsTable(result));
        if (result.unknownYears.length > 0) w.err(provisionalWarning(result.unknownYears));
      }),
    );
  return cmd;
}
