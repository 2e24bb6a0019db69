import { CommanderError, type Command } from 'commander';
import { DataDirInUseError, RowSecurityMissingError, UnknownSchemaError } from '../db/errors.js';

/** Exit codes scripts rely on. */
export const EXIT = { ok: 0, failure: 1, badInput: 2, calendarUnknownYear: 3 } as const;

/**
 * Parses and runs, turning known errors into a one-line message and an exit code instead of a
 * stack trace.
 */
export async function runCli(program: Command, argv: string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : EXIT.badInput;
      return;
    }
    // Loaded only now: both pull in zod and the whole of core, which the rule tools' answers do
    // not need (see index.ts).
    const [{ ConfigError }, { AppError, describeStartupError }] = await Promise.all([
      import('../config/index.js'),
      import('../errors.js'),
    ]);
    if (err instanceof ConfigError || err instanceof AppError || err instanceof DataDirInUseError) {
      console.error(err.message);
      process.exitCode = err instanceof AppError && err.status >= 500 ? EXIT.failure : EXIT.badInput;
      return;
    }
    if (err instanceof RowSecurityMissingError || err instanceof UnknownSchemaError) {
      console.error(err.message);
      process.exitCode = EXIT.failure;
      return;
    }
    console.error(describeStartupError(err) ?? (err instanceof Error ? `Error: ${err.message}` : err));
    process.exitCode = EXIT.failure;
  }
}
