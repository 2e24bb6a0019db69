import { createRequire } from 'node:module';
import path from 'node:path';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type ExcelJS from 'exceljs';
import { IMPORT_LIMIT_DEFAULTS, type Config } from '../../config/index.js';
import { AppError, invalid } from '../../errors.js';
import { MB } from '../../http/multipart.js';
import type { RawCell } from './cells.js';
import { DecodingCheck, REPLACEMENT_BYTES, unreadableText } from './decoding.js';
import { ZipArchive, type ZipEntry } from './zip.js';
import { loadExcel } from '../../reports/spreadsheet.js';

/**
 * What one workbook may cost to read. An .xlsx is a zip: a 1 MB upload can inflate to gigabytes
 * of XML, so the upload limit alone bounds nothing.
 */
export interface ImportLimits {
  /** Cells of the first worksheet, each row counted to its last cell (what the reader allocates). */
  maxCells: number;
  /** Bytes inflated from the archive in all: worksheet, shared strings, styles and the rest. */
  maxInflatedBytes: number;
}

export const importLimits = (config: Pick<Config, 'importMaxCells' | 'importMaxInflatedMb'>): ImportLimits => ({
  maxCells: config.importMaxCells,
  maxInflatedBytes: config.importMaxInflatedMb * MB,
});

export const DEFAULT_IMPORT_LIMITS: ImportLimits = importLimits({
  importMaxCells: IMPORT_LIMIT_DEFAULTS.maxCells,
  importMaxInflatedMb: IMPORT_LIMIT_DEFAULTS.maxInflatedMb,
});

/** Excel writes a dozen entries; thousands of sheets or images would still pass. */
export const MAX_ZIP_ENTRIES = 10_000;
const MAX_DIRECTORY_BYTES = 16 * MB;
/**
 * The shared strings stay in memory for the whole sheet (every string, each with V8's overhead),
 * so they get half the budget; the sheet itself only streams through.
 */
const SHARED_STRINGS_SHARE = 0.5;
/**
 * No text or tag in a part runs longer than this without a `<`. Excel's longest cell is 32,767
 * characters, at most about 230 KB escaped; a longer run is one string built to fill the memory.
 */
export const MAX_TOKEN_BYTES = MB;
/** One shared string with all its rich-text runs (a run per character still fits). */
export const MAX_SHARED_STRING_BYTES = 8 * MB;
/** One cell's text in a worksheet, three times Excel's own limit. */
export const MAX_CELL_CHARS = 100_000;

// The options the steps below consult: keep the shared strings, and the styles that say which numbers are dates.
const READER_OPTIONS = { sharedStrings: 'cache', styles: 'cache' } as const;

const SPLIT_ADVICE = '请删去不需要的工作表、行或列，或拆分成几个文件后再导入';
const RESAVE_ADVICE = '文件可能已损坏或被改动；请在 Excel 中打开并另存为 .xlsx 后再导入';
const tooLarge = (message: string) => new AppError('PAYLOAD_TOO_LARGE', message);
const mb = (bytes: number) => `${Math.floor(bytes / MB)} MB`;
const thousands = (n: number) => n.toLocaleString('en-US');

export const unsupported = (what: string) =>
  new AppError(
    'UNSUPPORTED_MEDIA_TYPE',
    `${what}。只能导入 Excel 工作簿（.xlsx）或 CSV 文件（UTF-8 或 GBK 编码）；请下载模板填写后再导入。`,
  );

/**
 * exceljs's streaming reader, driven part by part instead of over one zip stream: its own
 * `parse()` inflates whatever the archive holds, in archive order, and spools worksheets that come
 * before the shared strings to temporary files, so nothing would bound what a bomb costs. These
 * are the steps `parse()` itself calls (exceljs 4.4), each given a stream of one part, and the
 * state they leave for reading a sheet.
 */
interface ReaderSteps {
  _parseRels(stream: Readable): Promise<void>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncGenerator<unknown>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ rId: string }> };
  sharedStrings?: ExcelValue[];
  styles: { getStyleModel(id: number): { numFmt?: string } | null };
  properties?: { model?: { date1904?: boolean } };
}

interface SaxNode {
  name: string;
  attributes: Record<string, string>;
}
type SaxEvent = { eventType: 'opentag' | 'closetag'; value: SaxNode } | { eventType: 'text'; value: string };

// exceljs's own XML event reader (saxes, batched per chunk) and its date rules, so dates read as
// before; required with the rest of exceljs, by the first workbook read.
interface ExcelInternals {
  parseSax: (source: AsyncIterable<unknown>) => AsyncIterable<SaxEvent[]>;
  isDateFmt: (format: string | undefined) => boolean;
  excelToDate: (serial: number, date1904?: boolean) => Date;
}
const requireCjs = createRequire(import.meta.url);
let internals: ExcelInternals | undefined;
const excelInternals = (): ExcelInternals => {
  if (!internals) {
    const { isDateFmt, excelToDate } = requireCjs('exceljs/lib/utils/utils') as ExcelInternals;
    const parseSax = requireCjs('exceljs/lib/utils/parse-sax') as ExcelInternals['parseSax'];
    internals = { parseSax, isDateFmt, excelToDate };
  }
  return internals;
};

interface Budget {
  max: number;
  used: number;
  error: () => AppError;
}

/** Counts the end tags of shared strings: how many there are, and the longest run between two. */
class ItemCounter {
  private items = 0;
  private run = 0;
  private tail = Buffer.alloc(0);
  private static readonly END = Buffer.from('</si>');

  constructor(
    private readonly maxItems: number,
    private readonly maxItemBytes: number,
  ) {}

  feed(chunk: Buffer): AppError | null {
    const end = ItemCounter.END;
    // The tail keeps an end tag split between two chunks; it is shorter than the tag, so never counted twice.
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    let runStart = this.tail.length - this.run;
    for (let at = data.indexOf(end); at !== -1; at = data.indexOf(end, at + end.length)) {
      if (at - runStart > this.maxItemBytes) return this.itemTooLong();
      runStart = at + end.length;
      if (++this.items > this.maxItems) {
        return tooLarge(`表格中不同的文字超过 ${thousands(this.maxItems)} 条上限；${SPLIT_ADVICE}`);
      }
    }
    this.run = data.length - runStart;
    if (this.run > this.maxItemBytes) return this.itemTooLong();
    this.tail = Buffer.from(data.subarray(Math.max(0, data.length - (end.length - 1))));
    return null;
  }

  private itemTooLong() {
    return tooLarge(`表格中有一条文字超过 ${mb(this.maxItemBytes)}（Excel 单元格最多 32767 个字符）；${RESAVE_ADVICE}`);
  }
}

/**
 * Sits where the bytes come out of the inflater: counts them against the part's and the
 * archive's budget and fails the stream the moment one is passed, which stops the inflation.
 * Declared sizes are checked earlier, but they are the archive's word; these counts are not.
 * Hands on text decoded across chunk boundaries (exceljs decodes each chunk on its own, which
 * breaks a Chinese character split between two), and fails on bytes that are not UTF-8 rather
 * than let the decoder's U+FFFD stand in for a character of someone's name.
 */
class InflateGuard extends Transform {
  private sinceTag = 0;
  private readonly decoder = new StringDecoder('utf8');
  private readonly decoding = new DecodingCheck(REPLACEMENT_BYTES.utf8);

  constructor(
    private readonly part: Budget | null,
    private readonly archive: Budget,
    private readonly items: ItemCounter | null,
  ) {
    super();
    // Text pushed in the readable side's encoding is handed on as it is, not decoded again.
    this.setEncoding('utf8');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.archive.used += chunk.length;
    if (this.part && (this.part.used += chunk.length) > this.part.max) return done(this.part.error());
    if (this.archive.used > this.archive.max) return done(this.archive.error());
    const problem = this.longToken(chunk) ?? this.items?.feed(chunk) ?? null;
    if (problem) return done(problem);
    const text = this.decoder.write(chunk);
    this.decoding.feed(chunk, text);
    done(this.decoding.isDamaged ? unreadableText('xlsx') : null, text);
  }

  override _flush(done: TransformCallback): void {
    const text = this.decoder.end();
    this.decoding.end(text);
    done(this.decoding.isDamaged ? unreadableText('xlsx') : null, text);
  }

  private longToken(chunk: Buffer): AppError | null {
    const first = chunk.indexOf(0x3c);
    if (first === -1) {
      this.sinceTag += chunk.length;
    } else {
      // Runs inside one chunk are shorter than the chunk, which stays far below the limit.
      if (this.sinceTag + first > MAX_TOKEN_BYTES || chunk.length > MAX_TOKEN_BYTES) return this.tokenTooLong();
      this.sinceTag = chunk.length - 1 - chunk.lastIndexOf(0x3c);
    }
    return this.sinceTag > MAX_TOKEN_BYTES ? this.tokenTooLong() : null;
  }

  private tokenTooLong() {
    return tooLarge(`表格中有一段文字超过 ${mb(MAX_TOKEN_BYTES)}（Excel 单元格最多 32767 个字符）；${RESAVE_ADVICE}`);
  }
}

type ExcelValue = ExcelJS.CellValue | undefined;

/** exceljs's cell value as a RawCell: rich text joined, formulas and error values marked. */
function fromExcel(value: ExcelValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if ('formula' in value || 'sharedFormula' in value) {
    return { formula: 'formula' in value ? String(value.formula) : String(value.sharedFormula) };
  }
  if ('error' in value) return { error: String(value.error) };
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) {
    const text = value.text as unknown;
    return typeof text === 'string' ? text : fromExcel(text as ExcelValue);
  }
  return null;
}

const SHEET_PATH = /^xl\/worksheets\/sheet\d+\.xml$/;

/** The first sheet in the workbook's tab order, else the first sheet part in the archive. */
function firstSheet(archive: ZipArchive, reader: ReaderSteps): ZipEntry | null {
  const first = reader.model?.sheets?.[0];
  const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
  if (target) {
    const entry = archive.find(target.startsWith('/') ? target.slice(1) : path.posix.normalize(`xl/${target}`));
    if (entry) return entry;
  }
  return archive.entries.find((e) => SHEET_PATH.test(e.name)) ?? null;
}

/** Excel's last column, XFD. */
const MAX_COLUMNS = 16_384;

/** The column of a cell reference such as XFD12 (1 for A), or null without one. */
function columnOf(ref: string | undefined): number | null {
  if (!ref) return null;
  let column = 0;
  let i = 0;
  for (; i < ref.length && column <= MAX_COLUMNS; i++) {
    const code = ref.charCodeAt(i) & ~0x20;
    if (code < 65 || code > 90) break;
    column = column * 26 + code - 64;
  }
  return i > 0 ? column : null;
}

interface CellDraft {
  column: number;
  type: string | undefined;
  style: number;
  value: string | null;
  formula: string | null;
}

/** A cell's value as exceljs's streaming reader gives it (shared strings, date formats, 1904 dates). */
function cellValue(cell: CellDraft, reader: ReaderSteps): RawCell {
  if (cell.formula !== null) return { formula: cell.formula };
  const text = cell.value;
  if (text === null) return null;
  switch (cell.type) {
    case 's':
      return fromExcel(reader.sharedStrings?.[Number.parseInt(text, 10)]);
    case 'inlineStr':
    case 'str':
      return text;
    case 'e':
      return { error: text };
    case 'b':
      return Number.parseInt(text, 10) !== 0;
    default: {
      const number = Number.parseFloat(text);
      const { isDateFmt, excelToDate } = excelInternals();
      const format = cell.style ? reader.styles.getStyleModel(cell.style)?.numFmt : undefined;
      return isDateFmt(format) ? excelToDate(number, reader.properties?.model?.date1904) : number;
    }
  }
}

/**
 * The rows of a worksheet part. Read here rather than by exceljs's WorksheetReader, which keeps
 * appending text to the last cell it saw: text between elements (a bomb's filler) would grow
 * one string up to the whole sheet. Here only the text of a cell's <v>, <t> and <f> is kept,
 * at most MAX_CELL_CHARS characters, and cells are counted as they are parsed, before a
 * row is built: a single cell in column XFD counts as the 16,384 its row allocates.
 */
async function* sheetRows(
  source: Readable,
  reader: ReaderSteps,
  maxCells: number,
): AsyncGenerator<{ row: number; cells: RawCell[] }> {
  let cellsBefore = 0;
  let inRows = false;
  let row: { number: number; values: RawCell[]; width: number; elements: number; style: number } | null = null;
  let lastRow = 0;
  let cell: CellDraft | null = null;
  let target: 'value' | 'formula' | null = null;
  let inPhonetic = false;
  const tooManyCells = (at: number) =>
    tooLarge(`单元格数超过 ${thousands(maxCells)} 个上限（读到第 ${at} 行）；${SPLIT_ADVICE}`);
  const { parseSax } = excelInternals();
  for await (const events of parseSax(source)) {
    const ready: Array<{ row: number; cells: RawCell[] }> = [];
    for (const event of events) {
      if (event.eventType === 'text') {
        if (!cell || !target || inPhonetic) continue;
        const text = (cell[target] ?? '') + event.value;
        if (text.length > MAX_CELL_CHARS) {
          throw tooLarge(
            `第 ${row?.number} 行有单元格的文字超过 ${thousands(MAX_CELL_CHARS)} 个字符（Excel 单元格最多 32767 个字符）；${RESAVE_ADVICE}`,
          );
        }
        cell[target] = text;
        continue;
      }
      const node = event.value;
      // Some writers put the spreadsheet namespace on a prefix (x:row).
      const name = node.name.slice(node.name.indexOf(':') + 1);
      if (event.eventType === 'opentag') {
        switch (name) {
          case 'sheetData':
            inRows = true;
            break;
          case 'row': {
            if (!inRows) break;
            const number = Number.parseInt(node.attributes.r ?? '', 10);
            lastRow = Number.isFinite(number) ? number : lastRow + 1;
            const style = Number.parseInt(node.attributes.s ?? '', 10) || 0;
            row = { number: lastRow, values: [], width: 0, elements: 0, style };
            break;
          }
          case 'c': {
            if (!row) break;
            const column = columnOf(node.attributes.r) ?? row.width + 1;
            if (column > MAX_COLUMNS) {
              throw invalid(
                'file',
                `第 ${row.number} 行的单元格位置 ${node.attributes.r} 超出 Excel 的列数；${RESAVE_ADVICE}`,
              );
            }
            row.width = Math.max(row.width, column);
            row.elements++;
            if (cellsBefore + Math.max(row.width, row.elements) > maxCells) throw tooManyCells(row.number);
            const style = Number.parseInt(node.attributes.s ?? '', 10) || row.style;
            cell = { column, type: node.attributes.t, style, value: null, formula: null };
            break;
          }
          case 'v':
          case 't':
            if (cell) {
              target = 'value';
              cell.value ??= '';
            }
            break;
          case 'f':
            if (cell) {
              target = 'formula';
              cell.formula ??= '';
            }
            break;
          case 'rPh':
            inPhonetic = true;
            break;
        }
      } else {
        switch (name) {
          case 'v':
          case 't':
          case 'f':
            target = null;
            break;
          case 'rPh':
            inPhonetic = false;
            break;
          case 'c':
            if (row && cell) {
              const value = cellValue(cell, reader);
              if (value !== null) row.values[cell.column - 1] = value;
            }
            cell = null;
            target = null;
            break;
          case 'row':
            if (row) {
              cellsBefore += Math.max(row.width, row.elements);
              const values = row.values;
              for (let i = 0; i < values.length; i++) values[i] ??= null;
              ready.push({ row: row.number, cells: values });
            }
            row = null;
            break;
          case 'sheetData':
            inRows = false;
            break;
        }
      }
    }
    yield* ready;
  }
}

/**
 * The first worksheet's rows, streamed. Only the parts a sheet needs are inflated (relations,
 * workbook, styles, shared strings, the sheet), each through a guard, after the central directory
 * has shown the entry count and the declared sizes to be within the limits; rows are counted in
 * cells as they come. Any limit passed: 413, with the limit in the message.
 */
export async function* readXlsx(
  file: string,
  onBytes: (bytes: number) => void,
  limits: ImportLimits,
): AsyncGenerator<{ row: number; cells: RawCell[] }> {
  const ExcelJS = await loadExcel();
  const archive = await ZipArchive.open(file, {
    maxEntries: MAX_ZIP_ENTRIES,
    maxDirectoryBytes: MAX_DIRECTORY_BYTES,
    tooManyEntries: (n) =>
      tooLarge(
        `压缩包内有 ${thousands(n)} 个文件，超过 ${thousands(MAX_ZIP_ENTRIES)} 个的上限，不是正常的 Excel 工作簿；${RESAVE_ADVICE}`,
      ),
  });
  const whole: Budget = {
    max: limits.maxInflatedBytes,
    used: 0,
    error: () =>
      tooLarge(`表格解压后超过 ${mb(limits.maxInflatedBytes)} 上限（可能是异常压缩的文件）；${SPLIT_ADVICE}`),
  };
  const sharedStringsMax = Math.floor(limits.maxInflatedBytes * SHARED_STRINGS_SHARE);
  const sharedStrings: Budget = {
    max: sharedStringsMax,
    used: 0,
    error: () => tooLarge(`表格中的文字（共享字符串表）解压后超过 ${mb(sharedStringsMax)} 上限；${SPLIT_ADVICE}`),
  };
  const open: Readable[] = [];
  let compressed = 0;

  /**
   * A part's inflated text, refused up front on its declared size and stopped on its real one.
   * The worksheet has the whole budget (less what the other parts used); the shared strings also their own.
   */
  const part = async (entry: ZipEntry, budget: Budget | null = null, items: ItemCounter | null = null) => {
    if (budget && entry.uncompressedSize > budget.max) throw budget.error();
    if (whole.used + entry.uncompressedSize > whole.max) throw whole.error();
    const raw = await archive.open(entry, (bytes) => onBytes((compressed += bytes)));
    const guard = new InflateGuard(budget, whole, items);
    open.push(raw, guard);
    pipeline(raw, guard, () => {});
    return guard;
  };

  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, READER_OPTIONS) as unknown as ReaderSteps;
  try {
    const workbook = archive.find('xl/workbook.xml');
    if (!workbook) throw unsupported('压缩包里没有工作簿（xl/workbook.xml），不是 Excel 文件');
    const rels = archive.find('xl/_rels/workbook.xml.rels');
    if (rels) await reader._parseRels(await part(rels));
    await reader._parseWorkbook(await part(workbook));
    const styles = archive.find('xl/styles.xml');
    if (styles) await reader._parseStyles(await part(styles));
    const strings = archive.find('xl/sharedStrings.xml');
    if (strings) {
      const items = new ItemCounter(limits.maxCells, MAX_SHARED_STRING_BYTES);
      for await (const _ of reader._parseSharedStrings(await part(strings, sharedStrings, items))) {
        // Cached by the reader: nothing is emitted.
      }
    }
    const sheet = firstSheet(archive, reader);
    if (!sheet) throw unsupported('压缩包里没有工作表，不是 Excel 工作簿');
    yield* sheetRows(await part(sheet), reader, limits.maxCells);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalid('file', `无法读取该 Excel 文件（${(err as Error).message}）；请在 Excel 中打开并另存为 .xlsx 后重试`);
  } finally {
    for (const stream of open) stream.destroy();
    await archive.close();
  }
}
