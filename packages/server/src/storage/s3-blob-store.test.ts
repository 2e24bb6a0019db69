import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { inspect } from 'node:util';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createOrg, createTestDatabase, setupAdmin, type Tenant, type TestApp } from '../test/harness.js';
import { pdf, uploadFile } from '../test/multipart.js';
import { startS3rver, type LocalS3 } from '../test/s3rver.js';
import { BlobCorruptError, BlobMissingError, createBlobStore, S3BlobStore } from './index.js';

const BUCKET = 'zizhi-test';
const CREDENTIALS = { s3AccessKeyId: 'S3RVER', s3SecretAccessKey: 'S3RVER' };
const MB = 1024 * 1024;

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A stream of `bytes` in 64 KB chunks, as an upload arrives. */
function chunked(bytes: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
    })(),
  );
}

let local: LocalS3;
let endpoint: string;
/** Reaches the bucket directly, as an operator (or a fault) would. */
let s3: S3Client;

beforeAll(async () => {
  local = await startS3rver(BUCKET);
  endpoint = local.endpoint;
  s3 = local.client;
});

afterAll(() => local?.close());

const keysUnder = async (prefix: string) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }))).Contents ?? [])
    .map((o) => o.Key!)
    .sort();

const overwrite = (key: string, bytes: Buffer) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes, ContentLength: bytes.length }));

describe('S3 blob store', () => {
  let dataDir: string;
  let spoolDir: string;
  let store: S3BlobStore;
  const prefix = `store-${randomBytes(4).toString('hex')}/`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-s3-'));
    const config = loadConfig(
      {},
      { dataDir, s3Endpoint: endpoint, s3Bucket: BUCKET, s3Prefix: prefix, ...CREDENTIALS },
    );
    spoolDir = path.join(config.filesDir, 'tmp');
    const created = createBlobStore(config);
    expect(created).toBeInstanceOf(S3BlobStore);
    store = created as S3BlobStore;
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const spooled = () => readdir(spoolDir).catch(() => [] as string[]);

  it('stores bytes under <prefix><first two hex>/<sha256> and returns them verified', async () => {
    const bytes = Buffer.from('营业执照扫描件 round trip');
    const blob = await store.put(bytes);
    expect(blob).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
    expect(store.keyOf(blob.sha256)).toBe(`${prefix}${blob.sha256.slice(0, 2)}/${blob.sha256}`);
    expect(await keysUnder(store.keyOf(blob.sha256))).toEqual([store.keyOf(blob.sha256)]);
    expect(await store.has(blob.sha256)).toBe(true);
    const got = await store.get(blob.sha256);
    expect(got.size).toBe(bytes.length);
    expect((await readAll(got.stream)).equals(bytes)).toBe(true);
  });

  it('streams a multi-MB upload and download through the spool folder, leaving nothing there', async () => {
    const bytes = randomBytes(6 * MB + 123);
    const blob = await store.put(chunked(bytes));
    expect(blob).toEqual({ sha256: sha256Of(bytes), size: bytes.length });
    expect(await spooled()).toEqual([]);
    const got = await store.get(blob.sha256);
    expect(got.size).toBe(bytes.length);
    expect((await readAll(got.stream)).equals(bytes)).toBe(true);
    expect(await spooled()).toEqual([]);
  });

  it('stores identical content once, whether it comes as a stream or a buffer', async () => {
    const bytes = Buffer.from(`same bytes ${randomBytes(8).toString('hex')}`);
    const first = await store.put(chunked(bytes));
    const second = await store.put(bytes);
    const third = await store.put(chunked(bytes));
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(await keysUnder(`${prefix}${first.sha256.slice(0, 2)}/`)).toEqual([store.keyOf(first.sha256)]);
  });

  it.each([
    ['small (verified in memory)', 2048],
    ['large (verified through a spool file)', 3 * MB],
  ])('reports a %s object whose bytes no longer match as BlobCorruptError and serves none of it', async (_, size) => {
    const bytes = randomBytes(size);
    const blob = await store.put(bytes);
    const tampered = Buffer.from(bytes);
    tampered[size - 1] = tampered[size - 1]! ^ 0xff;
    await overwrite(store.keyOf(blob.sha256), tampered);
    const failure = await store.get(blob.sha256).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(BlobCorruptError);
    expect((failure as BlobCorruptError).message).toContain('文件已损坏（校验值不符）');
    expect(await spooled()).toEqual([]);
  });

  it('repairs a damaged object of another length when the same content is uploaded again', async () => {
    const bytes = randomBytes(4096);
    const blob = await store.put(bytes);
    await overwrite(store.keyOf(blob.sha256), bytes.subarray(0, 100));
    await expect(store.get(blob.sha256)).rejects.toBeInstanceOf(BlobCorruptError);
    expect(await store.put(chunked(bytes))).toEqual(blob);
    expect((await readAll((await store.get(blob.sha256)).stream)).equals(bytes)).toBe(true);
  });

  it('reports a blob that is not in the bucket as BlobMissingError', async () => {
    const absent = sha256Of(Buffer.from('never stored'));
    expect(await store.has(absent)).toBe(false);
    await expect(store.get(absent)).rejects.toBeInstanceOf(BlobMissingError);
  });

  it('stores nothing when the upload stream fails part way', async () => {
    const before = await keysUnder(prefix);
    const failing = Readable.from(
      (function* () {
        yield randomBytes(256 * 1024);
        throw new Error('client went away');
      })(),
    );
    await expect(store.put(failing)).rejects.toThrow('client went away');
    expect(await keysUnder(prefix)).toEqual(before);
    expect(await spooled()).toEqual([]);
  });

  it('refuses a name that is not a SHA-256 rather than building a key from it', async () => {
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });
});

describe('S3 storage settings', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).message;
    }
    return expect.unreachable('configuration accepted');
  };

  it('stores files locally unless a bucket is set, and in the bucket with path-style URLs when it is', () => {
    expect(loadConfig({}).s3).toBeUndefined();
    const config = loadConfig({
      ZIZHI_S3_BUCKET: 'zizhi-files',
      ZIZHI_S3_ENDPOINT: 'http://minio:9000',
      ZIZHI_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      ZIZHI_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
      ZIZHI_S3_PREFIX: 'zizhi',
    });
    expect(config.s3).toMatchObject({
      bucket: 'zizhi-files',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: 'AKIDEXAMPLE',
      prefix: 'zizhi/',
      forcePathStyle: true,
    });
    expect(config.s3!.secretAccessKey.reveal()).toBe('wJalrXUtnFEMI');
  });

  it('never prints the secret access key, however the configuration is logged', () => {
    const config = loadConfig({
      ZIZHI_S3_BUCKET: 'zizhi-files',
      ZIZHI_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      ZIZHI_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
    });
    const copy = { ...config, port: 1 };
    for (const printed of [
      JSON.stringify(copy),
      inspect(copy, { depth: null }),
      `${String(config.s3?.secretAccessKey)}`,
    ]) {
      expect(printed).not.toContain('wJalrXUtnFEMI');
    }
    expect(JSON.stringify(config)).toContain('"secretAccessKey":"[redacted]"');
  });

  it('refuses a bucket without credentials, naming what is missing but no value', () => {
    const message = problemsOf({ ZIZHI_S3_BUCKET: 'zizhi-files', ZIZHI_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI' });
    expect(message).toContain('ZIZHI_S3_BUCKET is set but ZIZHI_S3_ACCESS_KEY_ID is not');
    expect(message).not.toContain('wJalrXUtnFEMI');
    expect(problemsOf({ ZIZHI_S3_BUCKET: 'zizhi-files' })).toContain(
      'ZIZHI_S3_ACCESS_KEY_ID and ZIZHI_S3_SECRET_ACCESS_KEY are not',
    );
  });

  it('refuses S3 settings without a bucket, and lists them with the other wrong settings', () => {
    const message = problemsOf({ ZIZHI_S3_ENDPOINT: 'minio:9000', ZIZHI_S3_ACCESS_KEY_ID: 'AKIDEXAMPLE', PORT: 'x' });
    expect(message).toContain('PORT');
    expect(message).toContain('ZIZHI_S3_ENDPOINT: must be a URL starting with http:// or https://');
    expect(message).toContain('ZIZHI_S3_ENDPOINT and ZIZHI_S3_ACCESS_KEY_ID are set but ZIZHI_S3_BUCKET is not');
    expect(problemsOf({ ZIZHI_S3_BUCKET: 'a/b' })).toContain('ZIZHI_S3_BUCKET: must be a bucket name');
  });
});

describe('file routes with S3 storage', () => {
  let t: TestApp;
  let config: Config;
  let dataDir: string;
  let a: Tenant;
  let orgId: string;
  const prefix = `routes-${randomBytes(4).toString('hex')}/`;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-s3-files-'));
    config = loadConfig(
      {},
      { dataDir, logLevel: 'silent', s3Endpoint: endpoint, s3Bucket: BUCKET, s3Prefix: prefix, ...CREDENTIALS },
    );
    const database = await createTestDatabase('pglite');
    const app = await buildApp({ database, config, logger: false });
    t = {
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
    a = await setupAdmin(t.app);
    orgId = (await createOrg(a)).id;
  });
  afterAll(async () => {
    await t?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (filename: string, content: Buffer) => uploadFile(a.owner, orgId, { filename, content });

  it.each([
    ['a small file', 1024],
    ['a multi-MB file', 5 * MB],
  ])('uploads %s into the bucket and downloads the same bytes, keeping nothing on local disk', async (_, size) => {
    const content = pdf(Buffer.alloc(size, 0x20));
    const res = await upload('资质证书.pdf', content);
    expect(res.statusCode, res.body).toBe(201);
    const file = res.json();
    expect(file).toMatchObject({ sha256: sha256Of(content), size: content.length, contentType: 'application/pdf' });
    expect(await keysUnder(prefix)).toContain(`${prefix}${file.sha256.slice(0, 2)}/${file.sha256}`);

    const down = await a.owner.get(`/api/orgs/${orgId}/files/${file.id}`);
    expect(down.statusCode).toBe(200);
    expect(Number(down.headers['content-length'])).toBe(content.length);
    expect(down.rawPayload.equals(content)).toBe(true);
    const local = await readdir(config.filesDir, { recursive: true }).catch(() => [] as string[]);
    expect(local.filter((entry) => entry !== 'tmp')).toEqual([]);
  });

  it('refuses to serve a file whose object was altered in the bucket, with the clear error', async () => {
    const content = pdf(Buffer.from('will be tampered'));
    const file = (await upload('审计报告.pdf', content)).json();
    const key = `${prefix}${file.sha256.slice(0, 2)}/${file.sha256}`;
    await overwrite(key, Buffer.from(content.toString('latin1').replace('tampered', 'TAMPERED'), 'latin1'));
    const res = await a.owner.get(`/api/orgs/${orgId}/files/${file.id}`);
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.json().error).toMatchObject({ code: 'INTERNAL' });
    expect(res.json().error.message).toContain('文件已损坏（校验值不符）');
    expect(res.body).not.toContain('%PDF');
  });
});
