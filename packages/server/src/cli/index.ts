import { Command, Option } from 'commander';
import type { Config } from '../config/index.js';
import { registerCalendarCommands } from './calendar.js';
import { loadImportedYearsForCli, mirroredYearsForCli, type DataFolderOptions } from './imported-years.js';
import { registerObligationsCommand } from './obligations.js';
import { registerReadinessCommand } from './readiness.js';
import { runCli } from './run.js';

const program = new Command()
  .name('zizhi')
  .description('Zizhi 资质: keeps CS qualifications valid — server, database and rule tools')
  .showHelpAfterError()
  .addOption(new Option('--data-dir <dir>', 'folder of the embedded database').env('ZIZHI_DATA_DIR'))
  .addOption(
    new Option('--database-url <url>', 'PostgreSQL server instead of the embedded database').env('DATABASE_URL'),
  );

// The settings are loaded on first need: their schema is zod, a third of a rule tool's start,
// and the rule tools seldom need them (imported-years.ts).
let settings: typeof import('../config/index.js') | undefined;
const loadSettings = async () => (settings ??= await import('../config/index.js'));

/** The settings; the server's commands read them synchronously, after loadSettings(). */
const config = (): Config => {
  const opts = program.opts<DataFolderOptions>();
  return settings!.loadConfig(process.env, { dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
};

const loadImportedYears = async () => {
  const mirrored = mirroredYearsForCli(program.opts<DataFolderOptions>());
  if (mirrored) return mirrored;
  await loadSettings();
  return loadImportedYearsForCli(config());
};

// The rule tools answer at once: for them neither the web server, the database drivers, the
// workbook reader nor the S3 client is loaded (the server's commands are, for any other command
// and for help). Nor is core as a whole: the build points the static imports of @zizhi/core
// below this file at the parts of core they name (scripts/build.mjs), so those must stay light;
// errors.js, the settings and the obligation and readiness engines are imported where needed.
const RULE_TOOLS = new Set(['calendar', 'obligations', 'readiness']);
const ruleTool = RULE_TOOLS.has(commandWord(process.argv.slice(2)) ?? '');

/** The command the arguments name: the first one that is neither a global option nor its value. */
function commandWord(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--data-dir' || arg === '--database-url') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

if (!ruleTool) {
  const [{ registerServerCommands }] = await Promise.all([import('./server-commands.js'), loadSettings()]);
  registerServerCommands(program, config);
}
registerCalendarCommands(program, {
  loadImportedYears,
  storeYear: async (file, replace) => {
    const [{ storeYearFromCli }] = await Promise.all([import('./server-commands.js'), loadSettings()]);
    return storeYearFromCli(config(), file, replace);
  },
});
registerObligationsCommand(program, { loadImportedYears });
registerReadinessCommand(program);
if (!ruleTool) {
  const [{ importLimits }, imports, reminders, backup, workspace] = await Promise.all([
    import('../modules/imports/xlsx.js'),
    import('./import.js'),
    import('./reminders.js'),
    import('./backup.js'),
    import('./workspace.js'),
  ]);
  imports.registerImportCommand(program, {
    openDatabase: () => imports.openDatabaseForImport(config()),
    limits: () => importLimits(config()),
  });
  reminders.registerRemindersCommand(program, { config });
  backup.registerBackupCommands(program, { config });
  workspace.registerWorkspaceCommands(program, { config });
}

await runCli(program, process.argv);
