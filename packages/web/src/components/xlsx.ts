// Lists saved as Excel workbooks, written in the browser. Imported only by the export modules,
// which pages load when someone exports: the workbook writer is large and most visits never need it.
import ExcelJS from 'exceljs';
import dayjs from 'dayjs';
import { saveBlob } from '../api/download';

/** Rows one export may hold: enough for a year of a busy workspace, small enough for a browser. */
export const MAX_EXPORT_ROWS = 20_000;

/** More rows match than one export may hold: the user narrows the filters. */
export class TooManyRows extends Error {
  constructor(readonly total: number) {
    super(`${total} rows`);
  }
}

/** Text a spreadsheet would run as a formula (= + - @) stays text. */
export const asText = (value: string) => (/^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export interface SheetColumn {
  header: string;
  key: string;
  width: number;
  /** Long text: wrapped, top-aligned. */
  wrap?: boolean;
}

/**
 * One sheet with a bold, frozen header row, saved as `<name>-<YYYYMMDD-HHmm>.xlsx`. Every text
 * cell goes through `asText`.
 */
export async function saveWorkbook(
  name: string,
  columns: SheetColumn[],
  rows: Record<string, string | number | null | undefined>[],
): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map(({ header, key, width }) => ({ header, key, width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) {
    const cells: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value !== null && value !== undefined) cells[key] = typeof value === 'string' ? asText(value) : value;
    }
    sheet.addRow(cells);
  }
  for (const c of columns) if (c.wrap) sheet.getColumn(c.key).alignment = { wrapText: true, vertical: 'top' };
  const buffer = await workbook.xlsx.writeBuffer();
  saveBlob(
    new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
    `${name}-${dayjs().format('YYYYMMDD-HHmm')}.xlsx`,
  );
}
