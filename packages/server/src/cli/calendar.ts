// `zizhi calendar …`: the China working-day calendar on the command line.
// Exit codes: 0 success; 2 bad arguments or input; 3 a date's year is not published
// (`--provisional` turns 3 into a warning on stderr). Output formats are stable: scripts use them.
import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import {
  CalendarUnknownYearError,
  addDays,
  addMonths,
  addWorkdays,
  countWorkdays,
  isWorkday,
  publishedYears,
  registerCalendarYear,
  validateCalendarYear,
  type CalendarYearFile,
  type ProvisionalResult,
} from '@zizhi/core';
import type { AppError } from '../errors.js';
import { EXIT } from './run.js';

/** Where command output goes (tests capture it). */
export interface CliWriter {
  out(text: string): void;
  err(text: string): void;
}

export const processWriter: CliWriter = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
};

export interface CalendarCommandDeps {
  /** Calendar years imported into the database (registered before computing). */
  loadImportedYears: () => Promise<unknown[]>;
  /** Stores a validated imported year in the database. */
  /** Stores and applies a validated year; refuses a built-in year unless `replace`. */
  storeYear: (file: CalendarYearFile, replace: boolean) => Promise<{ replaced: 'builtin' | 'imported' | null }>;
  write?: CliWriter;
}

/**
 * Makes commander's own parse errors (unknown option, missing argument) exit with 2 instead of 1,
 * and sends its output through `w`. Applied to a command before its subcommands are added, so they
 * inherit it. The thrown CommanderError carries exitCode 2 for the main program's handler.
 */
export function configureCliCommand(cmd: Command, w: CliWriter): Command {
  return cmd.configureOutput({ writeOut: (s) => w.out(s), writeErr: (s) => w.err(s) }).exitOverride((err) => {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') throw err;
    process.exitCode = EXIT.badInput;
    throw new CommanderError(EXIT.badInput, err.code, err.message);
  });
}

/**
 * An INVALID_INPUT AppError. errors.js is loaded only when there is an error to report: it pulls
 * in the whole of core and zod, which a rule tool's answer does not need (see index.ts).
 */
export async function invalidInput(message: string): Promise<AppError> {
  const { AppError } = await import('../errors.js');
  return new AppError('INVALID_INPUT', message);
}

/**
 * Registers every imported year (from the database) in the core calendar; registerCalendarYear
 * validates each one, so a hand-edited row cannot bend the calendar silently.
 */
export async function registerImportedYears(load: () => Promise<unknown[]>): Promise<void> {
  const files = await load();
  for (const f of files) {
    try {
      registerCalendarYear(f as CalendarYearFile, 'imported');
    } catch (e) {
      const year = typeof f === 'object' && f !== null ? (f as { year?: unknown }).year : undefined;
      throw await invalidInput(
        `the imported calendar year ${String(year)} stored in the database is invalid (${(e as Error).message}); re-import it with npx zizhi calendar import FILE`,
      );
    }
  }
}

/** The stderr message for an unpublished year (exit 3), or the warning with --provisional. */
export function unknownYearMessage(year: number): string {
  return (
    `error: ${year} 年节假日安排未发布 — the State Council holiday notice for ${year} is not in the calendar.\n` +
    `Import the ${year} year file with: npx zizhi calendar import FILE\n` +
    `or pass --provisional to count ${year} by the weekday rule (the answer is marked provisional).\n`
  );
}

export function provisionalWarning(years: readonly number[]): string {
  const ys = years.join(', ');
  return (
    `warning: provisional — ${years.join('、')} 年节假日安排未发布，按周一至周五计算 ` +
    `(the holiday notice for ${ys} is not published: weekday rule used). ` +
    `Import it with npx zizhi calendar import FILE and run again.\n`
  );
}

/**
 * Runs a command body, mapping errors to exit codes: INVALID_INPUT → 2, CALENDAR_UNKNOWN_YEAR → 3.
 * Sets process.exitCode; never calls process.exit.
 */
export async function runCliAction(w: CliWriter, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (e instanceof CalendarUnknownYearError || (e as { code?: unknown }).code === 'CALENDAR_UNKNOWN_YEAR') {
      w.err(unknownYearMessage((e as CalendarUnknownYearError).year));
      process.exitCode = EXIT.calendarUnknownYear;
      return;
    }
    // Refusals that say what to fix (bad input, a conflict such as a built-in year): exit 2.
    const { toAppError } = await import('../errors.js');
    const known = toAppError(e);
    if (known && known.status < 500) {
      w.err(`error: ${known.message}\n`);
      process.exitCode = EXIT.badInput;
      return;
    }
    throw e;
  }
}

/** Parses a whole-number argument ("7", "-3"). */
export async function parseWholeNumber(v: string, what: string): Promise<number> {
  if (!/^[+-]?\d{1,9}$/.test(v)) {
    throw await invalidInput(`${what} must be a whole number such as 7 or -3, got "${v}"`);
  }
  return Number(v);
}

/** Reads and parses a JSON file; errors say which file and what is wrong (exit 2). */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw await invalidInput(`cannot read the ${what} ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    throw await invalidInput(`the ${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

interface ProvisionalFlag {
  provisional?: boolean;
}

/** Prints a calendar answer; with --provisional, warns on stderr when an unpublished year was used. */
function emit<T>(
  w: CliWriter,
  opts: ProvisionalFlag,
  compute: (p: { provisional: true }) => ProvisionalResult<T>,
  strict: () => T,
): void {
  if (opts.provisional) {
    const r = compute({ provisional: true });
    w.out(`${String(r.value)}\n`);
    if (r.provisional) w.err(provisionalWarning(r.unknownYears));
  } else {
    w.out(`${String(strict())}\n`);
  }
}

/**
 * Adds `calendar is-workday|add-workdays|count-workdays|add-days|add-months|years|import` to `program`.
 */
export function registerCalendarCommands(program: Command, deps: CalendarCommandDeps): Command {
  const w = deps.write ?? processWriter;
  const calendar = configureCliCommand(
    program.command('calendar').description('China working-day calendar (工作日): query, count, import a year'),
    w,
  );
  const provisionalHelp = 'count unpublished years by the weekday rule (warning on stderr) instead of exit 3';
  const load = () => registerImportedYears(deps.loadImportedYears);

  calendar
    .command('is-workday')
    .description('print true if DATE is a working day in China, else false')
    .argument('<date>', 'YYYY-MM-DD')
    .option('--provisional', provisionalHelp)
    .action((date: string, opts: ProvisionalFlag) =>
      runCliAction(w, async () => {
        await load();
        emit(
          w,
          opts,
          (p) => isWorkday(date, p),
          () => isWorkday(date),
        );
      }),
    );

  calendar
    .command('add-workdays')
    .description('print the N-th working day after DATE (N < 0: before); DATE itself is not counted')
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<n>', 'number of working days, may be negative')
    .option('--provisional', provisionalHelp)
    .allowUnknownOption()
    .action((date: string, nText: string, opts: ProvisionalFlag) =>
      runCliAction(w, async () => {
        const n = await parseWholeNumber(nText, 'N (working days)');
        await load();
        emit(
          w,
          opts,
          (p) => addWorkdays(date, n, p),
          () => addWorkdays(date, n),
        );
      }),
    );

  calendar
    .command('count-workdays')
    .description('print the number of working days from FROM to TO, both included')
    .argument('<from>', 'YYYY-MM-DD')
    .argument('<to>', 'YYYY-MM-DD')
    .option('--provisional', provisionalHelp)
    .action((from: string, to: string, opts: ProvisionalFlag) =>
      runCliAction(w, async () => {
        await load();
        emit(
          w,
          opts,
          (p) => countWorkdays(from, to, p),
          () => countWorkdays(from, to),
        );
      }),
    );

  calendar
    .command('add-days')
    .description(
      'print DATE + N days; a last day that is not a working day moves to the next one (Civil Code art. 203)',
    )
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<n>', 'number of days, may be negative (then moves to the previous working day)')
    .option('--provisional', provisionalHelp)
    .allowUnknownOption()
    .action((date: string, nText: string, opts: ProvisionalFlag) =>
      runCliAction(w, async () => {
        const n = await parseWholeNumber(nText, 'N (days)');
        await load();
        emit(
          w,
          opts,
          (p) => addDays(date, n, p),
          () => addDays(date, n),
        );
      }),
    );

  calendar
    .command('add-months')
    .description('print DATE + N months: the corresponding day, else the last day of that month')
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<n>', 'number of months, may be negative')
    .allowUnknownOption()
    .action((date: string, nText: string) =>
      runCliAction(w, async () => {
        const n = await parseWholeNumber(nText, 'N (months)');
        w.out(`${addMonths(date, n)}\n`);
      }),
    );

  calendar
    .command('years')
    .description('list the published years: YEAR <tab> builtin|imported <tab> notice URLs (space-separated)')
    .action(() =>
      runCliAction(w, async () => {
        await load();
        for (const y of publishedYears()) w.out(`${y.year}\t${y.source}\t${y.papers.join(' ')}\n`);
      }),
    );

  calendar
    .command('import')
    .description(
      'validate a yearly holiday file (holiday-cn JSON shape), store it in the database and recompute ' +
        'every certificate; running servers use it from their next request, without a restart',
    )
    .argument('<file>', 'path to the YYYY.json file')
    .option('--replace', 'replace a built-in published year (imported years are replaced without it)')
    .action((file: string, opts: { replace?: boolean }) =>
      runCliAction(w, async () => {
        const json = await readJsonFile(file, 'calendar year file');
        let valid: CalendarYearFile;
        try {
          valid = validateCalendarYear(json);
        } catch (e) {
          const problems = (e as { problems?: readonly string[] }).problems ?? [(e as Error).message];
          throw await invalidInput(`${file} is not a valid calendar year file:\n  - ${problems.join('\n  - ')}`);
        }
        await load();
        const { replaced } = await deps.storeYear(valid, opts.replace === true);
        const off = valid.days.filter((d) => d.isOffDay).length;
        w.out(
          `imported ${valid.year}: ${off} off days, ${valid.days.length - off} make-up working days` +
            `${replaced ? ` (replaces the ${replaced} data)` : ''}\n` +
            `Running servers use ${valid.year} from their next request; no restart is needed.\n`,
        );
      }),
    );

  return calendar;
}
