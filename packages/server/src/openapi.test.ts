import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, renderApiTypes } from './test/api-types.js';

describe('web API types', () => {
  it('match the server routes (run `npm run gen:api` after changing a route)', async () => {
    expect(await readFile(API_TYPES_FILE, 'utf8')).toBe(await renderApiTypes());
  });
});
