// Builds what `npm start` needs: core and server with tsc (incremental), the command line's
// imports of core narrowed (lightenCli), and the web app with Vite when its sources are newer
// than the last build. `--server-only` skips the web app (used by `npm install`, so `npx zizhi`
// works right after it).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`Build failed: ${path.basename(cmd)} ${args.join(' ')}`);
    process.exit(r.status ?? 1);
  }
}

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync(bin('tsc'))) {
  // A production install without dev tools: use what is already built.
  if (!existsSync(path.join(root, 'packages/server/dist/cli/index.js'))) {
    console.error('Cannot build: TypeScript is not installed. Run `npm install` (with dev dependencies) first.');
    process.exit(1);
  }
  process.exit(0);
}

/** Static imports and re-exports of a tsc-built file (tsc writes each on one line). */
function staticImports(text) {
  return [...text.matchAll(/^(import|export)\s+(?:([^;\n]*?)\s+from\s+)?(['"])([^'"]+)\3;/gm)].map((m) => ({
    statement: m[0],
    kind: m[1],
    clause: m[2] ?? '',
    specifier: m[4],
  }));
}

/** `{ a, b as c, }` → [['a', 'a'], ['b', 'c']] (exported name, local name); null for any other clause. */
function namedList(clause) {
  const m = /^\{([^}]*)\}$/.exec(clause.trim());
  if (!m) return null;
  return m[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const [name, as] = s.split(/\s+as\s+/);
      return [name, as ?? name];
    });
}

/**
 * Points the command line's static imports of @zizhi/core at dist/cli/core.light.js, which takes
 * just the names they import from the parts of core that define them: @zizhi/core itself loads all
 * of core and with it zod, most of a rule tool's start (bench/cli-start.ts). tsc's files are
 * edited in place and no code is copied, so a process still has one of each core module (one
 * calendar, one class per error). A later tsc run that writes one of those files again undoes the
 * shortcut for it until the next build; one that moves a name within core makes core.light.js
 * load all of core, as before. Dynamic imports of @zizhi/core (the engines) are left alone.
 */
async function lightenCli() {
  const outdir = path.join(root, 'packages/server/dist/cli');
  const light = path.join(outdir, 'core.light.js');
  const coreSpecifiers = new Set(['@zizhi/core', './core.light.js']);
  // Where the server's modules find core at run time, so that the parts are those very files.
  const coreIndex = realpathSync(createRequire(path.join(root, 'packages/server/package.json')).resolve('@zizhi/core'));

  // The packages a file loads before it runs, through its static imports; `names` collects what the
  // command line's own files import from core.
  const names = new Map();
  const packagesUnder = (start) => {
    const packages = new Set();
    const seen = new Set();
    const walk = (file) => {
      if (seen.has(file) || !existsSync(file)) return;
      seen.add(file);
      for (const i of staticImports(readFileSync(file, 'utf8'))) {
        if (i.specifier.startsWith('.') && !coreSpecifiers.has(i.specifier)) {
          walk(path.resolve(path.dirname(file), i.specifier));
        } else if (coreSpecifiers.has(i.specifier) && path.dirname(file) === outdir) {
          const list = namedList(i.clause);
          if (list === null) packages.add(`@zizhi/core (as a whole, in ${path.basename(file)})`);
          else names.set(file, [...(names.get(file) ?? []), ...list]);
        } else if (!i.specifier.startsWith('node:')) {
          packages.add(i.specifier);
        }
      }
    };
    walk(start);
    return packages;
  };
  const atStart = packagesUnder(path.join(outdir, 'index.js'));

  // Each name through core's re-exports, from the index to the file that defines it.
  const exported = new Map();
  const exportsOf = async (file) => {
    if (!exported.has(file)) exported.set(file, new Set(Object.keys(await import(pathToFileURL(file).href))));
    return exported.get(file);
  };
  const chain = async (file, name) => {
    for (const i of staticImports(readFileSync(file, 'utf8'))) {
      if (i.kind !== 'export') continue;
      const target = path.resolve(path.dirname(file), i.specifier);
      if (i.clause === '*') {
        if ((await exportsOf(target)).has(name)) return [{ file, name }, ...(await chain(target, name))];
      } else {
        const renamed = namedList(i.clause)?.find(([, as]) => as === name);
        if (renamed) return [{ file, name }, ...(await chain(target, renamed[0]))];
      }
    }
    return [{ file, name }];
  };
  // The first link that loads no package: the highest such re-export changes least as core does.
  const parts = new Map(); // name the command line imports → { file, name } it comes from
  const heavy = new Set();
  for (const name of new Set([...names.values()].flat().map(([exported]) => exported))) {
    const links = await chain(coreIndex, name);
    const part = links.find((l) => packagesUnder(l.file).size === 0);
    if (part) parts.set(name, part);
    else for (const p of packagesUnder(links.at(-1).file)) heavy.add(p);
  }

  const use = heavy.size === 0 ? './core.light.js' : '@zizhi/core';
  for (const file of names.keys()) {
    const text = readFileSync(file, 'utf8');
    let edited = text;
    for (const i of staticImports(text)) {
      if (coreSpecifiers.has(i.specifier)) edited = edited.replace(i.statement, i.statement.replace(i.specifier, use));
    }
    if (edited !== text) writeFileSync(file, edited);
  }
  if (heavy.size === 0) {
    const files = [...new Set([...parts.values()].map((p) => p.file))];
    const specifier = (file) => JSON.stringify(path.relative(outdir, file).split(path.sep).join('/'));
    const take = [...parts].map(([name, p]) => [name, files.indexOf(p.file), p.name]);
    writeFileSync(
      light,
      `// Written by scripts/build.mjs (lightenCli): the parts of @zizhi/core the command line loads at
// start. Dynamic imports cannot fail to link: should a name no longer be where it was found at the
// build (a later tsc run moved it), the whole of core is loaded instead.
const parts = await Promise.all([
${files.map((f) => `  import(${specifier(f)}),`).join('\n')}
]).catch(() => []);
const take = ${JSON.stringify(take)};
const core = take.every(([, i, name]) => parts[i] && name in parts[i]) ? null : await import('@zizhi/core');
const value = Object.fromEntries(take.map(([as, i, name]) => [as, core ? core[as] : parts[i][name]]));
${[...parts.keys()].map((name) => `export const ${name} = value.${name};`).join('\n')}
`,
    );
  }
  const slow = [...atStart, ...heavy].filter((p) => p !== 'commander');
  if (slow.length > 0) {
    console.warn(
      `The command line loads ${[...new Set(slow)].join(', ')} at start: the rule tools start slower (bench/cli-start.ts).`,
    );
  }
}

run(bin('tsc'), ['-b', 'packages/server/tsconfig.build.json']);
await lightenCli();

if (!process.argv.includes('--server-only')) {
  const web = path.join(root, 'packages/web');
  const built = path.join(web, 'dist/index.html');
  const sources = Math.max(
    newest(path.join(web, 'src')),
    newest(path.join(root, 'packages/core/src')),
    statSync(path.join(web, 'index.html')).mtimeMs,
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources || process.argv.includes('--force')) {
    console.log('Building the web app…');
    run(bin('vite'), ['build', '--logLevel', 'warn'], web);
  }
}
