import v8 from 'node:v8';

/**
 * The young generation's size for a long-running server, in MB per semi-space. V8 reads it only
 * at start, so it is a command-line flag (`npm start`, bin/zizhi.js, scripts/bench.mjs); V8 otherwise grows the
 * young generation to 32 MB under load and keeps it.
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=4';

/**
 * V8 settings that keep a server on the embedded database near its idle memory under load
 * (measured by bench/consultancy.ts; figures in ARCHITECTURE.md, "Decisions that differ"):
 * - the database's WebAssembly stays on V8's baseline compiler: optimising its hot functions
 *   took about 60 MB more, while its queries ran from a third faster (short ones, which no
 *   longer compete with the optimising compiler for the cores) to 2× slower (scans of the
 *   largest tables, which the kept answers spare most requests);
 * - the old generation grows by a fifth between collections rather than by V8's default
 *   factor, which under steady load kept 10–30 MB more garbage.
 * Must run before the embedded database is opened: WebAssembly compiled earlier keeps its tier.
 */
export function leanRuntimeForEmbedded(): void {
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--heap-growing-percent=20');
}
