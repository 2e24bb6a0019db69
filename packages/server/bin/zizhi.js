#!/usr/bin/env node
// The built command; `npm install` builds it (the root package's prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('Zizhi is not built yet: run `npm run build` in the project folder first.');
  process.exit(2);
}
await import(entry.href);
