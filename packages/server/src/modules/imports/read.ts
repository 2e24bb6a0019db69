import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Transform, type Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import { fileTypeFromBuffer } from 'file-type';
import iconv from 'iconv-lite';
import { AppError, invalid } from '../../errors.js';
import type { RawCell } from './cells.js';
import { DecodingCheck, REPLACEMENT_BYTES, unreadableText } from './decoding.js';
import { DEFAULT_IMPORT_LIMITS, readXlsx, unsupported, type ImportLimits } from './xlsx.js';

export type SourceFormat = 'xlsx' | 'csv';

/** One row of the first worksheet or of the CSV, numbered as Excel shows it (from 1). */
export interface SourceRow {
  row: number;
  cells: RawCell[];
}

const HEAD_BYTES = 8 * 1024;

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The file's format by its content (the name only words the refusal): a zip container is
 * read as a workbook, text as CSV. Legacy .xls, HTML tables saved as .xls (what Jira's
 * "Excel" export is) and other binaries are refused with what to do instead.
 */
export async function detectFormat(path: string): Promise<SourceFormat> {
  const head = await readHead(path, HEAD_BYTES);
  if (head.length === 0) throw invalid('file', '文件为空，请选择填好数据的 .xlsx 或 .csv 文件');
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw unsupported('这是旧版 Excel 文件（.xls），请在 Excel 或 WPS 中“另存为” .xlsx 后再导入');
  }
  const detected = await fileTypeFromBuffer(head);
  if (detected) throw unsupported(`检测到的文件类型为 ${detected.ext}（${detected.mime}）`);
  if (head.includes(0)) throw unsupported('文件不是文本表格（含有二进制内容，或是 UTF-16 编码）');
  const start = head
    .toString('latin1', 0, 512)
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('<')) {
    throw unsupported('这是网页（HTML）格式的表格，常见于 Jira 等系统的“导出 Excel”；请在 Excel 中打开后另存为 .xlsx');
  }
  return 'csv';
}

/**
 * Counts the bytes read from a file stream, for progress. Chunks stay at 64 KB: a larger one is
 * parsed into thousands of rows at once, which get promoted to V8's old generation, growing the
 * heap for nothing.
 */
function countingStream(path: string, onBytes: (bytes: number) => void): Readable {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    onBytes(bytes);
  });
  return stream;
}

type CsvEncoding = 'utf8' | 'gb18030';

async function isUtf8(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      decoder.decode(chunk as Buffer, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/**
 * Chinese text in UTF-8 is all characters of three bytes (four for the rarest). GBK text read as
 * UTF-8 breaks at nearly every character and forms such a character only by chance (once per
 * seventy broken sequences or so); a UTF-8 file with a few bad bytes has many whole ones per broken one.
 */
const WHOLE_PER_BROKEN = 2;

/** Characters of three or four bytes in UTF-8, a surrogate pair counted once, U+FFFD not at all. */
function wideCharacters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x800 && code !== 0xfffd && (code < 0xdc00 || code > 0xdfff)) n++;
  }
  return n;
}

/**
 * Whether a file that is not valid UTF-8 is UTF-8 with bad bytes in it (cut off in the middle
 * of a character, or GBK rows pasted into it) rather than GBK: it starts with UTF-8's byte order
 * mark, or its whole UTF-8 characters outnumber its broken sequences more than twice over.
 */
async function isDamagedUtf8(path: string): Promise<boolean> {
  if ((await readHead(path, UTF8_BOM.length)).equals(UTF8_BOM)) return true;
  const decoder = new TextDecoder('utf-8');
  const check = new DecodingCheck(REPLACEMENT_BYTES.utf8);
  let whole = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    const text = decoder.decode(chunk as Buffer, { stream: true });
    check.feed(chunk as Buffer, text);
    whole += wideCharacters(text);
  }
  check.end(decoder.decode());
  return whole > WHOLE_PER_BROKEN * check.madeUp;
}

/**
 * UTF-8 when the whole file is valid UTF-8 (with or without BOM), else GBK (read as GB18030,
 * its superset). The whole file is checked, not a sample: an ASCII header over GBK rows
 * would otherwise pass as UTF-8. Damaged UTF-8 is refused instead: read as GBK, every Chinese
 * character in it would turn into other ones, and no decoder would notice.
 */
export async function detectEncoding(path: string): Promise<CsvEncoding> {
  if (await isUtf8(path)) return 'utf8';
  if (await isDamagedUtf8(path)) throw unreadableText('csv');
  return 'gb18030';
}

/**
 * iconv's decoder, which keeps characters split across chunks whole and drops a BOM, failing
 * the stream on any character it had to make up: a GBK file may still hold bytes that are not GBK.
 */
function decodeChecked(encoding: CsvEncoding): Transform {
  const decoder = iconv.getDecoder(encoding);
  const check = new DecodingCheck(REPLACEMENT_BYTES[encoding]);
  return new Transform({
    encoding: 'utf8',
    transform(chunk: Buffer, _encoding, done) {
      const text = decoder.write(chunk);
      check.feed(chunk, text);
      done(check.isDamaged ? unreadableText('csv') : null, text);
    },
    flush(done) {
      const text = decoder.end() ?? '';
      check.end(text);
      done(check.isDamaged ? unreadableText('csv') : null, text);
    },
  });
}

/** The delimiter the header line uses most: comma, tab (Excel's "text" export) or semicolon. */
function detectDelimiter(firstLine: string): string {
  const counts = [',', '\t', ';'].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  return counts.reduce((best, c) => (c.n > best.n ? c : best)).d;
}

async function* readCsv(path: string, onBytes: (bytes: number) => void): AsyncGenerator<SourceRow> {
  const encoding = await detectEncoding(path);
  const head = iconv.decode(await readHead(path, HEAD_BYTES), encoding).replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(head.split(/\r?\n/)[0] ?? '');
  const source = countingStream(path, onBytes);
  const parser = parseCsv({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: false,
    // A stray quote must not swallow the rest of the file into one field.
    max_record_size: 1024 * 1024,
  });
  // pipeline carries a read or decoding error through to the loop below instead of leaving it waiting.
  pipeline(source, decodeChecked(encoding), parser, () => {});
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines;
    throw invalid(
      'file',
      `CSV 文件格式有误${line ? `（约第 ${line} 行）` : ''}：${(err as Error).message}。请检查引号是否成对，或用 Excel 另存为 .xlsx 后导入`,
    );
  } finally {
    source.destroy();
  }
}

/**
 * The rows of an uploaded file, streamed; `onBytes` reports how far into the file reading is.
 * `limits` bound what a workbook may inflate to (a CSV is read as it is, one bounded record at a time).
 */
export function readRows(
  path: string,
  format: SourceFormat,
  onBytes: (bytes: number) => void,
  limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
): AsyncGenerator<SourceRow> {
  return format === 'xlsx' ? readXlsx(path, onBytes, limits) : readCsv(path, onBytes);
}
