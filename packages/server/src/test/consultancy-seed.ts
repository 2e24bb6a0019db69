// A consultancy's certificates for the bench and the size-bound test: CS1–CS4 issued over the
// last four years with the events of their lives, from a fixed seed, written through the
// services' own recompute (as the event routes do), so the rows are what the product stores.
import { addCalendarDays, type Level } from '@zizhi/core';
import type { Db } from '../db/client.js';
import { certificateEvents, certificates } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';
import { recomputeCertificate } from '../modules/obligations/api.js';
import { prng } from './prng.js';

/** A valid unified social credit code for organisation `n` (GB 32100-2015 check character). */
export function creditCode(n: number): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const body = `9144030070${String(n).padStart(7, '0')}`;
  const sum = [...body].reduce((s, c, i) => s + alphabet.indexOf(c) * weights[i]!, 0);
  return body + alphabet[(31 - (sum % 31)) % 31]!;
}

type SeedEvent = { type: string; date?: string; at?: string; data?: object };

/** The events of a certificate's life so far: supervisions passed, self-checks, changes, incidents. */
function eventsFor(random: () => number, issuedOn: string, level: Level): SeedEvent[] {
  const events: SeedEvent[] = [];
  const year = Number(issuedOn.slice(0, 4));
  for (let k = 1; k <= 3 && year + k <= 2026; k++) {
    if (level === 'CS1' || level === 'CS2') {
      events.push({
        type: 'self-check.notice',
        date: `${year + k}-03-01`,
        data: { year: year + k, deadline: `${year + k}-04-30` },
      });
    } else {
      events.push({ type: 'supervision.done', date: addCalendarDays(issuedOn, 365 * k + 30), data: { passed: true } });
    }
  }
  const kinds = ['complaint', 'license.changed', 'change.general', 'policy.update', 'incident'];
  const extra = 2 + Math.floor(random() * 6);
  for (let i = 0; i < extra; i++) {
    const date = addCalendarDays(issuedOn, 30 + Math.floor(random() * 1200));
    if (date > '2026-11-30') continue;
    const type = kinds[Math.floor(random() * kinds.length)]!;
    events.push(type === 'incident' ? { type, at: `${date}T10:15:00+08:00` } : { type, date });
  }
  return events;
}

/** Adds `count` certificates spread over `orgIds`; returns their ids and how many events they got. */
export async function seedCertificates(
  db: Db,
  orgIds: readonly string[],
  count: number,
  seed = 20261205,
): Promise<{ certIds: string[]; events: number }> {
  const random = prng(seed);
  const levels: Level[] = ['CS1', 'CS2', 'CS2', 'CS3', 'CS3', 'CS4'];
  const certIds: string[] = [];
  let events = 0;
  for (let i = 0; i < count; i++) {
    const orgId = orgIds[i % orgIds.length]!;
    const level = levels[Math.floor(random() * levels.length)]!;
    const issuedOn = addCalendarDays('2022-12-01', Math.floor(random() * 1400));
    const list = eventsFor(random, issuedOn, level);
    events += list.length;
    const id = await withSystem(db, async (tx) => {
      const [row] = await tx
        .insert(certificates)
        .values({
          orgId,
          level,
          number: `${level}2022${String(i).padStart(6, '0')}`,
          issuer: '中国电子信息行业联合会',
          issuedOn,
          expiresOn: addCalendarDays(addCalendarDays(issuedOn, 365 * 4 + 1), -1),
          state: 'active',
        })
        .returning({ id: certificates.id });
      if (list.length > 0) {
        await tx.insert(certificateEvents).values(
          list.map((e) => ({
            orgId,
            certificateId: row!.id,
            type: e.type,
            date: e.date ?? e.at!.slice(0, 10),
            at: e.at ? new Date(e.at) : null,
            data: e.data ?? {},
          })),
        );
      }
      await recomputeCertificate(tx, row!.id);
      return row!.id;
    });
    certIds.push(id);
  }
  return { certIds, events };
}
