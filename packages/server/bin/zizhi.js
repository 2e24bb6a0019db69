#!/usr/bin/env -S node --max-semi-space-size=4
// The flag keeps a long-running server's young generation small (src/cli/lean-runtime.ts).
// The built command; `npm install` builds it (the root package's prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('Zizhi is not built yet: run `npm run build` in the project folder first.');
  process.exit(2);
}
await import(entry.href);
