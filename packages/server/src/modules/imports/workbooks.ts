import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcel, textForSpreadsheet } from '../../reports/spreadsheet.js';
import { COLUMNS, IMPORT_KIND_LABELS, type ColumnDef, type FieldType, type ImportKind } from './columns.js';

const TYPE_TEXT: Record<FieldType, string> = {
  text: '文本',
  date: '日期 YYYY-MM-DD',
  money: '金额（元）',
  boolean: '是 / 否',
  enum: '从可选值中选一个',
  tags: '多个值，用 、 , 或 ; 分隔',
  month: '月份 YYYY-MM',
  idNumber: '18 位身份证号（文本格式）',
  staffRef: '人员姓名或身份证号',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** Column formats that keep what people type: text for ID numbers, a date format for dates. */
function formatFor(def: ColumnDef): string | undefined {
  if (def.type === 'idNumber' || def.type === 'month') return '@';
  if (def.type === 'date') return 'yyyy-mm-dd';
  if (def.type === 'money') return '#,##0.00';
  return undefined;
}

/**
 * The import template: the kind's Chinese headers (required ones in bold red), one example
 * row, list validation on choice columns, and a 说明 sheet listing formats and allowed values.
 */
export async function buildTemplate(kind: ImportKind): Promise<Buffer> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Zizhi 资质';
  const sheet = workbook.addWorksheet(IMPORT_KIND_LABELS[kind], { views: [{ state: 'frozen', ySplit: 1 }] });
  const defs = COLUMNS[kind];
  sheet.columns = defs.map((d) => ({
    header: d.header,
    key: d.key,
    width: Math.max(14, d.header.length * 2 + 4),
    ...(formatFor(d) ? { style: { numFmt: formatFor(d) } } : {}),
  }));
  const header = sheet.getRow(1);
  defs.forEach((d, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true, color: d.required ? { argb: 'FFC00000' } : undefined };
    cell.fill = HEADER_FILL;
    if (d.required) cell.note = '必填';
  });
  // The template holds only our own text; it goes through the same guard as exports all the same.
  const text = <T>(v: T) => (typeof v === 'string' ? textForSpreadsheet(v) : v);
  sheet.addRow(Object.fromEntries(defs.map((d) => [d.key, text(d.example)])));
  defs.forEach((d, i) => {
    const choices = d.type === 'enum' ? d.options?.map((o) => o.label) : d.type === 'boolean' ? ['是', '否'] : null;
    if (!choices) return;
    const letter = sheet.getColumn(i + 1).letter;
    for (let r = 2; r <= 1000; r++) {
      sheet.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${choices.join(',')}"`],
      };
    }
  });

  const help = workbook.addWorksheet('说明');
  help.columns = [
    { header: '列', key: 'header', width: 18 },
    { header: '必填', key: 'required', width: 8 },
    { header: '格式', key: 'type', width: 26 },
    { header: '可选值 / 说明', key: 'help', width: 60 },
    { header: '也可识别的列名', key: 'aliases', width: 40 },
  ];
  help.getRow(1).font = { bold: true };
  help.getRow(1).fill = HEADER_FILL;
  for (const d of defs) {
    const options = d.options?.map((o) => `${o.label}（${o.code}）`).join('、');
    help.addRow({
      header: text(d.header),
      required: d.required ? '是' : '否',
      type: TYPE_TEXT[d.type],
      help: text([options ? `可选：${options}` : '', d.help].filter(Boolean).join('；')),
      aliases: text(d.aliases.join('、')),
    });
  }
  help.addRow({});
  for (const line of [
    '第一个工作表的第 1 行是表头，数据从第 2 行开始；列的顺序不限，多余的列会被忽略。',
    '公式单元格请先“粘贴为数值”；日期可用 Excel 日期格式或 YYYY-MM-DD 文本。',
    '导入前可先“试导入”：列出每一行的问题，不保存任何数据；有任何错误时整个文件都不会保存。',
    '同时也可导入 CSV 文件（UTF-8 或 GBK 编码）。',
  ]) {
    help.addRow({ header: line });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A cell of an export: text, or a number/date Excel can compute with. Text is never written as a formula. */
export type ExportCell = string | number | Date | null;

export interface ExportColumn {
  header: string;
  width?: number;
  numFmt?: string;
}

export interface ExportSheet {
  sheetName: string;
  columns: ExportColumn[];
  rows: ExportCell[][];
}

/**
 * Writes one sheet to `stream` with exceljs's streaming writer: rows are committed as they are
 * written, so the zip is produced while the rows go out instead of after building a workbook.
 */
export async function writeExport(stream: Writable, sheet: ExportSheet): Promise<void> {
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheet.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((c, i) => ({
    header: textForSpreadsheet(c.header),
    key: String(i),
    width: c.width ?? Math.max(12, c.header.length * 2 + 4),
    ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}),
  }));
  const header = worksheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  for (const values of sheet.rows) {
    // Stored text is whatever people typed or imported; numbers and dates stay typed cells.
    const row = worksheet.addRow(values.map((v) => (typeof v === 'string' ? textForSpreadsheet(v) : v)));
    // Blank cells would otherwise lose the column's format; only set cells matter here.
    sheet.columns.forEach((c, i) => {
      if (c.numFmt && values[i] !== null) row.getCell(i + 1).numFmt = c.numFmt;
    });
    row.commit();
  }
  worksheet.commit();
  await workbook.commit();
}
