import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';
import { and, count, desc, eq } from 'drizzle-orm';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  financialYears,
  ipAssets,
  managementCertificates,
  projects,
  qualifications,
  staff,
} from '../../db/schema.js';
import {
  addMember,
  BACKENDS,
  createOrg,
  createTenant,
  createTestApp,
  CREDIT_CODES,
  setupAdmin,
  type Client,
  type Tenant,
  type TestApp,
} from '../../test/harness.js';
import { registerImportCommand } from '../../cli/import.js';
import { runCli } from '../../cli/run.js';
import { decimalFromNumber, toDate, toMoney, toMonth } from './cells.js';
import { textForSpreadsheet, textFromSpreadsheet } from '../../reports/spreadsheet.js';
import { COLUMNS } from './columns.js';
import { readRows, type SourceFormat } from './read.js';
import { DEFAULT_IMPORT_LIMITS, MAX_ZIP_ENTRIES, type ImportLimits } from './xlsx.js';

type Cell = string | number | boolean | Date | null | ExcelJS.CellFormulaValue;

/** A workbook whose first sheet holds `rows` (the first one the header), built as Excel would save it. */
async function workbook(rows: Cell[][], extraSheet = false): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('数据');
  rows.forEach((values, r) => {
    values.forEach((v, c) => {
      const cell = sheet.getCell(r + 1, c + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd';
    });
  });
  if (extraSheet) wb.addWorksheet('说明').addRow(['这一页不导入', '项目名称']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

interface ZipPart {
  name: string;
  data?: Buffer;
  /** Raw deflate data, for parts too large to hold inflated. */
  deflated?: Buffer;
  /** The uncompressed size the headers declare: the real one unless a test makes it lie. */
  size?: number;
}

/** A zip written by hand, so a test decides what its directory declares. */
function zipOf(parts: ZipPart[]): Buffer {
  const files: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name);
    const deflated = part.deflated ?? deflateRawSync(part.data ?? Buffer.alloc(0));
    const size = part.size ?? part.data?.length ?? 0;
    const crc = part.data ? crc32(part.data) : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(deflated.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    files.push(local, name, deflated);
    directory.push(central, name);
    offset += 30 + name.length + deflated.length;
  }
  const dir = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...files, dir, end]);
}

/**
 * Raw deflate data of prefix + unit × times + suffix, made without holding the inflated text:
 * a 1 MiB run of units is compressed once (byte-aligned, referring only to itself) and the
 * block repeated, which is how a 1 MB file inflates to 1 GiB.
 */
function deflatedRepeat(prefix: string, unit: string, times: number, suffix: string) {
  const perBlock = Math.max(1, Math.floor(2 ** 20 / Buffer.byteLength(unit)));
  const flush = { finishFlush: zlibConstants.Z_SYNC_FLUSH, level: 9 };
  const block = deflateRawSync(Buffer.from(unit.repeat(perBlock)), flush);
  const blocks = Math.floor(times / perBlock);
  const rest = times - blocks * perBlock;
  const deflated = Buffer.concat([
    deflateRawSync(Buffer.from(prefix), flush),
    ...Array.from({ length: blocks }, () => block),
    deflateRawSync(Buffer.from(unit.repeat(rest)), flush),
    deflateRawSync(Buffer.from(suffix), { level: 9 }),
  ]);
  const size = Buffer.byteLength(prefix) + Buffer.byteLength(unit) * times + Buffer.byteLength(suffix);
  return { deflated, size };
}

const SPREADSHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
const SHEET_START = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${SPREADSHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>`;
const SHEET_END = '</sheetData></worksheet>';

/** A workbook of the parts Excel needs, around the given first sheet (and shared strings). */
function workbookAround(sheet: Omit<ZipPart, 'name'>, sharedStrings?: Omit<ZipPart, 'name'>): Buffer {
  const part = (name: string, xml: string): ZipPart => ({ name, data: Buffer.from(xml) });
  return zipOf([
    part(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    part(
      'xl/workbook.xml',
      `<?xml version="1.0"?><workbook ${SPREADSHEET_NS} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    ...(sharedStrings ? [{ name: 'xl/sharedStrings.xml', ...sharedStrings }] : []),
    { name: 'xl/worksheets/sheet1.xml', ...sheet },
  ]);
}

/** 1 GiB of empty elements: the costliest kind of XML to parse per byte. */
const gibibyteOfTags = () => deflatedRepeat(SHEET_START, '<x/>', 2 ** 28, SHEET_END);

/** Reads a workbook (or CSV) file through the import reader, and how many compressed bytes it took. */
async function readAll(file: string, limits: ImportLimits = DEFAULT_IMPORT_LIMITS, format: SourceFormat = 'xlsx') {
  const rows: Array<{ row: number; cells: unknown[] }> = [];
  let read = 0;
  const started = Date.now();
  try {
    for await (const row of readRows(file, format, (bytes) => (read = bytes), limits)) rows.push(row);
    return { rows, read, ms: Date.now() - started, error: null };
  } catch (err) {
    return { rows, read, ms: Date.now() - started, error: err as { code?: string; status?: number; message: string } };
  }
}

/**
 * Characters of one to four bytes in UTF-8: ASCII, Latin, Greek and Cyrillic, CJK and its
 * punctuation, Extension B (𠀀) and emoji (surrogate pairs, one with a skin-tone modifier).
 */
const MIXED_CHARACTERS = [...'Az09.éüΩЖ©中文资质证书项目经理研发龘〇，。（）「」𠀀𠀁𪚥𤭢😀👍🏽🀄'];

/** `length` characters of MIXED_CHARACTERS in an order that differs with each seed. */
function mixedText(seed: number, length: number): string {
  let state = (seed * 2654435761 + 1) >>> 0;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    text += MIXED_CHARACTERS[state % MIXED_CHARACTERS.length];
  }
  return text;
}

/** Every cell read holds the bytes written: the first one that differs is shown, not 20,000 rows. */
function expectSameText(read: unknown[], written: string[]) {
  expect(read).toHaveLength(written.length);
  const first = written.findIndex((text, i) => !Buffer.from(String(read[i])).equals(Buffer.from(text)));
  expect(first === -1 ? null : { index: first, read: read[first], written: written[first] }).toBeNull();
}

async function withTempFile<T>(content: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-xlsx-'));
  try {
    const file = path.join(dir, 'book.xlsx');
    await writeFile(file, content);
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const csv = (rows: string[][], encoding: 'utf8' | 'gbk' | 'utf8-bom' = 'utf8') => {
  const text = rows
    .map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
    .join('\r\n');
  if (encoding === 'gbk') return iconv.encode(text, 'gbk');
  return Buffer.from(encoding === 'utf8-bom' ? `\uFEFF${text}` : text, 'utf8');
};

/** A multipart/form-data body with one `file` part. */
function multipart(filename: string, content: Buffer, field = 'file') {
  const boundary = `----zizhi${randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A valid 18-digit ID number: a fixed birth date, the sequence `seq`, and the computed check character. */
function idNumber(seq: number, birth = '19900307'): string {
  const first = `110105${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  return first + '10X98765432'[sum % 11]!;
}

const PROJECT_HEADER = [
  '项目名称',
  '客户',
  '合同编号',
  '合同金额（元）',
  '签订日期',
  '验收日期',
  '状态',
  '项目经理',
  '技术领域',
];
const STAFF_HEADER = [
  '姓名',
  '身份证号',
  '岗位',
  '研发人员',
  '技术人员',
  '入职日期',
  '离职日期',
  '社保起始月',
  '社保截止月',
];
const QUAL_HEADER = ['身份证号', '资质类型', '证书名称', '证书编号', '发证日期', '有效期至'];
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

describe('cell conversion', () => {
  it('writes numbers as exact decimals without float noise or exponents', () => {
    expect(decimalFromNumber(0.1 + 0.2)).toBe('0.3');
    expect(decimalFromNumber(1234.5)).toBe('1234.5');
    expect(decimalFromNumber(1e21)).toBe('1000000000000000000000');
    expect(decimalFromNumber(1.5e-7)).toBe('0.00000015');
    expect(decimalFromNumber(-12.5)).toBe('-12.5');
    expect(decimalFromNumber(1234567890123.45)).toBe('1234567890123.45');
  });

  it('reads money from numeric cells and from text with separators, exactly', () => {
    expect(toMoney(1234.5)).toEqual({ ok: true, value: '1234.5' });
    expect(toMoney(0.1 + 0.2)).toEqual({ ok: true, value: '0.3' });
    expect(toMoney('1,234.5')).toEqual({ ok: true, value: '1234.5' });
    expect(toMoney('￥1,250,000.00元')).toEqual({ ok: true, value: '1250000.00' });
    expect(toMoney('9999999999999999.99')).toEqual({ ok: true, value: '9999999999999999.99' });
    expect(toMoney('12.345').ok).toBe(false);
    expect(toMoney('-5').ok).toBe(false);
    expect(toMoney('abc').ok).toBe(false);
  });

  it('takes the UTC day of a date cell and accepts the usual written forms', () => {
    expect(toDate(utc(2026, 3, 5))).toEqual({ ok: true, value: '2026-03-05' });
    // A date-time cell: the wall time Excel shows is the UTC time of the instant.
    expect(toDate(new Date(Date.UTC(2026, 2, 5, 23, 30)))).toEqual({ ok: true, value: '2026-03-05' });
    for (const text of ['2026-03-05', '2026/3/5', '2026.3.5', '2026年3月5日', '20260305', '2026-03-05 00:00:00']) {
      expect(toDate(text)).toEqual({ ok: true, value: '2026-03-05' });
    }
    expect(toDate(46086)).toEqual({ ok: true, value: '2026-03-05' });
    expect(toDate('2026-13-01')).toMatchObject({ ok: false });
    expect(toDate('2026-02-29')).toMatchObject({ ok: false });
    expect(toDate('3/5/2026')).toMatchObject({ ok: false });
  });

  it('reads months as YYYY-MM and refuses numbers that lost their trailing zero', () => {
    expect(toMonth('2024-07')).toEqual({ ok: true, value: '2024-07' });
    expect(toMonth('2024/7')).toEqual({ ok: true, value: '2024-07' });
    expect(toMonth('2024年10月')).toEqual({ ok: true, value: '2024-10' });
    expect(toMonth(202410)).toEqual({ ok: true, value: '2024-10' });
    expect(toMonth(utc(2024, 10, 1))).toEqual({ ok: true, value: '2024-10' });
    expect(toMonth(2024.1).ok).toBe(false);
    expect(toMonth('2024-13').ok).toBe(false);
  });
});

describe('reading workbooks within limits', () => {
  it('stops a sheet whose declared size lies at the inflated limit, having read a sliver of the file', async () => {
    const { deflated } = gibibyteOfTags();
    // The directory claims 1,000 bytes; the sheet inflates to 1 GiB.
    const file = workbookAround({ deflated, size: 1000 });
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const limits = { ...DEFAULT_IMPORT_LIMITS, maxInflatedBytes: 8 * 1024 * 1024 };
    const result = await withTempFile(file, (f) => readAll(f, limits));
    expect(result.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(result.error!.message).toContain('表格解压后超过 8 MB 上限');
    // Stopped at the limit: 8 MB of 1 GiB inflated from a few dozen KB, not the whole file.
    expect(result.read).toBeLessThan(file.length / 4);
    expect(result.ms).toBeLessThan(10_000);
  });

  it('refuses one huge shared string, also when it is split into rich-text runs', async () => {
    const sheet = {
      data: Buffer.from(
        `<worksheet ${SPREADSHEET_NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
      ),
    };
    const start = `<?xml version="1.0"?><sst ${SPREADSHEET_NS}><si>`;
    const plain = deflatedRepeat(`${start}<t>`, 'x'.repeat(1000), 50_000, '</t></si></sst>');
    const runs = deflatedRepeat(start, `<r><t>${'x'.repeat(1000)}</t></r>`, 50_000, '</si></sst>');
    for (const [strings, message] of [
      [plain, '表格中有一段文字超过 1 MB'],
      [runs, '表格中有一条文字超过 8 MB'],
    ] as const) {
      // Declared small, so only the counting on the way out of the inflater can stop it.
      const file = workbookAround(sheet, { deflated: strings.deflated, size: 100 });
      const result = await withTempFile(file, (f) => readAll(f));
      expect(result.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining(message) });
      expect(result.ms).toBeLessThan(5_000);
    }
  });

  it('keeps a cell to the text of its own value, whatever text follows in other elements', async () => {
    // exceljs's sheet reader appended every later text to the cell it saw last: 64 MB here.
    const filler = deflatedRepeat(
      `<?xml version="1.0"?><worksheet ${SPREADSHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t>`,
      `<x>${' '.repeat(65_000)}</x>`,
      1024,
      `</is></c><c r="B1"><v>7</v></c></row>${SHEET_END}`,
    );
    const file = workbookAround({ deflated: filler.deflated, size: filler.size });
    const result = await withTempFile(file, (f) => readAll(f));
    expect(result.error).toBeNull();
    expect(result.rows).toEqual([{ row: 1, cells: ['项目名称', 7] }]);
  });

  it('reads Chinese text that inflates across chunk boundaries without damaging a character', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `某市政务云平台运维服务项目第${i}期（信息安全等级保护）`);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('项目');
    sheet.addRow(['项目名称', '合同编号']);
    names.forEach((name, i) => sheet.addRow([name, `HT-${i}`]));
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await withTempFile(file, (f) => readAll(f));
    expect(result.error).toBeNull();
    expect(result.rows.slice(1).map((r) => r.cells[0])).toEqual(names);
  });

  it('reads 20,000 shared strings of one- to four-byte characters byte for byte', async () => {
    const texts = Array.from({ length: 20_000 }, (_, i) => mixedText(i, 5 + (i % 40)));
    // exceljs's streaming writer, as exports use: its in-memory writeBuffer() hands the XML to
    // JSZip as a string, which cuts it every 16K code units and so writes a surrogate pair on a
    // cut as two U+FFFD (Stuk/jszip#963), a damage no reader can undo.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const sheet = writer.addWorksheet('文字');
    for (const text of texts) sheet.addRow([text]).commit();
    sheet.commit();
    await writer.commit();
    const file = Buffer.concat(chunks);
    expect(file.includes('xl/sharedStrings.xml')).toBe(true);
    const result = await withTempFile(file, (f) => readAll(f));
    expect(result.error).toBeNull();
    const read = result.rows.map((r) => r.cells[0]);
    expect(read.filter((text) => String(text).includes('\uFFFD'))).toEqual([]);
    expectSameText(read, texts);
  });

  it('reads inline strings of one- to four-byte characters byte for byte, across inflated chunks', async () => {
    const texts = Array.from({ length: 6000 }, (_, i) => mixedText(100_000 + i, 20 + (i % 50)));
    const rows = texts.map(
      (text, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>${text}</t></is></c></row>`,
    );
    const xml = Buffer.from(`${SHEET_START}${rows.join('')}${SHEET_END}`);
    // Many times the inflater's 16 KB output: characters are split between chunks.
    expect(xml.length).toBeGreaterThan(1024 * 1024);
    const result = await withTempFile(workbookAround({ data: xml }), (f) => readAll(f));
    expect(result.error).toBeNull();
    expectSameText(
      result.rows.map((r) => r.cells[0]),
      ['项目名称', ...texts],
    );
  });

  it('refuses a workbook with bytes that are not UTF-8 (400) and keeps the U+FFFD a file holds', async () => {
    const bytes = (...parts: Array<string | Buffer>) => Buffer.concat(parts.map((p) => Buffer.from(p)));
    const inline = (text: string) => `<row r="2"><c r="A2" t="inlineStr"><is><t>${text}</t></is></c></row>`;
    const sharedSheet = {
      data: Buffer.from(
        `<worksheet ${SPREADSHEET_NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_END}`,
      ),
    };
    const replacements = '\uFFFD'.repeat(5000);
    const broken = [
      // 张 cut to its first two bytes, in a cell of the sheet.
      workbookAround({
        data: bytes(
          SHEET_START,
          '<row r="2"><c r="A2" t="inlineStr"><is><t>',
          Buffer.from([0xe5, 0xbc]),
          '三</t></is></c></row>',
          SHEET_END,
        ),
      }),
      // 四 written in GBK, in a shared string.
      workbookAround(sharedSheet, {
        data: bytes(`<sst ${SPREADSHEET_NS}><si><t>李`, Buffer.from([0xcb, 0xc4]), '</t></si></sst>'),
      }),
      // A character cut off at the very end of the part.
      workbookAround({ data: bytes(SHEET_START, inline('王五'), SHEET_END, Buffer.from([0xe4, 0xb8])) }),
      // The file's own U+FFFD do not hide one made up among them.
      workbookAround({
        data: bytes(
          SHEET_START,
          inline(replacements),
          '<row r="3"><c r="A3" t="inlineStr"><is><t>',
          Buffer.from([0xff]),
          '</t></is></c></row>',
          SHEET_END,
        ),
      }),
    ];
    for (const file of broken) {
      const result = await withTempFile(file, (f) => readAll(f));
      expect(result.error).toMatchObject({ code: 'INVALID_INPUT', status: 400 });
      expect(result.error!.message).toBe(
        '文件中有无法识别的文字（编码损坏），已拒绝导入，未保存任何内容；请在 Excel 中打开并另存为 .xlsx 后再导入',
      );
    }

    // U+FFFD written as UTF-8 by whoever made the file is text like any other, also where a
    // chunk of the inflated sheet ends in the middle of one.
    const texts = Array.from({ length: 400 }, (_, i) => `名称\uFFFD保留${i}${replacements.slice(i)}`);
    const rows = texts.map(
      (text, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>${text}</t></is></c></row>`,
    );
    const kept = workbookAround({ data: Buffer.from(`${SHEET_START}${rows.join('')}${SHEET_END}`) });
    const result = await withTempFile(kept, (f) => readAll(f));
    expect(result.error).toBeNull();
    expectSameText(
      result.rows.map((r) => r.cells[0]),
      ['项目名称', ...texts],
    );
  });

  it('reads UTF-8 and GBK CSV with characters across read chunks byte for byte', async () => {
    const texts = Array.from({ length: 8000 }, (_, i) => mixedText(200_000 + i, 5 + (i % 30)));
    const lines = `名称\r\n${texts.join('\r\n')}\r\n`;
    // GB18030 writes what GBK cannot (𠀀, emoji) in four bytes.
    for (const file of [Buffer.from(lines), Buffer.from(`\uFEFF${lines}`), iconv.encode(lines, 'gb18030')]) {
      expect(file.length).toBeGreaterThan(4 * 64 * 1024);
      const result = await withTempFile(file, (f) => readAll(f, DEFAULT_IMPORT_LIMITS, 'csv'));
      expect(result.error).toBeNull();
      expectSameText(
        result.rows.map((r) => r.cells[0]),
        ['名称', ...texts],
      );
    }
    // Short GBK files are not taken for damaged UTF-8, though some of their bytes happen to be UTF-8.
    for (const header of [PROJECT_HEADER, STAFF_HEADER, QUAL_HEADER, ['清单'], ['状态', '项目状态']]) {
      const result = await withTempFile(iconv.encode(header.join(','), 'gbk'), (f) =>
        readAll(f, DEFAULT_IMPORT_LIMITS, 'csv'),
      );
      expect(result.error).toBeNull();
      expect(result.rows).toEqual([{ row: 1, cells: header }]);
    }
  });

  it('refuses a CSV with bytes that are neither UTF-8 nor GBK (400) and keeps the U+FFFD a file holds', async () => {
    const utf8Rows = Array.from({ length: 50 }, (_, i) => `项目${i},某市大数据局`).join('\r\n');
    const broken = [
      // UTF-8 with 张 cut to two bytes: read as GBK, every character would be another one.
      Buffer.concat([
        Buffer.from(`名称,客户\r\n${utf8Rows}\r\n`),
        Buffer.from([0xe5, 0xbc]),
        Buffer.from('三,客户\r\n'),
      ]),
      // UTF-8 cut off in the middle of its last character.
      Buffer.concat([Buffer.from(`名称,客户\r\n${utf8Rows}\r\n王`), Buffer.from([0xe4, 0xb8])]),
      // A byte order mark says UTF-8, whatever follows.
      Buffer.concat([Buffer.from('\uFEFF名称\r\n'), Buffer.from([0xc0, 0x80])]),
      // GBK rows pasted into a UTF-8 file.
      Buffer.concat([Buffer.from(`名称,客户\r\n${utf8Rows}\r\n`), iconv.encode('张三,客户\r\n', 'gbk')]),
      // GBK with bytes GBK does not have: 0xFF, a lead byte before a line break, and past U+10FFFF.
      Buffer.concat([iconv.encode('名称\r\n张三', 'gbk'), Buffer.from([0xff])]),
      Buffer.concat([iconv.encode('名称\r\n张三', 'gbk'), Buffer.from([0x81, 0x0d, 0x0a])]),
      Buffer.concat([iconv.encode('名称\r\n张三', 'gbk'), Buffer.from([0xfe, 0x39, 0xfe, 0x39])]),
    ];
    for (const file of broken) {
      const result = await withTempFile(file, (f) => readAll(f, DEFAULT_IMPORT_LIMITS, 'csv'));
      expect(result.error, file.toString('hex', 0, 40)).toMatchObject({
        code: 'INVALID_INPUT',
        status: 400,
        message:
          '文件中有无法识别的文字（编码损坏，或混用了 UTF-8 与 GBK 编码），已拒绝导入，未保存任何内容；请在 Excel 中另存为 .xlsx 或“CSV UTF-8”后再导入',
      });
    }

    const texts = Array.from({ length: 3000 }, (_, i) => `名称\uFFFD保留${i}${'\uFFFD'.repeat(i % 50)}`);
    const lines = texts.join('\r\n');
    for (const file of [Buffer.from(lines), iconv.encode(lines, 'gb18030')]) {
      const result = await withTempFile(file, (f) => readAll(f, DEFAULT_IMPORT_LIMITS, 'csv'));
      expect(result.error).toBeNull();
      expectSameText(
        result.rows.map((r) => r.cells[0]),
        texts,
      );
    }
  });

  it('adds an apostrophe to formula-like text for spreadsheets and takes exactly that one away again', () => {
    for (const text of ['=1+1', '+86 10 1234', '-5', '@SUM(1)', '\tx', '\rx', "'=1", "''+1"]) {
      expect(textForSpreadsheet(text)).toBe(`'${text}`);
      expect(textFromSpreadsheet(textForSpreadsheet(text))).toBe(text);
    }
    for (const text of ['项目', "'apostrophe", "'", '', 'a=b', ' =1']) {
      expect(textForSpreadsheet(text)).toBe(text);
      expect(textFromSpreadsheet(text)).toBe(text);
    }
  });
});

describe.each(BACKENDS)('imports and exports (%s)', (backend) => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  let orgA: { id: string; name: string };
  let orgB: { id: string };
  let viewer: Client;
  let contributor: Client;

  beforeAll(async () => {
    t = await createTestApp(backend);
    a = await setupAdmin(t.app);
    b = await createTenant(t.app, a.owner);
    orgA = await createOrg(a, CREDIT_CODES[0]);
    orgB = await createOrg(b, CREDIT_CODES[1]);
    viewer = (await addMember(t.app, a, 'viewer')).client;
    contributor = (await addMember(t.app, a, 'contributor')).client;
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = (
    who: Client,
    kind: string,
    filename: string,
    content: Buffer,
    { dryRun = false, orgId = orgA.id, progressId }: { dryRun?: boolean; orgId?: string; progressId?: string } = {},
  ) => {
    const { body, contentType } = multipart(filename, content);
    const query = `dryRun=${dryRun}${progressId ? `&progressId=${progressId}` : ''}`;
    return who.request('POST', `/api/orgs/${orgId}/imports/${kind}?${query}`, body, { 'content-type': contentType });
  };

  const counts = async (orgId = orgA.id) => {
    const { db } = t.database;
    const n = async (table: typeof projects | typeof staff | typeof qualifications) =>
      Number((await db.select({ n: count() }).from(table).where(eq(table.orgId, orgId)))[0]!.n);
    return { projects: await n(projects), staff: await n(staff), qualifications: await n(qualifications) };
  };

  /** `zizhi import …` on the test's database (left open for the other tests), with the given limits. */
  const runImportCli = async (args: string[], limits?: ImportLimits) => {
    const out: string[] = [];
    const err: string[] = [];
    const program = new Command().name('zizhi');
    registerImportCommand(program, {
      openDatabase: () => Promise.resolve({ ...t.database, close: () => Promise.resolve() }),
      write: { out: (s) => void out.push(s), err: (s) => void err.push(s) },
      progressStream: null,
      ...(limits ? { limits: () => limits } : {}),
    });
    process.exitCode = 0;
    try {
      await runCli(program, ['node', 'zizhi', 'import', ...args]);
      return { code: process.exitCode ?? 0, out: out.join(''), err: err.join('') };
    } finally {
      process.exitCode = 0;
    }
  };

  const projectRows = (orgId = orgA.id) =>
    t.database.db.select().from(projects).where(eq(projects.orgId, orgId)).orderBy(projects.contractNumber);

  /** Staff 张三 and 李四 (two people named 王五 too), imported once for the project tests. */
  const seedStaff = async () => {
    const file = await workbook([
      STAFF_HEADER,
      ['张三', idNumber(11), '项目经理', '否', '是', utc(2021, 7, 1), null, '2021-07', null],
      ['李四', idNumber(12), '工程师', '是', '是', '2022/3/1', null, '2022-03', null],
      ['王五', idNumber(13), '工程师', '否', '是', null, null, null, null],
      ['王五', idNumber(14), '测试', '否', '是', null, null, null, null],
    ]);
    const res = await upload(contributor, 'staff', '人员.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('imports staff with every column type, then updates them by ID number instead of duplicating', async () => {
    const first = await seedStaff();
    expect(first).toMatchObject({ rows: 4, errors: [], errorCount: 0, dryRun: false, created: 4, updated: 0 });
    const [zhang] = await t.database.db
      .select()
      .from(staff)
      .where(and(eq(staff.orgId, orgA.id), eq(staff.idNumber, idNumber(11))));
    expect(zhang).toMatchObject({
      name: '张三',
      role: '项目经理',
      isRnd: false,
      isTechnical: true,
      employedFrom: '2021-07-01',
      employedUntil: null,
      socialInsuranceFrom: '2021-07',
    });

    // A lower-case x, a changed role and a leaving date: the same person, updated.
    const again = await workbook([
      ['姓名', '身份证号', '岗位', '离职日期'],
      ['张三', idNumber(11).toLowerCase(), '技术总监', '2026-06-30'],
    ]);
    const res = await upload(contributor, 'staff', '人员.xlsx', again);
    expect(res.json()).toMatchObject({ rows: 1, errors: [], created: 0, updated: 1 });
    expect((await counts()).staff).toBe(4);
    const [updated] = await t.database.db.select().from(staff).where(eq(staff.id, zhang!.id));
    // Columns the file does not have keep their values.
    expect(updated).toMatchObject({
      role: '技术总监',
      employedUntil: '2026-06-30',
      employedFrom: '2021-07-01',
      isTechnical: true,
    });
  });

  it('imports projects from real date and number cells, text dates and amounts, labels and codes', async () => {
    const file = await workbook(
      [
        PROJECT_HEADER,
        [
          '政务云运维',
          '某市大数据局',
          'HT-001',
          1250000,
          utc(2025, 3, 5),
          utc(2025, 12, 20),
          '已验收',
          '张三',
          '云计算、大数据',
        ],
        [
          '数据中台',
          '某银行',
          'HT-002',
          '1,234.5',
          '2025/4/1',
          null,
          'in-progress',
          idNumber(12),
          '大数据, 人工智能;云计算',
        ],
        ['安全加固', null, 'HT-003', 0.1 + 0.2, '2025年5月6日', null, null, null, null],
      ],
      true,
    );
    const res = await upload(contributor, 'projects', '项目.xlsx', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 3, errors: [], created: 3, updated: 0 });
    const rows = await projectRows();
    const zhang = (
      await t.database.db
        .select()
        .from(staff)
        .where(eq(staff.idNumber, idNumber(11)))
    )[0]!;
    const li = (
      await t.database.db
        .select()
        .from(staff)
        .where(eq(staff.idNumber, idNumber(12)))
    )[0]!;
    expect(rows.map((r) => [r.contractNumber, r.amount, r.signedOn, r.acceptedOn, r.status, r.managerId])).toEqual([
      ['HT-001', '1250000.00', '2025-03-05', '2025-12-20', 'accepted', zhang.id],
      ['HT-002', '1234.50', '2025-04-01', null, 'in-progress', li.id],
      ['HT-003', '0.30', '2025-05-06', null, 'signed', null],
    ]);
    expect(rows[1]!.technologies).toEqual(['大数据', '人工智能', '云计算']);
    expect(rows[2]!.client).toBeNull();

    const audit = await a.owner.get(`/api/audit-log?workspaceId=${a.workspaceId}&action=import.completed`);
    expect(audit.json().items[0]).toMatchObject({
      orgId: orgA.id,
      summary: { kind: 'projects', file: '项目.xlsx', rows: 3, created: 3, updated: 0 },
    });
  });

  it('re-imports projects by contract number: updates, adds the new one, never duplicates', async () => {
    const before = await projectRows();
    const file = await workbook([
      ['合同号', '项目名称', '合同金额'],
      ['ht-001', '政务云运维（二期）', 1300000],
      ['HT-004', '新项目', 5000],
    ]);
    const dry = await upload(contributor, 'projects', '项目.xlsx', file, { dryRun: true });
    expect(dry.json()).toMatchObject({ rows: 2, errors: [], dryRun: true, created: 1, updated: 1 });
    expect(await projectRows()).toEqual(before);
    const res = await upload(contributor, 'projects', '项目.xlsx', file);
    expect(res.json()).toMatchObject({ created: 1, updated: 1, dryRun: false });
    const after = await projectRows();
    expect(after).toHaveLength(4);
    const first = after.find((r) => r.contractNumber === 'HT-001')!;
    expect(first).toMatchObject({
      name: '政务云运维（二期）',
      amount: '1300000.00',
      status: 'accepted',
      signedOn: '2025-03-05',
    });
    expect(first.id).toBe(before.find((r) => r.contractNumber === 'HT-001')!.id);
  });

  it('lists every row error with the row number Excel shows and saves nothing', async () => {
    const good = (i: number): Cell[] => [
      `项目${i}`,
      '客户',
      `BAD-${i}`,
      1000,
      '2025-01-01',
      null,
      '已签约',
      null,
      null,
    ];
    const file = await workbook([
      PROJECT_HEADER,
      ...Array.from({ length: 10 }, (_, i) => good(i)),
      ['坏日期', '客户', 'BAD-12', 1000, '2026-13-01', null, null, null, null],
      ['', '客户', 'BAD-13', 'abc', '2025-01-01', '2024-12-31', '暂停', '赵六', null],
      ['重复', '客户', 'bad-1', 1000, null, null, null, null, null],
    ]);
    const before = await counts();
    for (const dryRun of [true, false]) {
      const res = await upload(contributor, 'projects', '有错.xlsx', file, { dryRun });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.rows).toBe(13);
      expect(body.created).toBeUndefined();
      expect(body.errors.map((e: { message: string }) => e.message)).toEqual([
        '第 12 行：签订日期 2026-13-01 无效，应为 YYYY-MM-DD 格式的日期，例如 2026-03-05',
        '第 13 行：项目名称不能为空',
        '第 13 行：合同金额（元） abc 无效，应为以元为单位的金额，例如 1250000.00 或 1,250,000',
        '第 13 行：状态 暂停 无效，可选：已签约、实施中、已验收、已终止',
        '第 14 行：合同编号 bad-1 与第 3 行重复',
      ]);
      expect(body.errors[0]).toMatchObject({ row: 12, column: '签订日期' });
      expect(await counts()).toEqual(before);
    }
  });

  it('refuses the whole file when a reference is unknown or ambiguous (checked against the database)', async () => {
    const before = await counts();
    const file = await workbook([
      PROJECT_HEADER,
      ['好项目', '客户', 'REF-1', 1000, null, null, null, '张三', null],
      ['无此人', '客户', 'REF-2', 1000, null, null, null, '赵六', null],
      ['重名', '客户', 'REF-3', 1000, null, null, null, '王五', null],
      ['倒序', '客户', 'REF-4', 1000, '2025-05-01', '2025-04-30', null, null, null],
    ]);
    // An acceptance before signing is not a row error: it is saved as written and flagged by the checks.
    const again = await upload(contributor, 'projects', '引用.xlsx', file);
    expect(again.json().errors.map((e: { message: string }) => e.message)).toEqual([
      '第 3 行：项目经理“赵六”不是本企业登记的人员；请先导入或登记人员，或填写其身份证号',
      '第 4 行：本企业有 2 名人员叫“王五”，请改填项目经理的身份证号',
    ]);
    expect(await counts()).toEqual(before);
  });

  it('reports a formula cell as a row error naming the column', async () => {
    const file = await workbook([
      PROJECT_HEADER,
      ['公式项目', '客户', 'F-1', 1000, null, null, null, null, null],
      ['公式项目2', '客户', 'F-2', { formula: 'D2*2', result: 2000 }, null, null, null, null, null],
    ]);
    const before = await counts();
    const res = await upload(contributor, 'projects', '公式.xlsx', file);
    expect(res.json().errors).toEqual([
      { row: 3, column: '合同金额（元）', message: '第 3 行：合同金额（元） 列是公式，请粘贴为数值后再导入' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('reads a GBK CSV and a UTF-8 CSV with BOM alike', async () => {
    const rows = [
      ['姓名', '身份证号', '岗位', '研发人员'],
      ['陈晓明', idNumber(21), '高级工程师', '是'],
      ['欧阳娜娜', idNumber(22), '测试工程师，兼运维', '否'],
    ];
    const gbk = csv(rows, 'gbk');
    expect(gbk.toString('utf8')).not.toContain('陈晓明');
    const res = await upload(contributor, 'staff', '人员-GBK.csv', gbk);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 2, errors: [], created: 2 });
    const [chen] = await t.database.db
      .select()
      .from(staff)
      .where(eq(staff.idNumber, idNumber(21)));
    expect(chen).toMatchObject({ name: '陈晓明', role: '高级工程师', isRnd: true });
    const [ouyang] = await t.database.db
      .select()
      .from(staff)
      .where(eq(staff.idNumber, idNumber(22)));
    expect(ouyang!.role).toBe('测试工程师，兼运维');

    rows[1]![2] = '首席工程师';
    const bom = await upload(contributor, 'staff', '人员.csv', csv(rows, 'utf8-bom'));
    expect(bom.json()).toMatchObject({ rows: 2, errors: [], created: 0, updated: 2 });
    const [again] = await t.database.db
      .select()
      .from(staff)
      .where(eq(staff.idNumber, idNumber(21)));
    expect(again!.role).toBe('首席工程师');
  });

  it('refuses wrong ID numbers, booleans, months and leaving before joining, saving nothing', async () => {
    const wrongCheck = idNumber(31).slice(0, 17) + (idNumber(31).endsWith('0') ? '1' : '0');
    const file = await workbook([
      ['姓名', '身份证号', '研发人员', '社保起始月', '入职日期', '离职日期'],
      ['甲', wrongCheck, '是', '2024-07', null, null],
      ['乙', Number('110105199003070319'), null, null, null, null],
      ['丙', '12345', null, null, null, null],
      ['丁', idNumber(32), '也许', '2024-13', null, null],
      ['戊', idNumber(33), null, null, '2024-05-01', '2024-04-30'],
      // Every problem of a row at once: the cell that cannot be read and the dates out of order.
      ['己', '12345', null, null, '2024-05-01', '2024-04-30'],
    ]);
    const before = await counts();
    const res = await upload(contributor, 'staff', '人员.xlsx', file);
    const errors = res.json().errors as Array<{ row: number; column: string; message: string }>;
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [2, '身份证号'],
      [3, '身份证号'],
      [4, '身份证号'],
      [5, '研发人员'],
      [5, '社保起始月'],
      [6, '离职日期'],
      [7, '身份证号'],
      [7, '离职日期'],
    ]);
    expect(errors[0]!.message).toContain('校验位不正确');
    expect(errors[1]!.message).toContain('数字格式');
    expect(errors[2]!.message).toContain('18 位');
    expect(errors[3]!.message).toBe('第 5 行：研发人员 也许 无效，应填 是 或 否');
    expect(errors[4]!.message).toBe('第 5 行：社保起始月 2024-13 无效，应为 YYYY-MM 格式的月份，例如 2024-07');
    expect(errors[5]!.message).toBe('第 6 行：离职日期 2024-04-30 早于入职日期 2024-05-01');
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty file (400) and a header without rows (a row error), saving nothing', async () => {
    const empty = await upload(contributor, 'projects', '空.xlsx', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('文件为空');
    const headerOnly = await upload(contributor, 'projects', '只有表头.xlsx', await workbook([PROJECT_HEADER]));
    expect(headerOnly.json()).toMatchObject({ rows: 0, errorCount: 1 });
    expect(headerOnly.json().errors[0].message).toContain('没有数据行');
    const blankCsv = await upload(contributor, 'projects', '空.csv', Buffer.from('\r\n\r\n'));
    expect(blankCsv.json().errors[0].message).toContain('没有表头');
  });

  it('imports a file of one row', async () => {
    const res = await upload(
      contributor,
      'projects',
      '一行.csv',
      csv([PROJECT_HEADER, ['单行项目', '客户', 'ONE-1', '88.8', '2025-07-01', '', '', '', '']]),
    );
    expect(res.json()).toMatchObject({ rows: 1, errors: [], created: 1 });
    const [row] = await t.database.db.select().from(projects).where(eq(projects.contractNumber, 'ONE-1'));
    expect(row).toMatchObject({ amount: '88.80', status: 'signed', technologies: [] });
  });

  it('skips a title row above the header and keeps Excel’s row numbers', async () => {
    const file = await workbook([
      ['2025 年项目清单'],
      PROJECT_HEADER,
      ['标题行项目', null, 'TITLE-1', 1, '2025-02-30', null, null, null, null],
    ]);
    const res = await upload(contributor, 'projects', '清单.xlsx', file, { dryRun: true });
    expect(res.json().errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringMatching(/^第 3 行：签订日期 2025-02-30 无效/),
    ]);
  });

  it('names a missing required column once instead of failing every row', async () => {
    const file = await workbook([
      ['项目名称', '客户'],
      ['甲', '乙'],
      ['丙', '丁'],
    ]);
    const res = await upload(contributor, 'projects', '缺列.xlsx', file);
    expect(res.json().errors).toEqual([
      expect.objectContaining({ row: 1, column: '合同编号', message: expect.stringContaining('缺少必填列“合同编号”') }),
    ]);
    expect(res.json().rows).toBe(2);
    // What the mapping screen offers: the missing field and the file's own columns to choose from.
    expect(res.json()).toMatchObject({ missingFields: ['contractNumber'], columns: ['项目名称', '客户'] });
  });

  it('imports qualifications of existing staff and updates them by holder, kind and number', async () => {
    const file = await workbook([
      QUAL_HEADER,
      [idNumber(11), '信息系统项目管理师', null, 'GJ-001', utc(2021, 5, 20), null],
      [idNumber(12), 'pmp', 'PMP', '3011', '2020-01-01', '2026-12-31'],
      [idNumber(99), 'PMP', null, '9999', null, null],
      [idNumber(12), '其他', null, 'X-1', null, null],
    ]);
    const before = await counts();
    const bad = await upload(contributor, 'qualifications', '资质.xlsx', file);
    expect(bad.json().errors.map((e: { row: number }) => e.row)).toEqual([5]);
    expect(bad.json().errors[0].message).toContain('证书名称不能为空');
    expect(await counts()).toEqual(before);

    const rows: Cell[][] = [
      QUAL_HEADER,
      [idNumber(11), '信息系统项目管理师', null, 'GJ-001', utc(2021, 5, 20), null],
      [idNumber(12), 'pmp', 'PMP', '3011', '2020-01-01', '2026-12-31'],
      [idNumber(99), 'PMP', null, '9999', null, null],
    ];
    const unknown = await upload(contributor, 'qualifications', '资质.xlsx', await workbook(rows));
    expect(unknown.json().errors).toEqual([
      expect.objectContaining({ row: 4, message: expect.stringContaining('不是本企业登记的人员') }),
    ]);
    expect(await counts()).toEqual(before);

    const good = await upload(contributor, 'qualifications', '资质.xlsx', await workbook(rows.slice(0, 3)));
    expect(good.json()).toMatchObject({ created: 2, updated: 0 });
    const renewed = await upload(
      contributor,
      'qualifications',
      '资质.xlsx',
      await workbook([QUAL_HEADER, [idNumber(12), 'PMP', 'PMP', '3011', '2023-01-01', '2029-12-31']]),
    );
    expect(renewed.json()).toMatchObject({ created: 0, updated: 1 });
    expect((await counts()).qualifications).toBe(before.qualifications + 2);
    const [pmp] = await t.database.db.select().from(qualifications).where(eq(qualifications.number, '3011'));
    expect(pmp).toMatchObject({ kind: 'pmp', issuedOn: '2023-01-01', expiresOn: '2029-12-31' });
  });

  it('cuts off a 60 MB upload with 413 while streaming it, and saves nothing', async () => {
    const before = await counts();
    const boundary = 'zizhiBigUpload';
    const chunk = Buffer.alloc(1024 * 1024, 0x41);
    function* body() {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="大.csv"\r\n\r\n项目名称,合同编号\r\n`,
      );
      for (let i = 0; i < 60; i++) yield chunk;
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const auth = contributor.auth as { cookie: string; csrf: string };
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/orgs/${orgA.id}/imports/projects?dryRun=false`,
      payload: Readable.from(body()),
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        cookie: auth.cookie,
        'x-csrf-token': auth.csrf,
      },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('50 MB') });
    expect(await counts()).toEqual(before);
  });

  it('refuses files that are not a workbook or CSV with 415, by content', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
    const res = await upload(contributor, 'projects', '项目.xlsx', pdf);
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toContain('.xlsx');
    const xls = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(xls);
    const legacy = await upload(contributor, 'projects', '项目.xls', xls);
    expect(legacy.statusCode).toBe(415);
    expect(legacy.json().error.message).toContain('另存为');
    const html = await upload(
      contributor,
      'projects',
      'jira.xls',
      Buffer.from('<html><table><tr><td>x</td></tr></table>'),
    );
    expect(html.statusCode).toBe(415);
    const json = await contributor.post(`/api/orgs/${orgA.id}/imports/projects`, { file: 'x' });
    expect(json.statusCode).toBe(415);
  });

  it('refuses a 1 MB workbook whose sheet inflates to 1 GiB with 413 before inflating it, saving nothing', async () => {
    const file = workbookAround(gibibyteOfTags());
    expect(file.length).toBeLessThan(2 * 1024 * 1024);
    const before = await counts();
    const started = Date.now();
    const res = await upload(contributor, 'projects', '炸弹.xlsx', file);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining('表格解压后超过 200 MB 上限'),
    });
    // The declared size alone refuses it: nothing is inflated.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await counts()).toEqual(before);
  });

  it('stops a workbook whose declared sizes lie once 200 MB are inflated (413), saving nothing', async () => {
    const filler = deflatedRepeat(SHEET_START, `<x>${' '.repeat(65_000)}</x>`, 2 ** 14, SHEET_END);
    expect(filler.size).toBeGreaterThan(1e9);
    const file = workbookAround({ deflated: filler.deflated, size: 4096 });
    const before = await counts();
    const started = Date.now();
    const res = await upload(contributor, 'projects', '谎报.xlsx', file);
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain('表格解压后超过 200 MB 上限');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await counts()).toEqual(before);
  });

  it('refuses a sheet of more cells than the limit with 413, counting each row to its last cell', async () => {
    // 130 rows of one cell in column XFD: a 5 KB sheet that would become 2.1 million cells.
    const rows = Array.from({ length: 130 }, (_, i) => `<row r="${i + 2}"><c r="XFD${i + 2}"><v>1</v></c></row>`);
    const file = workbookAround({ data: Buffer.from(SHEET_START + rows.join('') + SHEET_END) });
    const before = await counts();
    const res = await upload(contributor, 'projects', '宽.xlsx', file);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringMatching(/^单元格数超过 2,000,000 个上限（读到第 \d+ 行）；.*拆分/),
    });
    expect(await counts()).toEqual(before);
  });

  it(`refuses an archive of more than ${MAX_ZIP_ENTRIES} files with 413 before reading it`, async () => {
    const parts = Array.from({ length: MAX_ZIP_ENTRIES }, (_, i) => ({ name: `xl/media/image${i}.png` }));
    const file = zipOf([
      ...parts,
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(SHEET_START + SHEET_END) },
    ]);
    const res = await upload(contributor, 'projects', '多文件.xlsx', file, { dryRun: true });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain('超过 10,000 个的上限');
  });

  it('uses the saved column mapping for another system’s export', async () => {
    const jira = await workbook([
      ['Summary', 'Customer', 'Contract', 'Value', 'Signed'],
      ['映射项目', '映射客户', 'MAP-1', 321.5, '2025-08-08'],
    ]);
    const unmapped = await upload(contributor, 'projects', 'jira.xlsx', jira, { dryRun: true });
    expect(unmapped.json().errors.map((e: { column: string }) => e.column)).toEqual(['项目名称', '合同编号']);

    const put = await contributor.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, {
      mapping: { name: 'Summary', contractNumber: 'Contract', amount: 'Value', signedOn: 'Signed', client: '' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().mapping).toEqual({
      name: 'Summary',
      contractNumber: 'Contract',
      amount: 'Value',
      signedOn: 'Signed',
    });
    const got = await viewer.get(`/api/orgs/${orgA.id}/imports/projects/mapping`);
    expect(got.json()).toMatchObject({ kind: 'projects', mapping: put.json().mapping });
    expect(got.json().fields.map((f: { header: string }) => f.header)).toEqual(COLUMNS.projects.map((c) => c.header));

    const res = await upload(contributor, 'projects', 'jira.xlsx', jira);
    expect(res.json()).toMatchObject({ rows: 1, errors: [], created: 1 });
    const [row] = await t.database.db.select().from(projects).where(eq(projects.contractNumber, 'MAP-1'));
    expect(row).toMatchObject({ name: '映射项目', client: '映射客户', amount: '321.50', signedOn: '2025-08-08' });

    const bad = await contributor.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, {
      mapping: { colour: 'X' },
    });
    expect(bad.statusCode).toBe(400);
    const twice = await contributor.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, {
      mapping: { name: 'A', client: 'a' },
    });
    expect(twice.statusCode).toBe(400);
    const cleared = await contributor.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, { mapping: {} });
    expect(cleared.json().mapping).toEqual({});
  });

  it('serves templates whose headers and example rows import as they are', async () => {
    for (const kind of ['projects', 'staff', 'qualifications'] as const) {
      const res = await viewer.get(`/api/orgs/${orgA.id}/imports/${kind}/template.xlsx`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(String(res.headers['content-disposition'])).toContain("filename*=UTF-8''");
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      expect(wb.worksheets.map((s) => s.name)[1]).toBe('说明');
      const headers = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
      expect(headers).toEqual(COLUMNS[kind].map((c) => c.header));
      const dry = await upload(contributor, kind, `${kind}.xlsx`, res.rawPayload, { dryRun: true });
      expect(dry.statusCode).toBe(200);
      expect(dry.json().rows).toBe(1);
      if (kind === 'staff') expect(dry.json().errors).toEqual([]);
    }
  });

  it('reports progress to the user who started the import, and to nobody else', async () => {
    const progressId = `p-${randomBytes(6).toString('hex')}`;
    const file = await workbook([PROJECT_HEADER, ['进度项目', null, 'PROG-1', 1, null, null, null, null, null]]);
    await upload(contributor, 'projects', '进度.xlsx', file, { dryRun: true, progressId });
    const mine = await contributor.get(`/api/orgs/${orgA.id}/imports/progress/${progressId}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({ phase: 'done', rows: 1 });
    expect((await a.owner.get(`/api/orgs/${orgA.id}/imports/progress/${progressId}`)).statusCode).toBe(404);
    expect((await contributor.get(`/api/orgs/${orgA.id}/imports/progress/unknown-id`)).statusCode).toBe(404);
    expect((await contributor.get(`/api/orgs/${orgA.id}/imports/progress/x`)).statusCode).toBe(400);
  });

  it('exports every list to .xlsx and reads back what was stored (ID numbers masked)', async () => {
    const { db } = t.database;
    await db
      .insert(financialYears)
      .values({ orgId: orgA.id, year: 2025, revenue: '12345678.90', netProfit: '-35000.50' });
    await db.insert(ipAssets).values({
      orgId: orgA.id,
      kind: 'software-copyright',
      name: '运维平台 V1.0',
      number: '2025SR0001',
      grantedOn: '2025-02-03',
    });
    await db
      .insert(managementCertificates)
      .values({ orgId: orgA.id, kind: 'iso27001', number: 'ISMS-1', expiresOn: '2027-01-31' });

    const read = async (kind: string) => {
      const res = await viewer.get(`/api/orgs/${orgA.id}/exports/${kind}.xlsx`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const disposition = decodeURIComponent(
        /filename\*=UTF-8''(.+)$/.exec(String(res.headers['content-disposition']))![1]!,
      );
      expect(disposition).toMatch(new RegExp(`^${orgA.name}-.+-\\d{4}-\\d{2}-\\d{2}\\.xlsx$`));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      return { res, rows };
    };

    const exported = await read('projects');
    expect(exported.rows[0]).toEqual(
      expect.arrayContaining(['项目名称', '合同编号', '合同金额（元）', '签订日期', '项目经理']),
    );
    const ht1 = exported.rows.find((r) => r[2] === 'HT-001')!;
    expect(ht1.slice(0, 8)).toEqual([
      '政务云运维（二期）',
      '某市大数据局',
      'HT-001',
      1300000,
      utc(2025, 3, 5),
      utc(2025, 12, 20),
      '已验收',
      '张三',
    ]);

    // The export imports back unchanged: every project is found by its contract number.
    const total = (await counts()).projects;
    const back = await upload(contributor, 'projects', '导出.xlsx', exported.res.rawPayload);
    expect(back.json()).toMatchObject({ rows: total, errors: [], created: 0, updated: total });
    expect((await counts()).projects).toBe(total);

    const staffSheet = await read('staff');
    const zhang = staffSheet.rows.find((r) => r[0] === '张三')!;
    expect(zhang[1]).toBe(`${idNumber(11).slice(0, 6)}********${idNumber(11).slice(-4)}`);
    expect(staffSheet.res.rawPayload.includes(Buffer.from(idNumber(11)))).toBe(false);

    expect((await read('qualifications')).rows.some((r) => r.includes('信息系统项目管理师'))).toBe(true);
    expect((await read('financial-years')).rows[1]).toEqual(expect.arrayContaining([2025, 12345678.9, -35000.5]));
    expect((await read('ip')).rows[1]).toEqual(['软件著作权', '运维平台 V1.0', '2025SR0001', utc(2025, 2, 3)]);
    expect((await read('management-certificates')).rows[1]).toEqual(
      expect.arrayContaining(['ISO/IEC 27001', 'ISMS-1']),
    );
    expect((await viewer.get(`/api/orgs/${orgA.id}/exports/unknown.xlsx`)).statusCode).toBe(400);
  });

  it('exports formula-like text with a leading apostrophe as text, and imports it back without it', async () => {
    const name = '=HYPERLINK("http://x","y")';
    const client = '@SUM(1)';
    const contract = '-INJ-1';
    const file = await workbook([
      ['项目名称', '客户', '合同编号', '合同金额（元）'],
      [name, client, contract, 10],
    ]);
    expect((await upload(contributor, 'projects', '注入.xlsx', file)).json()).toMatchObject({ created: 1 });
    await t.database.db
      .insert(financialYears)
      .values({ orgId: orgA.id, year: 2024, revenue: '100.00', netProfit: '-12.50' });

    const exported = await viewer.get(`/api/orgs/${orgA.id}/exports/projects.xlsx`);
    expect(exported.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    let found: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(3).value === `'${contract}`) found = row;
    });
    expect(found).toBeDefined();
    for (const [column, text] of [
      [1, name],
      [2, client],
      [3, contract],
    ] as const) {
      const cell = found!.getCell(column);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(`'${text}`);
      expect(cell.formula).toBeUndefined();
    }
    expect(found!.getCell(4).type).toBe(ExcelJS.ValueType.Number);

    // Negative amounts stay numbers Excel can sum.
    const years = await viewer.get(`/api/orgs/${orgA.id}/exports/financial-years.xlsx`);
    const yearsBook = new ExcelJS.Workbook();
    await yearsBook.xlsx.load(years.rawPayload as unknown as ArrayBuffer);
    let profit: ExcelJS.Cell | undefined;
    yearsBook.worksheets[0]!.eachRow((row) => {
      if (row.getCell(1).value === 2024) profit = row.getCell(6);
    });
    expect(profit).toMatchObject({ type: ExcelJS.ValueType.Number, value: -12.5 });

    // Imported back, the apostrophes go again: the same project, unchanged.
    const back = await upload(contributor, 'projects', '导出.xlsx', exported.rawPayload);
    expect(back.json()).toMatchObject({ errors: [], created: 0 });
    const [row] = await t.database.db.select().from(projects).where(eq(projects.contractNumber, contract));
    expect(row).toMatchObject({ name, client, contractNumber: contract, amount: '10.00' });
  });

  it('keeps text of one- to four-byte characters byte for byte through import, export and import again', async () => {
    const written = Array.from({ length: 1500 }, (_, i) => ({
      name: mixedText(300_000 + i, 10 + (i % 60)),
      client: i === 0 ? '名称\uFFFD保留' : mixedText(400_000 + i, 3 + (i % 20)),
      contractNumber: `𠀀合同-${i}`,
    }));
    const texts = written.flatMap((p) => [p.name, p.client]);
    const stored = async () => {
      const rows = new Map((await projectRows()).map((p) => [p.contractNumber, p]));
      return written.flatMap((p) => [rows.get(p.contractNumber)?.name, rows.get(p.contractNumber)?.client]);
    };
    const file = csv([['项目名称', '客户', '合同编号'], ...written.map((p) => [p.name, p.client, p.contractNumber])]);
    // Several of the CSV reader's 64 KB chunks.
    expect(file.length).toBeGreaterThan(3 * 64 * 1024);
    const first = await upload(contributor, 'projects', '文字.csv', file);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: written.length, errors: [], created: written.length });
    expectSameText(await stored(), texts);

    const exported = await viewer.get(`/api/orgs/${orgA.id}/exports/projects.xlsx`);
    expect(exported.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const cells = new Map<unknown, unknown[]>();
    book.worksheets[0]!.eachRow(
      (row) => void cells.set(row.getCell(3).value, [row.getCell(1).value, row.getCell(2).value]),
    );
    expectSameText(
      written.flatMap((p) => cells.get(p.contractNumber) ?? [null, null]),
      texts,
    );

    const total = (await counts()).projects;
    const back = await upload(contributor, 'projects', '导出.xlsx', exported.rawPayload);
    expect(back.json()).toMatchObject({ rows: total, errors: [], created: 0, updated: total });
    expectSameText(await stored(), texts);
  });

  it('refuses a workbook or CSV with damaged text as a whole (400), saving nothing', async () => {
    const good = Array.from({ length: 20 }, (_, i) => [`完好的项目${i}`, `DAMAGED-${i}`]);
    const cell = (ref: string, text: string | Buffer) =>
      Buffer.concat([
        Buffer.from(`<c r="${ref}" t="inlineStr"><is><t>`),
        Buffer.from(text),
        Buffer.from('</t></is></c>'),
      ]);
    const row = (r: number, [name, contract]: Array<string | Buffer>) =>
      Buffer.concat([
        Buffer.from(`<row r="${r}">`),
        cell(`A${r}`, name!),
        cell(`B${r}`, contract!),
        Buffer.from('</row>'),
      ]);
    // The rows before the damaged one are fine: none of them may be saved either.
    const workbookFile = workbookAround({
      data: Buffer.concat([
        Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${SPREADSHEET_NS}><sheetData>`),
        row(1, ['项目名称', '合同编号']),
        ...good.map((values, i) => row(i + 2, values)),
        // 张 whole, then 三 cut to its first two bytes.
        row(good.length + 2, [Buffer.from([0xe5, 0xbc, 0xa0, 0xe4, 0xb8]), `DAMAGED-${good.length}`]),
        Buffer.from(SHEET_END),
      ]),
    });
    const csvFile = Buffer.concat([
      csv([['项目名称', '合同编号'], ...good]),
      Buffer.from('\r\n'),
      Buffer.from([0xe5, 0xbc, 0xa0, 0xe4, 0xb8]),
      Buffer.from(`,DAMAGED-${good.length}\r\n`),
    ]);
    const before = await counts();
    for (const [name, file, format] of [
      ['损坏.xlsx', workbookFile, '.xlsx'],
      ['损坏.csv', csvFile, '“CSV UTF-8”'],
    ] as const) {
      for (const dryRun of [true, false]) {
        const res = await upload(contributor, 'projects', name, file, { dryRun });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('编码损坏') });
        expect(res.json().error.message).toContain('未保存任何内容');
        expect(res.json().error.message).toContain(format);
      }
      const { body, contentType } = multipart(name, file);
      const english = await contributor.request('POST', `/api/orgs/${orgA.id}/imports/projects?dryRun=false`, body, {
        'content-type': contentType,
        'accept-language': 'en',
      });
      expect(english.statusCode).toBe(400);
      expect(english.json().error.message).toMatch(/^The file contains text that cannot be read .* nothing was saved/);
    }
    expect(await counts()).toEqual(before);
    expect(await t.database.db.select().from(projects).where(eq(projects.contractNumber, 'DAMAGED-0'))).toEqual([]);
  });

  it('lets a viewer read templates, mappings and exports but refuses their import (403), saving nothing', async () => {
    const before = await counts();
    const file = await workbook([PROJECT_HEADER, ['查看者', null, 'V-1', 1, null, null, null, null, null]]);
    const res = await upload(viewer, 'projects', 'v.xlsx', file);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    const put = await viewer.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, { mapping: {} });
    expect(put.statusCode).toBe(403);
    expect((await viewer.get(`/api/orgs/${orgA.id}/imports/progress/some-progress-id`)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('returns 404 for another tenant’s organisation on every route and saves nothing there', async () => {
    const file = await workbook([PROJECT_HEADER, ['越权', null, 'X-1', 1, null, null, null, null, null]]);
    const before = await counts();
    expect((await upload(b.owner, 'projects', 'x.xlsx', file)).statusCode).toBe(404);
    expect((await upload(b.owner, 'projects', 'x.xlsx', file, { dryRun: true })).statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/imports/projects/mapping`)).statusCode).toBe(404);
    expect(
      (await b.owner.request('PUT', `/api/orgs/${orgA.id}/imports/projects/mapping`, { mapping: {} })).statusCode,
    ).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/imports/projects/template.xlsx`)).statusCode).toBe(404);
    expect((await b.owner.get(`/api/orgs/${orgA.id}/imports/progress/some-progress-id`)).statusCode).toBe(404);
    for (const kind of ['projects', 'staff', 'qualifications', 'financial-years', 'ip', 'management-certificates']) {
      expect((await b.owner.get(`/api/orgs/${orgA.id}/exports/${kind}.xlsx`)).statusCode).toBe(404);
    }
    expect(await counts()).toEqual(before);
    // In B's own organisation, A's staff are unknown: a manager from A does not resolve.
    const own = await upload(
      b.owner,
      'projects',
      'b.xlsx',
      await workbook([PROJECT_HEADER, ['B 项目', null, 'B-1', 1, null, null, null, '张三', null]]),
      { orgId: orgB.id },
    );
    expect(own.json().errors[0].message).toContain('不是本企业登记的人员');
    expect((await counts(orgB.id)).projects).toBe(0);
  });

  it('returns 404 to a member limited to another organisation of the workspace', async () => {
    const other = await createOrg(a, CREDIT_CODES[2], '另一家子公司');
    const limited = (await addMember(t.app, a, 'contributor', [other.id])).client;
    const file = await workbook([PROJECT_HEADER, ['限定', null, 'L-1', 1, null, null, null, null, null]]);
    expect((await upload(limited, 'projects', 'l.xlsx', file)).statusCode).toBe(404);
    expect((await limited.get(`/api/orgs/${orgA.id}/exports/projects.xlsx`)).statusCode).toBe(404);
    expect((await upload(limited, 'projects', 'l.xlsx', file, { orgId: other.id })).json()).toMatchObject({
      created: 1,
    });
  });

  it('imports from the command line as the system: row errors exit 2 and save nothing, a clean file exits 0', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'zizhi-import-cli-'));
    const run = (args: string[]) => runImportCli(args);
    try {
      const bad = path.join(dir, '项目.xlsx');
      await writeFile(
        bad,
        await workbook([PROJECT_HEADER, ['命令行', null, 'CLI-1', 1, '2026-02-30', null, null, null, null]]),
      );
      const before = await counts();
      const failed = await run(['projects', bad, '--org', orgA.id]);
      expect(failed.code).toBe(2);
      expect(failed.out).toContain('第 2 行：签订日期 2026-02-30 无效');
      expect(failed.out).toContain('未保存任何数据');
      expect(await counts()).toEqual(before);

      const good = path.join(dir, '项目.csv');
      await writeFile(good, csv([PROJECT_HEADER, ['命令行', '', 'CLI-1', '1', '2026-02-28', '', '', '', '']], 'gbk'));
      const dry = await run(['projects', good, '--org', orgA.id, '--dry-run']);
      expect(dry).toMatchObject({ code: 0, out: expect.stringContaining('将新增 1 条') });
      expect(await counts()).toEqual(before);
      const done = await run(['projects', good, '--org', orgA.id, '--json']);
      expect(done.code).toBe(0);
      expect(JSON.parse(done.out)).toMatchObject({ rows: 1, created: 1, updated: 0, dryRun: false });
      expect((await counts()).projects).toBe(before.projects + 1);
      const [entry] = await t.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.orgId, orgA.id), eq(auditLog.action, 'import.completed')))
        .orderBy(desc(auditLog.at))
        .limit(1);
      expect(entry).toMatchObject({ actorId: null, ip: 'cli', summary: { via: 'cli', created: 1 } });

      expect((await run(['widgets', good, '--org', orgA.id])).code).toBe(2);
      const unknownOrg = await run(['projects', good, '--org', '00000000-0000-4000-8000-000000000000']);
      expect(unknownOrg).toMatchObject({ code: 2, err: expect.stringContaining('企业不存在') });
      expect((await run(['projects', path.join(dir, 'missing.xlsx'), '--org', orgA.id])).code).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('applies the configured workbook limits to `zizhi import` too (exit 2), saving nothing', async () => {
    const before = await counts();
    const header = Array.from({ length: 30 }, (_, i) => (i === 0 ? '项目名称' : i === 1 ? '合同编号' : `列${i}`));
    const wide = await workbook([header, ...Array.from({ length: 40 }, (_, r) => header.map((_h, c) => r * 100 + c))]);
    const lie = deflatedRepeat(SHEET_START, '<x/>', 2 ** 28, SHEET_END);
    await withTempFile(wide, async (file) => {
      const res = await runImportCli(['projects', file, '--org', orgA.id], {
        ...DEFAULT_IMPORT_LIMITS,
        maxCells: 1000,
      });
      expect(res).toMatchObject({ code: 2, err: expect.stringContaining('单元格数超过 1,000 个上限') });
    });
    await withTempFile(workbookAround({ deflated: lie.deflated, size: 1000 }), async (file) => {
      const limits = { ...DEFAULT_IMPORT_LIMITS, maxInflatedBytes: 8 * 1024 * 1024 };
      const res = await runImportCli(['projects', file, '--org', orgA.id], limits);
      expect(res).toMatchObject({ code: 2, err: expect.stringContaining('表格解压后超过 8 MB 上限') });
    });
    expect(await counts()).toEqual(before);
  });
});
