import { randomBytes } from 'node:crypto';
import { Readable, type PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { FanOut } from './fan-out.js';

const source = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
    })(),
  );

async function collect(input: PassThrough): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    chunks.push(chunk as Buffer);
    // A slow target: the writer must wait for it, not buffer the whole archive.
    await new Promise((r) => setImmediate(r));
  }
  return Buffer.concat(chunks);
}

describe('fan-out to several targets', () => {
  it('gives every target the same bytes, and goes on when one target fails part way', async () => {
    const bytes = randomBytes(8 * 1024 * 1024);
    const fan = new FanOut<Buffer>([
      collect,
      async (input) => {
        // Reads a little, then fails and stops reading: the writer must not wait for it.
        for await (const _ of input) throw new Error('disk full');
        return Buffer.alloc(0);
      },
      collect,
    ]);
    await pipeline(source(bytes), fan);
    const [a, failed, b] = await fan.outcomes();
    // Compared as booleans: a deep comparison of 8 MB buffers takes minutes.
    expect(a?.ok && a.value.equals(bytes)).toBe(true);
    expect(b?.ok && b.value.equals(bytes)).toBe(true);
    expect(failed).toMatchObject({ ok: false, stopped: false, error: new Error('disk full') });
  }, 30_000);

  it('fails the writer only when every target has failed', async () => {
    const fan = new FanOut<Buffer>([
      () => Promise.reject(new Error('no bucket')),
      () => Promise.reject(new Error('no folder')),
    ]);
    await expect(pipeline(source(randomBytes(4 * 1024 * 1024)), fan)).rejects.toThrow('no bucket');
    expect((await fan.outcomes()).map((o) => (o.ok ? 'ok' : (o.error as Error).message))).toEqual([
      'no bucket',
      'no folder',
    ]);
  });

  it('stops every target when the writer stops, marking their failures as caused by it', async () => {
    const fan = new FanOut<Buffer>([collect, collect]);
    const failing = Readable.from(
      (function* () {
        yield randomBytes(1024);
        throw new Error('database went away');
      })(),
    );
    await expect(pipeline(failing, fan)).rejects.toThrow('database went away');
    const outcomes = await fan.outcomes();
    expect(outcomes.map((o) => !o.ok && o.stopped)).toEqual([true, true]);
  });
});
