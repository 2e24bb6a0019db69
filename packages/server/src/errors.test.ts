import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidDateError, CalendarUnknownYearError } from '@zizhi/core';
import type { Database } from './db/client.js';
import { users } from './db/schema.js';
import { AppError, loggableError, toAppError } from './errors.js';
import { createTestDatabase } from './test/harness.js';

describe('error mapping', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
  });
  afterAll(() => database.close());

  async function failingInsert(): Promise<unknown> {
    const row = { email: 'dup@example.cn', name: 'D', passwordHash: 'SECRET-HASH-VALUE' };
    await database.db.insert(users).values(row).onConflictDoNothing();
    try {
      await database.db.insert(users).values(row);
    } catch (err) {
      return err;
    }
    expect.unreachable('the duplicate insert should fail');
  }

  it('logs a failed query without its parameters', async () => {
    const err = await failingInsert();
    expect(String((err as Error).message)).toContain('SECRET-HASH-VALUE');
    const logged = JSON.stringify(loggableError(err));
    expect(logged).not.toContain('SECRET-HASH-VALUE');
    expect(logged).toContain('23505');
  });

  it('turns a unique violation into a 409 conflict', async () => {
    const mapped = toAppError(await failingInsert());
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped!.status).toBe(409);
  });

  it("maps core's errors by their code", () => {
    expect(toAppError(new InvalidDateError('2026-02-30 does not exist'))!.status).toBe(400);
    expect(toAppError(new CalendarUnknownYearError(2027))!.code).toBe('CALENDAR_UNKNOWN_YEAR');
    expect(toAppError(new Error('boom'))).toBeNull();
  });
});
