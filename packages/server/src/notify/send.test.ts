import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addressPolicy } from './address-policy.js';
import { DeliveryError, sendMessage, type OutboundMessage } from './send.js';

const out: OutboundMessage = {
  type: 'webhook',
  message: { version: 1, type: 'test', text: '测试' } as unknown as Extract<
    OutboundMessage,
    { type: 'webhook' }
  >['message'],
};

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/**
 * A webhook receiver that answers 200, except that `drop(n, socketRequests)` may close the
 * connection instead of answering, the way a server ends an idle keep-alive socket just as a
 * request arrives on it. Returns the URL and the requests it saw, with how many came before on
 * the same socket.
 */
async function receiver(drop: (requestNo: number, onSocket: number) => boolean) {
  const seen: { onSocket: number }[] = [];
  const perSocket = new WeakMap<Socket, number>();
  server = createServer((req, res) => {
    const onSocket = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, onSocket);
    seen.push({ onSocket });
    if (drop(seen.length, onSocket)) {
      req.socket.destroy();
      return;
    }
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, seen };
}

describe('sending over a kept-alive connection', () => {
  const policy = addressPolicy(['127.0.0.1']);

  it('sends again on a new connection when the reused one was closed under it', async () => {
    // The second request reuses the first one's socket, which the receiver then drops.
    const r = await receiver((n) => n === 2);
    await sendMessage({ secrets: { url: r.url }, out, now: Date.now(), policy });
    await sendMessage({ secrets: { url: r.url }, out, now: Date.now(), policy });
    expect(r.seen.map((s) => s.onSocket)).toEqual([1, 2, 1]);
  });

  it('does not send twice when a new connection fails: the receiver may have acted on it', async () => {
    const r = await receiver(() => true);
    await expect(sendMessage({ secrets: { url: r.url }, out, now: Date.now(), policy })).rejects.toBeInstanceOf(
      DeliveryError,
    );
    expect(r.seen).toHaveLength(1);
  });
});
