// Real local peers for the notification tests and the bench: an HTTP server standing in for the
// 企业微信, 钉钉 and 飞书 robots and a webhook receiver, each checking signatures the way the real
// service computes them (written out here again, independently of notify/sign.ts), and an SMTP sink.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface RobotRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  json: Record<string, unknown>;
  /** Whether the signature checked out (null: the endpoint has no secret). */
  signed: boolean | null;
}

export interface RobotPeer {
  url: string;
  requests: RobotRequest[];
  close(): Promise<void>;
}

/** What /leak and /leak-robot answer: it must never reach the delivery log or a test result. */
export const PEER_SECRET_BODY = 'internal-service-banner: redis_version=7.2.4 secret-token=tkn_3f9a8b7c';

const eq = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const HOUR_S = 3600;

/**
 * Paths: /wecom, /dingtalk, /feishu, /webhook answer as the services do; /fail answers HTTP 500;
 * /leak answers HTTP 500 and /leak-robot a robot refusal, both with PEER_SECRET_BODY in the body;
 * /redirect?to=<url> answers 302 to that URL.
 * `secrets` per path enables the signature check: a bad signature gets the service's refusal.
 */
export async function startRobotPeer(
  secrets: { dingtalk?: string; feishu?: string; webhook?: string } = {},
): Promise<RobotPeer> {
  const requests: RobotRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://localhost');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // left empty
      }
      const nowS = Math.floor(Date.now() / 1000);
      const send = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const path = url.pathname;
      let signed: boolean | null = null;
      if (path === '/dingtalk' && secrets.dingtalk) {
        // 钉钉 加签: sign = urlencode(base64(HmacSHA256(key = secret, msg = timestamp + "\n" + secret))),
        // timestamp in ms within one hour. URLSearchParams has already URL-decoded `sign`.
        const ts = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', secrets.dingtalk).update(`${ts}\n${secrets.dingtalk}`).digest('base64');
        signed =
          /^\d{13}$/.test(ts) &&
          Math.abs(Number(ts) / 1000 - nowS) < HOUR_S &&
          eq(expected, url.searchParams.get('sign') ?? '');
      } else if (path === '/feishu' && secrets.feishu) {
        // 飞书 签名校验: sign = base64(HmacSHA256(key = timestamp + "\n" + secret, msg = empty)), timestamp in s.
        const ts = typeof json.timestamp === 'string' ? json.timestamp : '';
        const expected = createHmac('sha256', `${ts}\n${secrets.feishu}`).update('').digest('base64');
        signed =
          /^\d{10}$/.test(ts) &&
          Math.abs(Number(ts) - nowS) < HOUR_S &&
          eq(expected, typeof json.sign === 'string' ? json.sign : '');
      } else if (path === '/webhook' && secrets.webhook) {
        const ts = String(req.headers['x-zizhi-timestamp'] ?? '');
        const expected = `sha256=${createHmac('sha256', secrets.webhook).update(`${ts}.${raw}`).digest('hex')}`;
        signed = Math.abs(Number(ts) - nowS) <= 300 && eq(expected, String(req.headers['x-zizhi-signature'] ?? ''));
      }
      requests.push({ path, query: url.searchParams, headers: req.headers, raw, json, signed });
      if (path === '/fail') return send(500, { error: 'down for maintenance' });
      if (path === '/leak') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end(PEER_SECRET_BODY);
      }
      if (path === '/leak-robot') return send(200, { errcode: 77_001, errmsg: PEER_SECRET_BODY });
      if (path === '/redirect') {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        return res.end(PEER_SECRET_BODY);
      }
      if (path === '/dingtalk')
        return send(
          200,
          signed === false ? { errcode: 310000, errmsg: 'sign not match' } : { errcode: 0, errmsg: 'ok' },
        );
      if (path === '/feishu') {
        return send(
          200,
          signed === false
            ? { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' }
            : { code: 0, msg: 'success', data: {} },
        );
      }
      if (path === '/wecom') return send(200, { errcode: 0, errmsg: 'ok' });
      if (path === '/webhook') return signed === false ? send(401, { error: 'bad signature' }) : send(204, {});
      return send(404, { error: 'no such robot' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpSink {
  port: number;
  mails: (ParsedMail & { envelopeTo: string[]; user: string | undefined })[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (no TLS) that accepts user zizhi / password `password`. */
export async function startSmtpSink(password = 'smtp-password'): Promise<SmtpSink> {
  const mails: SmtpSink['mails'] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.password !== password) return cb(new Error('535 authentication failed'));
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(
            Object.assign(mail, {
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              user: session.user as string | undefined,
            }),
          );
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
