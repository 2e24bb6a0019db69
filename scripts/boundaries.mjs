// `npm test -- boundaries`: the architecture as a check. Runs dependency-cruiser with the rules in
// .dependency-cruiser.cjs over core, server and web (tests left out), then measures the server's
// folder graph: every folder under src/ is a node (each feature under modules/ is its own, and so
// is each file at the top of src/), an arrow for every import between two of them. It fails on a
// rule violation, a folder cycle, more than MAX_FLOORS floors (the longest chain of arrows) or
// MAX_FEATURE_PAIRS or more pairs of features that import each other.
//
//   node scripts/boundaries.mjs            check the repository
//   node scripts/boundaries.mjs --verbose  also list the feature pairs and the longest chain
//   node scripts/boundaries.mjs --base DIR check another tree of the same layout (tests)
//   node scripts/boundaries.mjs --json     the measures as one JSON line
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

export const MAX_FLOORS = 9;
export const MAX_FEATURE_PAIRS = 20;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The folder-graph node of a server source path (relative to the base), or null outside src/. */
export function folderOf(file) {
  const m = /^packages\/server\/src\/(.+)$/.exec(file);
  if (!m) return null;
  const parts = m[1].split('/');
  if (parts[0] === 'modules' && parts.length > 2) return `modules/${parts[1]}`;
  if (parts.length === 1) return parts[0].replace(/\.tsx?$/, '');
  return parts[0];
}

/** Folder arrows, feature pairs, folder cycles (strongly connected parts) and floors. */
export function measure(modules) {
  const edges = new Map();
  for (const mod of modules) {
    const from = folderOf(mod.source);
    if (!from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const dep of mod.dependencies) {
      const to = folderOf(dep.resolved);
      if (to && to !== from) edges.get(from).add(to);
    }
  }
  const nodes = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  const pairs = [];
  for (const [from, tos] of edges) {
    for (const to of tos) {
      if (from.startsWith('modules/') && to.startsWith('modules/')) pairs.push(`${from.slice(8)} → ${to.slice(8)}`);
    }
  }
  // Tarjan's strongly connected components; a component of more than one folder is a cycle.
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const component = new Map();
  const components = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const members = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      members.push(w);
      component.set(w, components.length);
    } while (w !== v);
    components.push(members.sort());
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  // Floors: the longest chain of arrows between components, counted in components.
  const depth = new Map();
  const below = new Map();
  const floorsOf = (c) => {
    if (depth.has(c)) return depth.get(c);
    depth.set(c, 1);
    let best = 1;
    for (const v of components[c]) {
      for (const w of edges.get(v) ?? []) {
        const cw = component.get(w);
        if (cw === c) continue;
        const d = 1 + floorsOf(cw);
        if (d > best) {
          best = d;
          below.set(c, cw);
        }
      }
    }
    depth.set(c, best);
    return best;
  };
  let floors = 0;
  let top = null;
  for (let c = 0; c < components.length; c += 1) {
    if (floorsOf(c) > floors) {
      floors = floorsOf(c);
      top = c;
    }
  }
  const chain = [];
  for (let c = top; c !== null && c !== undefined; c = below.get(c)) chain.push(components[c].join(' | '));
  return {
    folders: nodes.size,
    pairs: pairs.sort(),
    cycles: components.filter((c) => c.length > 1),
    floors,
    chain,
  };
}

/** Cruises `base` (the repository by default) and returns the rule violations and the measures. */
export async function checkBoundaries(base = root) {
  const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
  const cwd = process.cwd();
  // Paths in the rules and the report are relative to the tree being checked.
  process.chdir(base);
  try {
    const dirs = ['packages/core/src', 'packages/server/src', 'packages/web/src'].filter((d) =>
      existsSync(path.join(base, d)),
    );
    const tsConfig = extractTSConfig(path.join(base, 'tsconfig.json'));
    const { output } = await cruise(dirs, { ...options, validate: true }, {}, { tsConfig });
    const violations = output.summary.violations.map((v) => ({
      rule: v.rule.name,
      from: v.from,
      to: v.to,
      cycle: v.cycle?.map((c) => c.name ?? c),
    }));
    return { violations, modules: output.modules.length, ...measure(output.modules) };
  } finally {
    process.chdir(cwd);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const baseAt = args.indexOf('--base');
  const base = baseAt >= 0 ? path.resolve(args[baseAt + 1]) : root;
  const r = await checkBoundaries(base);
  if (args.includes('--json')) console.log(JSON.stringify(r));
  const problems = [];
  for (const v of r.violations) {
    problems.push(`${v.rule}: ${v.from} → ${v.to}${v.cycle ? ` (cycle: ${v.cycle.join(' → ')})` : ''}`);
  }
  for (const c of r.cycles) problems.push(`folder cycle: ${c.join(', ')}`);
  if (r.floors > MAX_FLOORS) problems.push(`${r.floors} floors (at most ${MAX_FLOORS}): ${r.chain.join(' → ')}`);
  if (r.pairs.length >= MAX_FEATURE_PAIRS) {
    problems.push(
      `${r.pairs.length} feature-to-feature pairs (fewer than ${MAX_FEATURE_PAIRS}): ${r.pairs.join(', ')}`,
    );
  }
  if (!args.includes('--json'))
    console.log(
      `boundaries: ${r.modules} modules, ${r.violations.length} rule violations; server folders ${r.folders}, ` +
        `feature pairs ${r.pairs.length}, folder cycles ${r.cycles.length}, floors ${r.floors}`,
    );
  if (args.includes('--verbose')) {
    console.log(`feature pairs:\n  ${r.pairs.join('\n  ')}`);
    console.log(`longest chain: ${r.chain.join(' → ')}`);
  }
  for (const p of problems) console.error(`  ✗ ${p}`);
  process.exitCode = problems.length ? 1 : 0;
}
