// Seeds many due obligations at once, for the concurrency tests and bench/reminders.ts: one
// certificate without engine output, and `count` complaint-response obligations whose reminder
// state says "due at `nextAt`". Not used by the server itself.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { certificates, obligations } from '../db/schema.js';
import { withSystem } from '../db/tenancy.js';

export async function seedDueObligations(
  db: Db,
  {
    orgId,
    count,
    dueDate,
    nextAt,
    prefix = 'seed',
  }: { orgId: string; count: number; dueDate: string; nextAt: Date; prefix?: string },
): Promise<string[]> {
  return withSystem(db, async (tx) => {
    const [cert] = await tx
      .insert(certificates)
      .values({
        orgId,
        level: 'CS2',
        number: `${prefix.toUpperCase()}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
        issuer: '中国电子信息行业联合会',
        issuedOn: '2025-12-01',
        expiresOn: '2029-11-30',
      })
      .returning({ id: certificates.id });
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({
        orgId,
        certificateId: cert!.id,
        key: `${prefix}:${i + j}`,
        rule: 'complaint.response',
        titleZh: `投诉处理回复 #${i + j + 1}`,
        titleEn: `Complaint response #${i + j + 1}`,
        dueDate,
        basis: '收到投诉后 7 个工作日内回复（测试数据）',
        basisEn: 'Within 7 working days (test data)',
        source: 'T',
        nextReminderAt: nextAt,
        nextReminderStep: 'before-3d',
      }));
      const inserted = await tx.insert(obligations).values(rows).returning({ id: obligations.id });
      ids.push(...inserted.map((r) => r.id));
    }
    await tx.execute(sql`analyze obligations`);
    return ids;
  });
}
