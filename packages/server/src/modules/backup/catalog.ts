// What backup and restore need to know about the tables of schema `public`, read from the
// catalog rather than from schema.ts, so an archive holds exactly what the database held and a
// restore loads exactly what the target's migrations created.
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client.js';

/** A table of schema `public` as backup and restore see it. */
export interface TableInfo {
  name: string;
  /** Primary key columns in key order; `collatable` ones are ordered by bytes (COLLATE "C"). */
  primaryKey: { column: string; collatable: boolean }[];
  /** Columns that accept values on insert (generated columns do not), in table order. */
  columns: string[];
  /** Has an identity column: inserting archived values needs OVERRIDING SYSTEM VALUE. */
  hasIdentity: boolean;
}

/** A foreign key between two tables of `public`. */
export interface ForeignKey {
  table: string;
  references: string;
  columns: string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A quoted identifier; names are also checked to be plain, as the archive format requires. */
export function ident(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`unexpected identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}

/** Every table of `public`, by name. */
export async function listTables(db: Queryable): Promise<TableInfo[]> {
  const rows = await queryRows<{
    name: string;
    pk: { column: string; collatable: boolean }[] | null;
    columns: string[] | null;
    identity: boolean;
  }>(
    db,
    sql`
    select c.relname as name,
      (select json_agg(json_build_object('column', a.attname, 'collatable', a.attcollation <> 0) order by k.ord)
         from pg_index i
         cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        where i.indrelid = c.oid and i.indisprimary) as pk,
      (select json_agg(a.attname order by a.attnum) from pg_attribute a
        where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = '') as columns,
      exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        and a.attidentity <> '') as identity
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
    order by c.relname collate "C"`,
  );
  return rows.map((r) => {
    ident(r.name);
    return { name: r.name, primaryKey: r.pk ?? [], columns: r.columns ?? [], hasIdentity: r.identity };
  });
}

/** Every foreign key from a table of `public` to a table of `public`. */
export async function listForeignKeys(db: Queryable): Promise<ForeignKey[]> {
  return queryRows<ForeignKey>(
    db,
    sql`
    select src.relname as "table", dst.relname as "references",
      (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality as k(attnum, ord)
         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns
    from pg_constraint con
    join pg_class src on src.oid = con.conrelid join pg_namespace sn on sn.oid = src.relnamespace
    join pg_class dst on dst.oid = con.confrelid join pg_namespace dn on dn.oid = dst.relnamespace
    where con.contype = 'f' and sn.nspname = 'public' and dn.nspname = 'public'
    order by 1, con.conname collate "C"`,
  );
}

/**
 * Tables in an order where every table comes after the tables it references, so a restore can
 * load them one after the other. Self-references and cycles cannot be ordered away: the restore
 * loads such columns in a second pass (restore.ts). Ties are broken by name, so the order is the
 * same on every database with the same schema.
 */
export function loadOrder(tables: TableInfo[], foreignKeys: ForeignKey[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const needs = new Map(tables.map((t) => [t.name, new Set<string>()]));
  for (const fk of foreignKeys) {
    if (fk.table !== fk.references && byName.has(fk.references)) needs.get(fk.table)?.add(fk.references);
  }
  const ordered: TableInfo[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const remaining = tables.filter((t) => !placed.has(t.name));
    const next =
      remaining.find((t) => [...needs.get(t.name)!].every((n) => placed.has(n))) ??
      // A cycle: the first remaining table goes next, its forward references loaded later.
      remaining[0]!;
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}

/** ORDER BY of a table's canonical row order: its primary key, text by bytes; else the row text. */
export function canonicalOrder(table: TableInfo): string {
  if (table.primaryKey.length === 0) return `row_to_json(t)::text collate "C"`;
  return table.primaryKey.map((k) => `t.${ident(k.column)}${k.collatable ? ' collate "C"' : ''}`).join(', ');
}

/**
 * Makes the transaction's text output the same on every server: row_to_json writes timestamps in
 * the session time zone, floats per extra_float_digits, bytea per bytea_output.
 */
export async function setCanonicalOutput(tx: Queryable): Promise<void> {
  await tx.execute(
    sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
      set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '1', true),
      set_config('bytea_output', 'hex', true)`,
  );
}

/**
 * Streams a table's rows as canonical JSON text (one `row_to_json(t)::text` each) in pages of
 * `batch` through a cursor, so memory stays flat however long the table is. Call inside a
 * transaction (a cursor lives in one) after setCanonicalOutput.
 */
export async function dumpTable(
  tx: Queryable,
  table: TableInfo,
  onRows: (rows: string[]) => Promise<void> | void,
  batch = 1000,
): Promise<void> {
  await tx.execute(
    sql.raw(
      `declare zizhi_dump no scroll cursor for select row_to_json(t)::text as j from public.${ident(table.name)} t order by ${canonicalOrder(table)}`,
    ),
  );
  for (;;) {
    const rows = await queryRows<{ j: string }>(tx, sql.raw(`fetch forward ${batch} from zizhi_dump`));
    if (rows.length > 0) await onRows(rows.map((r) => r.j));
    if (rows.length < batch) break;
  }
  // Not in a finally: after a failed fetch the transaction is aborted and only its end helps.
  await tx.execute(sql.raw('close zizhi_dump'));
}
