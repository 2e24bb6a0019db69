// The restore drill's scratch database. A new PGlite data folder is made by initdb, which peaks
// near 800 MB of memory and takes seconds, whatever the archive's size; reopening an existing
// folder costs about half that. So the first drill keeps a copy of the blank folder (a tar.gz
// keyed by the PGlite version) in a folder the caller names, and later drills start from it.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type tarStream from 'tar-stream';
import { openPglite, type Database } from '../../db/client.js';

// tar-stream is loaded by the first drill, not at start: a server that never runs one has no use for it.
let tar: Promise<typeof tarStream> | undefined;
const loadTar = () => (tar ??= import('tar-stream').then((m) => m.default));

/** PGlite's version: a template made by another version may not be a folder this one can open. */
function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  for (let i = 0; i < 4; i++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === '@electric-sql/pglite' && pkg.version) return pkg.version;
    } catch {
      // not the package's root yet
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

const templateName = () => `scratch-pglite-${pgliteVersion()}.tar.gz`;

/** Every folder and file under `root`; folders too, since PostgreSQL needs its empty ones. */
async function* entriesUnder(root: string, rel = ''): AsyncGenerator<{ name: string; directory: boolean }> {
  for (const entry of await readdir(path.join(root, rel), { withFileTypes: true })) {
    const name = path.posix.join(rel, entry.name);
    if (entry.isDirectory()) {
      yield { name, directory: true };
      yield* entriesUnder(root, name);
    } else if (entry.isFile()) {
      yield { name, directory: false };
    }
  }
}

/** Packs a closed, blank data folder into `file` (written aside and renamed: never half a template). */
async function packTemplate(pgdata: string, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const tarStream = await loadTar();
  const pack = tarStream.pack();
  const writing = pipeline(
    Readable.from(
      (async function* () {
        for await (const chunk of pack) yield chunk as Buffer;
      })(),
    ),
    createGzip(),
    createWriteStream(tmp, { mode: 0o600 }),
  );
  try {
    for await (const { name, directory } of entriesUnder(pgdata)) {
      if (directory) {
        pack.entry({ name, type: 'directory', mode: 0o700 });
        continue;
      }
      const full = path.join(pgdata, name);
      const { size } = await stat(full);
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ name, size }, (err) => (err ? reject(err) : resolve()));
        createReadStream(full).on('error', reject).pipe(entry);
      });
    }
    pack.finalize();
    await writing;
    await rename(tmp, file);
  } catch (err) {
    pack.destroy();
    await writing.catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Unpacks a template into an empty `pgdata`; false when it is missing or unreadable. */
async function unpackTemplate(file: string, pgdata: string): Promise<boolean> {
  try {
    await stat(file);
  } catch {
    return false;
  }
  const tarStream = await loadTar();
  try {
    const extract = tarStream.extract();
    const reading = pipeline(createReadStream(file), createGunzip(), extract as unknown as NodeJS.WritableStream);
    // Its failure also ends the loop below; awaited after it, so it is never left unhandled.
    reading.catch(() => {});
    for await (const entry of extract) {
      const name = path.normalize(entry.header.name);
      if (path.isAbsolute(name) || name.startsWith('..')) throw new Error(`unexpected entry ${name}`);
      const target = path.join(pgdata, name);
      if (entry.header.type === 'directory') {
        await mkdir(target, { recursive: true, mode: 0o700 });
        entry.resume();
        continue;
      }
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await pipeline(entry as unknown as NodeJS.ReadableStream, createWriteStream(target, { mode: 0o600 }));
    }
    await reading;
    return true;
  } catch {
    await rm(pgdata, { recursive: true, force: true });
    return false;
  }
}

/**
 * A new, empty embedded database in `dir` for throwaway data (fsync off). With `templateDir`, it
 * starts from the blank folder kept there, made by the first call.
 */
export async function openScratchDatabase(dir: string, templateDir?: string): Promise<Database> {
  if (templateDir) {
    const template = path.join(templateDir, templateName());
    const pgdata = path.join(dir, 'pgdata');
    if (!(await unpackTemplate(template, pgdata))) {
      const blank = await openPglite(dir, { fsync: false });
      await blank.close();
      await packTemplate(pgdata, template).catch(() => {
        // Only the next drill's speed depends on it.
      });
    }
  }
  return openPglite(dir, { fsync: false });
}
