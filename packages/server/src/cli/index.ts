import { Command, Option } from 'commander';
import { loadConfig } from '../config/index.js';
import { importLimits } from '../modules/imports/xlsx.js';
import { registerBackupCommands } from './backup.js';
import { registerCalendarCommands } from './calendar.js';
import { openDatabaseForImport, registerImportCommand } from './import.js';
import { registerObligationsCommand } from './obligations.js';
import { registerReadinessCommand } from './readiness.js';
import { registerRemindersCommand } from './reminders.js';
import { runCli } from './run.js';
import { registerWorkspaceCommands } from './workspace.js';
import { loadImportedYearsForCli, registerServerCommands, storeYearFromCli } from './server-commands.js';

const program = new Command()
  .name('zizhi')
  .description('Zizhi 资质: keeps CS qualifications valid — server, database and rule tools')
  .showHelpAfterError()
  .addOption(new Option('--data-dir <dir>', 'folder of the embedded database').env('ZIZHI_DATA_DIR'))
  .addOption(
    new Option('--database-url <url>', 'PostgreSQL server instead of the embedded database').env('DATABASE_URL'),
  );

const config = () => {
  const opts = program.opts<{ dataDir?: string; databaseUrl?: string }>();
  return loadConfig(process.env, { dataDir: opts.dataDir, databaseUrl: opts.databaseUrl });
};
registerServerCommands(program, config);
registerCalendarCommands(program, {
  loadImportedYears: () => loadImportedYearsForCli(config()),
  storeYear: (file, replace) => storeYearFromCli(config(), file, replace),
});
registerObligationsCommand(program, { loadImportedYears: () => loadImportedYearsForCli(config()) });
registerReadinessCommand(program);
registerImportCommand(program, {
  openDatabase: () => openDatabaseForImport(config()),
  limits: () => importLimits(config()),
});
registerRemindersCommand(program, { config });
registerBackupCommands(program, { config });
registerWorkspaceCommands(program, { config });

await runCli(program, process.argv);
