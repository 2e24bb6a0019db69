// Records the SHA-256 of each migration in packages/server/src/db/migrations/released.json, the
// list a test holds every migration to (the file's hash first, then any text an earlier release
// shipped under the same name, which installations may have recorded). It only ever adds: a
// migration already recorded keeps its hashes, so an edit to it fails the test instead of being
// silently re-recorded. Run it after generating a new migration.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../packages/server/src/db/migrations');
const file = path.join(dir, 'released.json');
const released = JSON.parse(readFileSync(file, 'utf8'));
const journal = JSON.parse(readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8'));
const added = [];
for (const { tag } of journal.entries) {
  if (released[tag]) continue;
  released[tag] = [
    createHash('sha256')
      .update(readFileSync(path.join(dir, `${tag}.sql`)))
      .digest('hex'),
  ];
  added.push(tag);
}
writeFileSync(file, `${JSON.stringify(released, null, 2)}\n`);
console.log(added.length ? `Recorded ${added.join(', ')}` : 'Every migration is already recorded.');
