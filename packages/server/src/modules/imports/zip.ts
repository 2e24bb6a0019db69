import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { invalid } from '../../errors.js';

/** One file of a zip archive as its central directory describes it (sizes as declared, unverified). */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  /** What the archive claims; an attacker's archive may lie, so readers count what they inflate. */
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;

const broken = (detail: string) =>
  invalid('file', `无法读取该 Excel 文件（压缩包结构有误：${detail}）；请在 Excel 中打开并另存为 .xlsx 后重试`);

/** A 64-bit little-endian field as a number; larger than any file we accept means broken. */
function u64(buffer: Buffer, at: number): number {
  const value = buffer.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw broken('大小或位置超出范围');
  return Number(value);
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  if (bytesRead !== length) throw broken('文件被截断');
  return buffer;
}

/**
 * A zip archive read from its central directory, so the entry count and every declared size are
 * known before a byte is inflated, and any entry can be read in the order the reader needs.
 */
export class ZipArchive {
  private constructor(
    private readonly path: string,
    private readonly size: number,
    readonly entries: ZipEntry[],
    private readonly handle: FileHandle,
  ) {}

  /**
   * Reads the directory. `tooManyEntries` is thrown before the directory is parsed when the
   * end record announces more entries than `maxEntries`; `maxDirectoryBytes` bounds what is read
   * into memory for it.
   */
  static async open(
    path: string,
    {
      maxEntries,
      maxDirectoryBytes,
      tooManyEntries,
    }: { maxEntries: number; maxDirectoryBytes: number; tooManyEntries: (count: number) => Error },
  ): Promise<ZipArchive> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size < EOCD_SIZE) throw broken('文件过短');
      const tailLength = Math.min(size, EOCD_SIZE + MAX_COMMENT);
      const tail = await readAt(handle, size - tailLength, tailLength);
      let at = -1;
      for (let i = tailLength - EOCD_SIZE; i >= 0; i--) {
        if (tail.readUInt32LE(i) === EOCD && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tailLength) {
          at = i;
          break;
        }
      }
      if (at < 0) throw broken('找不到目录');
      let count = tail.readUInt16LE(at + 10);
      let directorySize = tail.readUInt32LE(at + 12);
      let directoryOffset = tail.readUInt32LE(at + 16);
      if (count === U16_MAX || directorySize === U32_MAX || directoryOffset === U32_MAX) {
        const locatorAt = size - tailLength + at - 20;
        if (locatorAt < 0) throw broken('缺少 ZIP64 目录');
        const locator = await readAt(handle, locatorAt, 20);
        if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw broken('缺少 ZIP64 目录');
        const record = await readAt(handle, u64(locator, 8), 56);
        if (record.readUInt32LE(0) !== ZIP64_EOCD) throw broken('ZIP64 目录无效');
        count = u64(record, 32);
        directorySize = u64(record, 40);
        directoryOffset = u64(record, 48);
      }
      if (count > maxEntries) throw tooManyEntries(count);
      if (directorySize > maxDirectoryBytes) throw broken('目录过大');
      if (directoryOffset + directorySize > size) throw broken('目录位置超出文件');
      const directory = await readAt(handle, directoryOffset, directorySize);
      const entries: ZipEntry[] = [];
      let p = 0;
      for (let n = 0; n < count; n++) {
        if (p + 46 > directory.length || directory.readUInt32LE(p) !== CENTRAL) throw broken('目录记录无效');
        const nameLength = directory.readUInt16LE(p + 28);
        const extraLength = directory.readUInt16LE(p + 30);
        const commentLength = directory.readUInt16LE(p + 32);
        const end = p + 46 + nameLength + extraLength + commentLength;
        if (end > directory.length) throw broken('目录记录无效');
        const flags = directory.readUInt16LE(p + 8);
        const entry: ZipEntry = {
          // Bit 11 marks UTF-8 names; the names an xlsx reader looks for are ASCII either way.
          name: directory.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLength),
          flags,
          method: directory.readUInt16LE(p + 10),
          compressedSize: directory.readUInt32LE(p + 20),
          uncompressedSize: directory.readUInt32LE(p + 24),
          localHeaderOffset: directory.readUInt32LE(p + 42),
        };
        readZip64Sizes(entry, directory.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
        entries.push(entry);
        p = end;
      }
      return new ZipArchive(path, size, entries, handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** The first entry of that name (a duplicate later in the directory is ignored). */
  find(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /**
   * The entry's inflated bytes. `onCompressed` is told of each compressed chunk read from the
   * file (for progress). Destroying the returned stream stops the file read and the inflation.
   */
  async open(entry: ZipEntry, onCompressed: (bytes: number) => void = () => {}): Promise<Readable> {
    if (entry.flags & 0x1) {
      throw invalid('file', `工作簿中的 ${entry.name} 已加密，无法读取；请取消密码保护后另存为 .xlsx 再导入`);
    }
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw broken(`${entry.name} 使用了不支持的压缩方式 ${entry.method}`);
    }
    const header = await readAt(this.handle, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL) throw broken(`${entry.name} 的文件头无效`);
    const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > this.size) throw broken(`${entry.name} 超出文件末尾`);
    const out = new PassThrough({ highWaterMark: 64 * 1024 });
    if (entry.compressedSize === 0) {
      out.end();
      return out;
    }
    // 64 KB at a time: a larger read inflates to megabytes of XML parsed at once, and the
    // thousands of rows alive together get promoted to V8's old generation for nothing.
    const file = createReadStream(this.path, {
      start,
      end: start + entry.compressedSize - 1,
      highWaterMark: 64 * 1024,
    });
    file.on('data', (chunk) => onCompressed(chunk.length));
    const done = (err: Error | null) => {
      if (err && !out.destroyed)
        out.destroy(err.message.includes('unexpected end') ? broken(`${entry.name} 不完整`) : err);
    };
    if (entry.method === STORED) pipeline(file, out, done);
    else pipeline(file, createInflateRaw(), out, done);
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Sizes and offset too large for 32 bits are in the ZIP64 extra field, in this order. */
function readZip64Sizes(entry: ZipEntry, extra: Buffer): void {
  if (entry.uncompressedSize !== U32_MAX && entry.compressedSize !== U32_MAX && entry.localHeaderOffset !== U32_MAX) {
    return;
  }
  for (let p = 0; p + 4 <= extra.length;) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      const next = () => {
        if (q + 8 > p + 4 + length) throw broken(`${entry.name} 的 ZIP64 字段不完整`);
        const value = u64(extra, q);
        q += 8;
        return value;
      };
      if (entry.uncompressedSize === U32_MAX) entry.uncompressedSize = next();
      if (entry.compressedSize === U32_MAX) entry.compressedSize = next();
      if (entry.localHeaderOffset === U32_MAX) entry.localHeaderOffset = next();
      return;
    }
    p += 4 + length;
  }
  throw broken(`${entry.name} 缺少 ZIP64 字段`);
}
