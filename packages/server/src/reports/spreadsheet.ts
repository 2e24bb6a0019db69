// Workbooks Zizhi writes (exports, import templates, pack indexes, plans) and reads: exceljs loaded
// once on first use, and text kept text.
import type ExcelJS from 'exceljs';

// exceljs is loaded by the first workbook, not at start: it costs some 25 MB of memory that a
// server which never handles a spreadsheet has no use for.
let excel: Promise<typeof ExcelJS> | undefined;
export const loadExcel = () => (excel ??= import('exceljs').then((m) => m.default));

/**
 * Text Excel or WPS would run as a formula once the cell is edited, or once the sheet is saved as
 * CSV and opened again (= + - @, a tab or a carriage return), possibly behind apostrophes.
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;

/**
 * Text as exports write it: formula-like text gets a leading apostrophe, so it stays text
 * (`=HYPERLINK(…)` from a project name must not become a link that leaks data). Text that already
 * starts with apostrophes before such a character gets one more, so reading it back is exact.
 */
export const textForSpreadsheet = (text: string): string => (FORMULA_LIKE.test(text) ? `'${text}` : text);

/** The inverse of textForSpreadsheet: an exported file imports back as what was stored. */
export const textFromSpreadsheet = (text: string): string =>
  text.startsWith("'") && FORMULA_LIKE.test(text) ? text.slice(1) : text;
