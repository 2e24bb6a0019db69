import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../clock.js';
import { AnswerCache } from './answer-cache.js';

describe('answer cache', () => {
  afterEach(() => setClock());

  it('computes once for requests that ask for one key at the same time, and keeps the answer', async () => {
    const cache = new AnswerCache<{ n: number }>({ maxEntries: 10, maxBytes: 100, size: () => 1 });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { value: { n: computed }, validUntil: Date.now() + 60_000 };
    };
    const answers = await Promise.all([cache.get('k', compute), cache.get('k', compute), cache.get('k', compute)]);
    expect(answers.map((a) => a.n)).toEqual([1, 1, 1]);
    expect((await cache.get('k', compute)).n).toBe(1);
    expect((await cache.get('other', compute)).n).toBe(2);
    expect(computed).toBe(2);
  });

  it('computes again once the clock passes the answer’s end, or goes back before its start', async () => {
    let at = 1_000_000;
    setClock(() => at);
    const cache = new AnswerCache<{ at: number }>({ maxEntries: 10, maxBytes: 100, size: () => 1 });
    const compute = () => Promise.resolve({ value: { at }, validUntil: at + 100 });
    expect((await cache.get('k', compute)).at).toBe(1_000_000);
    at += 99;
    expect((await cache.get('k', compute)).at).toBe(1_000_000);
    at += 1;
    expect((await cache.get('k', compute)).at).toBe(1_000_100);
    at = 1_000_050;
    expect((await cache.get('k', compute)).at).toBe(1_000_050);
  });

  it('keeps nothing from a failed computation and nothing larger than its budget', async () => {
    const cache = new AnswerCache<{ size: number }>({ maxEntries: 10, maxBytes: 100, size: (v) => v.size });
    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    let computed = 0;
    const big = () => Promise.resolve({ value: { size: 1_000 + computed++ }, validUntil: Date.now() + 60_000 });
    expect((await cache.get('big', big)).size).toBe(1_000);
    expect((await cache.get('big', big)).size).toBe(1_001);
    const small = () => Promise.resolve({ value: { size: 10 + computed++ }, validUntil: Date.now() + 60_000 });
    expect((await cache.get('k', small)).size).toBe(12);
    expect((await cache.get('k', small)).size).toBe(12);
  });
});
