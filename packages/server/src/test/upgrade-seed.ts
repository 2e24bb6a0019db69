// Creates the data of the upgrade fixture with a released version's own code. Copy this file
// into a checkout of that release at packages/server/src/test/ and run it there with vitest
// (as seed.test.ts; see docs/upgrades.md): it writes the embedded database and the stored files
// the release made, which the current release then archives with its backup command.
import { cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { it } from 'vitest';
import type { PGlite } from '@electric-sql/pglite';
import { buildFixture, createSecurityTestApp, startWebhookPeer } from './api-operations.js';
import { PASSWORD } from './harness.js';

it('seeds an installation with a bit of everything', async () => {
  const out = process.env.ZIZHI_FIXTURE_OUT;
  if (!out) throw new Error('set ZIZHI_FIXTURE_OUT to the folder to write');
  const t = await createSecurityTestApp('pglite');
  const webhook = await startWebhookPeer();
  try {
    const fixture = await buildFixture(t, webhook.url);
    await mkdir(out, { recursive: true });
    const client = (t.database.db as unknown as { $client: PGlite }).$client;
    await writeFile(
      path.join(out, 'pgdata.tar.gz'),
      Buffer.from(await (await client.dumpDataDir('gzip')).arrayBuffer()),
    );
    await cp(path.join(t.dir, 'files'), path.join(out, 'files'), { recursive: true });
    const facts = { ids: fixture.ids, emails: fixture.emails, password: PASSWORD, tenantAIds: fixture.tenantAIds };
    await writeFile(path.join(out, 'facts.json'), `${JSON.stringify(facts, null, 2)}\n`);
  } finally {
    await webhook.close();
    await t.close();
  }
}, 300_000);
