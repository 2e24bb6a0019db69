// Regenerates packages/web/src/api/schema.d.ts from the server's routes.
import { writeFile } from 'node:fs/promises';
import { API_TYPES_FILE, renderApiTypes } from '../packages/server/src/test/api-types.js';

await writeFile(API_TYPES_FILE, await renderApiTypes());
console.log(`Wrote ${API_TYPES_FILE.pathname}`);
