import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The server package's version, recorded in each archive's header. Read here rather than taken
// from app.ts so the backup module (and the CLI commands on it) do not load the web app.
const PACKAGE_JSON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../package.json');

export const ZIZHI_VERSION: string = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
