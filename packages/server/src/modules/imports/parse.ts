import {
  cellText,
  isBlank,
  isErrorValue,
  isFormula,
  toBoolean,
  toDate,
  toEnum,
  toIdNumber,
  toMoney,
  toMonth,
  toTags,
  toText,
  type Converted,
  type RawCell,
} from './cells.js';
import { COLUMNS, normaliseHeader, type ColumnDef, type ImportKind } from './columns.js';

/** One problem, with the row as Excel numbers it (the header is row 1) and the column's header. */
export interface ImportError {
  row: number;
  column: string | null;
  message: string;
}

export type FieldValue = string | boolean | string[] | null;

/** A data row that passed the file checks: the values of the columns the file has. */
export interface ParsedRow {
  row: number;
  values: Record<string, FieldValue>;
}

/** Where a field is in the file. */
export interface ColumnPlan {
  def: ColumnDef;
  index: number;
  /** The header as written in the file (what messages name). */
  header: string;
}

/** Listed errors stop here; `errorCount` still counts every one. */
export const MAX_LISTED_ERRORS = 10_000;
/** More rows than this are refused: it bounds memory and no organisation has that many records. */
export const MAX_DATA_ROWS = 200_000;

const rowError = (row: number, column: string | null, detail: string): ImportError => ({
  row,
  column,
  message: `第 ${row} 行：${detail}`,
});

/**
 * Finds each field's column: first the organisation's saved mapping, then the template header,
 * then the aliases. A required field without a column is one error naming what was looked for.
 */
export function planColumns(
  kind: ImportKind,
  header: { row: number; cells: RawCell[] },
  mapping: Record<string, string>,
): { plan: ColumnPlan[]; errors: ImportError[]; missing: string[]; columns: string[] } {
  const names = header.cells.map((c) => cellText(c));
  const positions = new Map<string, number>();
  names.forEach((name, i) => {
    const key = normaliseHeader(name);
    if (key && !positions.has(key)) positions.set(key, i);
  });
  const taken = new Set<number>();
  const plan: ColumnPlan[] = [];
  const errors: ImportError[] = [];
  const missing: string[] = [];
  const defs = COLUMNS[kind];
  // Mapped fields claim their columns before any field falls back to headers and aliases.
  const ordered = [...defs.filter((d) => mapping[d.key]), ...defs.filter((d) => !mapping[d.key])];
  for (const def of ordered) {
    const candidates = [mapping[def.key], def.header, ...def.aliases].filter((c): c is string => Boolean(c));
    const index = candidates
      .map((c) => positions.get(normaliseHeader(c)))
      .find((i): i is number => i !== undefined && !taken.has(i));
    if (index !== undefined) {
      taken.add(index);
      plan.push({ def, index, header: names[index]! });
      continue;
    }
    if (!def.required) continue;
    const mapped = mapping[def.key];
    const detail = mapped
      ? `已保存的列映射把“${def.header}”对应到“${mapped}”，但文件中没有这一列；请修改列映射或表头`
      : `请在表头中加入该列（也可识别：${def.aliases.join('、')}），或在“列映射”中指定对应的列`;
    errors.push(rowError(header.row, def.header, `缺少必填列“${def.header}”：${detail}`));
    missing.push(def.key);
  }
  plan.sort((a, b) => a.index - b.index);
  return { plan, errors, missing, columns: names.filter((n) => n.trim() !== '') };
}

function convert(def: ColumnDef, cell: RawCell): Converted<FieldValue> {
  switch (def.type) {
    case 'text':
    case 'staffRef':
      return toText(cell, def.maxLength ?? 200);
    case 'date':
      return toDate(cell);
    case 'month':
      return toMonth(cell);
    case 'money':
      return toMoney(cell);
    case 'boolean':
      return toBoolean(cell);
    case 'enum':
      return toEnum(cell, def.options ?? []);
    case 'tags':
      return toTags(cell);
    case 'idNumber':
      return toIdNumber(cell);
  }
}

/** Checks between fields of one row; each returns the field it concerns and what is wrong. */
const ROW_RULES: Record<ImportKind, Array<(v: Record<string, FieldValue>) => [string, string] | null>> = {
  // Acceptance before signing is saved as written and reported by the authenticity checks, as
  // when the project is entered by hand: the record is what the paper says.
  projects: [],
  staff: [
    (v) =>
      v.employedFrom && v.employedUntil && v.employedUntil < v.employedFrom
        ? ['employedUntil', ` ${String(v.employedUntil)} 早于入职日期 ${String(v.employedFrom)}`]
        : null,
    (v) =>
      v.socialInsuranceFrom && v.socialInsuranceUntil && v.socialInsuranceUntil < v.socialInsuranceFrom
        ? ['socialInsuranceUntil', ` ${String(v.socialInsuranceUntil)} 早于社保起始月 ${String(v.socialInsuranceFrom)}`]
        : null,
  ],
  qualifications: [
    (v) =>
      v.issuedOn && v.expiresOn && v.expiresOn < v.issuedOn
        ? ['expiresOn', ` ${String(v.expiresOn)} 早于发证日期 ${String(v.issuedOn)}`]
        : null,
    (v) => (v.kind === 'other' && !v.name ? ['name', '不能为空（资质类型为“其他”时必填）'] : null),
  ],
};

/** The key a re-import matches on; compared without case, as people type contract numbers both ways. */
export function naturalKey(kind: ImportKind, v: Record<string, FieldValue>): string | null {
  switch (kind) {
    case 'projects':
      return typeof v.contractNumber === 'string' && v.contractNumber ? v.contractNumber.toUpperCase() : null;
    case 'staff':
      return typeof v.idNumber === 'string' && v.idNumber ? v.idNumber : null;
    case 'qualifications':
      return v.idNumber && v.kind && v.number
        ? `${String(v.idNumber)}\u0000${String(v.kind)}\u0000${String(v.number).toUpperCase()}`
        : null;
  }
}

/** The column a duplicate is reported on. */
const KEY_FIELD: Record<ImportKind, string> = {
  projects: 'contractNumber',
  staff: 'idNumber',
  qualifications: 'number',
};

const KEY_WORDS: Record<ImportKind, (v: Record<string, FieldValue>) => string> = {
  projects: (v) => `合同编号 ${String(v.contractNumber)}`,
  staff: (v) => `身份证号 ${String(v.idNumber)}`,
  qualifications: (v) => `同一人员的同一资质（证书编号 ${String(v.number)}）`,
};

/**
 * Reads data rows one by one against a column plan: every problem of every row is listed,
 * and a row with none is kept for saving. Nothing here touches the database.
 */
export class RowChecker {
  readonly rows: ParsedRow[] = [];
  readonly errors: ImportError[] = [];
  errorCount = 0;
  dataRows = 0;
  private readonly firstRowOfKey = new Map<string, number>();
  private readonly headerOf: Map<string, string>;

  constructor(
    private readonly kind: ImportKind,
    private readonly plan: ColumnPlan[],
  ) {
    this.headerOf = new Map(plan.map((p) => [p.def.key, p.header]));
  }

  add(error: ImportError): void {
    this.errorCount++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(error);
  }

  check(row: number, cells: RawCell[]): void {
    this.dataRows++;
    const values: Record<string, FieldValue> = {};
    // Cells that could not be read: the checks between fields still run (every problem of the
    // row is listed at once), but say nothing more of these.
    const unreadable = new Set<string>();
    let failed = false;
    for (const { def, index, header } of this.plan) {
      const cell = cells[index] ?? null;
      if (isFormula(cell)) {
        this.add(rowError(row, header, `${header} 列是公式，请粘贴为数值后再导入`));
        failed = true;
        unreadable.add(def.key);
        continue;
      }
      if (isErrorValue(cell)) {
        this.add(rowError(row, header, `${header} 是错误值 ${cell.error}，请修正后再导入`));
        failed = true;
        unreadable.add(def.key);
        continue;
      }
      if (isBlank(cell)) {
        if (def.required) {
          this.add(rowError(row, header, `${header}不能为空`));
          failed = true;
        }
        values[def.key] = null;
        continue;
      }
      const converted = convert(def, cell);
      if (!converted.ok) {
        this.add(rowError(row, header, `${header}${converted.problem}`));
        failed = true;
        unreadable.add(def.key);
        continue;
      }
      values[def.key] = converted.value;
    }
    for (const rule of ROW_RULES[this.kind]) {
      const problem = rule(values);
      if (!problem || unreadable.has(problem[0])) continue;
      const [key, detail] = problem;
      const header = this.headerOf.get(key) ?? COLUMNS[this.kind].find((d) => d.key === key)?.header ?? key;
      this.add(rowError(row, header, `${header}${detail}`));
      failed = true;
    }
    const key = failed ? null : naturalKey(this.kind, values);
    if (key !== null) {
      const first = this.firstRowOfKey.get(key);
      if (first !== undefined) {
        const column = this.headerOf.get(KEY_FIELD[this.kind]) ?? null;
        this.add(rowError(row, column, `${KEY_WORDS[this.kind](values)} 与第 ${first} 行重复`));
        return;
      }
      this.firstRowOfKey.set(key, row);
    }
    if (!failed) this.rows.push({ row, values });
  }
}
