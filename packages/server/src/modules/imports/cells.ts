import { isValidDate, validateIdNumber } from '@zizhi/core';
import { chinaToday } from '../../clock.js';
import type { EnumOption } from './columns.js';
import { textFromSpreadsheet } from '../../reports/spreadsheet.js';

/**
 * A cell as the readers hand it over: CSV gives text only; a workbook also numbers, booleans,
 * dates (a UTC instant at the day's midnight) and markers for formulas and error values.
 */
export type RawCell = string | number | boolean | Date | null | { formula: string } | { error: string };

/** A converted value, or the reason it cannot be read (the message's tail after the column name). */
export type Converted<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Converted<T> => ({ ok: true, value });
const fail = (problem: string): Converted<never> => ({ ok: false, problem });

export const isFormula = (cell: RawCell): cell is { formula: string } =>
  typeof cell === 'object' && cell !== null && 'formula' in cell;
export const isErrorValue = (cell: RawCell): cell is { error: string } =>
  typeof cell === 'object' && cell !== null && 'error' in cell;

/** True for a cell that holds nothing (blank text included). */
export function isBlank(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The calendar day of an Excel date cell: its UTC date, never the server's local one. */
function utcDay(d: Date): string {
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/**
 * A number from a workbook as a plain decimal string. Excel keeps 15 significant digits, so
 * anything a double carries beyond them is binary noise (0.1 + 0.2 = 0.30000000000000004):
 * round to 15 digits, then write without exponent and without trailing zeros.
 */
export function decimalFromNumber(n: number): string {
  const [mantissa = '0', exp = '0'] = n.toPrecision(15).split('e');
  const negative = mantissa.startsWith('-');
  const [intPart = '', fracPart = ''] = mantissa.replace('-', '').split('.');
  let digits = intPart + fracPart;
  let point = intPart.length + Number(exp);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  const whole = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(point).replace(/0+$/, '');
  const text = fraction ? `${whole}.${fraction}` : whole;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** The text a person sees in the cell (numbers as decimals, dates as YYYY-MM-DD). */
export function cellText(cell: RawCell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return textFromSpreadsheet(cell).trim();
  if (typeof cell === 'number') return decimalFromNumber(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : utcDay(cell);
  if (isErrorValue(cell)) return cell.error;
  return '';
}

// Control characters other than tab and line breaks: a NUL makes PostgreSQL refuse the whole batch.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export function toText(cell: RawCell, maxLength: number): Converted<string> {
  const text = cellText(cell);
  if (CONTROL.test(text)) return fail(' 含有不可见的控制字符，请删除后再导入');
  // Code units bound code points from above: count the latter only when the former is over.
  if (text.length > maxLength && Array.from(text).length > maxLength) return fail(` 超过 ${maxLength} 个字符`);
  return ok(text);
}

const DATE_TEXT =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// Excel's serial day 25569 is 1970-01-01; serials above 2958465 would be past 9999-12-31.
const EXCEL_EPOCH = 25569;
const MAX_SERIAL = 2958465;

function dateFromParts(y: string, m: string, d: string): string | null {
  const text = `${y}-${pad2(Number(m))}-${pad2(Number(d))}`;
  return isValidDate(text) ? text : null;
}

/**
 * A calendar date from an Excel date cell (its UTC day), a serial number in a cell not formatted
 * as a date, 20260305, or text such as 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日.
 */
export function toDate(cell: RawCell): Converted<string> {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? fail(' 无效') : ok(utcDay(cell));
  const shown = cellText(cell);
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 29991231) {
      const s = String(cell);
      const d = dateFromParts(s.slice(0, 4), s.slice(4, 6), s.slice(6, 8));
      if (d) return ok(d);
    }
    if (cell >= 1 && cell <= MAX_SERIAL) {
      return ok(utcDay(new Date(Math.round((Math.floor(cell) - EXCEL_EPOCH) * 86_400_000))));
    }
    return fail(` ${shown} 无效，应为 YYYY-MM-DD 格式的日期，例如 2026-03-05`);
  }
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(shown);
  const match = compact ?? DATE_TEXT.exec(shown);
  const d = match ? dateFromParts(match[1]!, match[2]!, match[3]!) : null;
  return d ? ok(d) : fail(` ${shown} 无效，应为 YYYY-MM-DD 格式的日期，例如 2026-03-05`);
}

/** A month `YYYY-MM` from a date cell, 2024-07, 2024/7, 2024年7月, 202407 or a full date. */
export function toMonth(cell: RawCell): Converted<string> {
  const shown = cellText(cell);
  const bad = fail(` ${shown} 无效，应为 YYYY-MM 格式的月份，例如 2024-07`);
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? bad : ok(utcDay(cell).slice(0, 7));
  // 2024.10 typed as a number reads back as 2024.1: only whole YYYYMM numbers are unambiguous.
  if (typeof cell === 'number' && !(Number.isInteger(cell) && cell >= 100001 && cell <= 999912)) return bad;
  const match = /^(\d{4})(\d{2})$/.exec(shown) ?? /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(shown);
  if (match) {
    const month = Number(match[2]);
    if (month >= 1 && month <= 12 && match[1]! >= '1900') return ok(`${match[1]}-${pad2(month)}`);
    return bad;
  }
  const date = toDate(cell);
  return date.ok ? ok(date.value.slice(0, 7)) : bad;
}

/** The largest amount numeric(18,2) holds: 16 digits before the point. */
const MONEY = /^(\d{1,16})(?:\.(\d{1,2}))?$/;

/**
 * Yuan as an exact decimal string: numeric cells through their 15 significant digits, text
 * with thousands separators, a currency sign or 元 allowed. Never through float arithmetic.
 */
export function toMoney(cell: RawCell): Converted<string> {
  // The usual cell: whole yuan or fen that a double rounds back to exactly (toFixed then prints
  // the decimal the cell shows). Anything else goes the careful way below.
  if (typeof cell === 'number' && cell >= 0 && cell < 1e13 && Math.round(cell * 100) / 100 === cell) {
    const fixed = cell.toFixed(2);
    return ok(fixed.endsWith('.00') ? fixed.slice(0, -3) : fixed.endsWith('0') ? fixed.slice(0, -1) : fixed);
  }
  const shown = cellText(cell);
  const text =
    typeof cell === 'number'
      ? shown
      : shown
          .replace(/[,，\s]/g, '')
          .replace(/^[¥￥]/, '')
          .replace(/元$/, '');
  if (text.startsWith('-')) return fail(` ${shown} 无效，金额不能为负数`);
  const match = MONEY.exec(text);
  if (!match) {
    if (/^\d+\.\d{3,}$/.test(text)) return fail(` ${shown} 无效，金额最多两位小数`);
    return fail(` ${shown} 无效，应为以元为单位的金额，例如 1250000.00 或 1,250,000`);
  }
  const whole = match[1]!.replace(/^0+(?=\d)/, '');
  return ok(match[2] ? `${whole}.${match[2]}` : whole);
}

const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '对']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '×', '✗', '✘', '不是']);

export function toBoolean(cell: RawCell): Converted<boolean> {
  if (typeof cell === 'boolean') return ok(cell);
  const text = cellText(cell).toLowerCase();
  if (TRUE_WORDS.has(text)) return ok(true);
  if (FALSE_WORDS.has(text)) return ok(false);
  return fail(` ${cellText(cell)} 无效，应填 是 或 否`);
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
const optionIndex = new WeakMap<readonly EnumOption[], Map<string, string>>();

/** Every spelling of every option, folded, to its code; built once per option list. */
function indexOptions(options: readonly EnumOption[]): Map<string, string> {
  let index = optionIndex.get(options);
  if (!index) {
    index = new Map();
    for (const o of options) {
      for (const spelling of [o.label, o.code, ...(o.aliases ?? [])]) index.set(fold(spelling), o.code);
    }
    optionIndex.set(options, index);
  }
  return index;
}

/** An option by its Chinese label, its code or a known alias (case and width ignored). */
export function toEnum(cell: RawCell, options: readonly EnumOption[]): Converted<string> {
  const code = indexOptions(options).get(fold(cellText(cell)));
  if (code !== undefined) return ok(code);
  return fail(` ${cellText(cell)} 无效，可选：${options.map((o) => o.label).join('、')}`);
}

const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 50;

/** Tags separated by 、 , ; (either width) or line breaks; blanks and repeats dropped. */
export function toTags(cell: RawCell): Converted<string[]> {
  const tags = [
    ...new Set(
      cellText(cell)
        .split(/[、,，;；\n]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > MAX_TAGS) return fail(` 最多 ${MAX_TAGS} 个`);
  const long = tags.find((t) => Array.from(t).length > MAX_TAG_LENGTH);
  if (long) return fail(`“${long}”超过 ${MAX_TAG_LENGTH} 个字符`);
  if (tags.some((t) => CONTROL.test(t))) return fail(' 含有不可见的控制字符，请删除后再导入');
  return ok(tags);
}

/** The form stored and compared: no spaces, upper-case X. */
export const normaliseIdNumber = (text: string) => text.replace(/\s+/g, '').toUpperCase();

export function toIdNumber(cell: RawCell): Converted<string> {
  // 18 digits do not fit a double: a numeric cell has already lost its last digits.
  if (typeof cell === 'number') {
    return fail(` ${cellText(cell)} 是数字格式，末几位已丢失；请将该列设为文本格式后重新填写身份证号`);
  }
  const value = normaliseIdNumber(cellText(cell));
  const check = validateIdNumber(value, { today: chinaToday() });
  return check.valid ? ok(check.idNumber) : fail(` ${value} 无效：${check.reason}`);
}
