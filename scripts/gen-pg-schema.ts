/**
 * Writes src/db/schema-pg/tables.ts: the PostgreSQL mirror of the SQLite schema (src/db/schema), generated
 * from the SQLite table objects so the two cannot drift. Run after changing src/db/schema, then
 * `npm run db:generate`. test/db/pg-schema.test.ts fails while the committed file is stale.
 *
 *   npx tsx scripts/gen-pg-schema.ts            write the file
 *   npx tsx scripts/gen-pg-schema.ts --print    print it instead
 *
 * Column kinds: text → text, integer → bigint (mode number: SQLite integers are 64-bit; several columns
 * hold epoch milliseconds), integer boolean → boolean, text json → jsonb, autoincrement → bigserial.
 * Timestamps stay ISO-8601 text, as on SQLite, so rows and API output are the same on both.
 * $defaultFn / $onUpdateFn are the SQLite columns' own functions; JSON types are taken from the SQLite row
 * types; and the file ends with compile-time checks that every table's select and insert types are equal.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableColumns, is, SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteSyncDialect, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as schema from '../src/db/schema/index.ts';

const OUT = resolve(dirname(fileURLToPath(import.meta.url)), '../src/db/schema-pg/tables.ts');
const dialect = new SQLiteSyncDialect();

const tables = Object.entries(schema as Record<string, unknown>).filter((e): e is [string, SQLiteTable] => is(e[1], SQLiteTable));
const keyOfTable = new Map<SQLiteTable, string>(tables.map(([k, t]) => [t, k]));
const keyOfColumn = (table: SQLiteTable, column: SQLiteColumn) => {
  const hit = Object.entries(getTableColumns(table)).find(([, c]) => c === column);
  if (!hit) throw new Error(`column ${column.name} not found on ${getTableConfig(table).name}`);
  return hit[0];
};
const lit = (v: unknown) => JSON.stringify(v);

function columnSource(tableKey: string, key: string, c: SQLiteColumn, singlePk: boolean): string {
  const n = lit(c.name);
  let out: string;
  switch (c.columnType) {
    case 'SQLiteText':
      out = c.enumValues ? `text(${n}, { enum: ${lit(c.enumValues)} })` : `text(${n})`;
      break;
    case 'SQLiteTextJson':
      out = `jsonb(${n}).$type<S[${lit(tableKey)}][${lit(key)}]>()`;
      break;
    case 'SQLiteBoolean':
      out = `boolean(${n})`;
      break;
    case 'SQLiteInteger':
      out = (c as unknown as { autoIncrement?: boolean }).autoIncrement ? `bigserial(${n}, { mode: 'number' })` : `bigint(${n}, { mode: 'number' })`;
      break;
    default:
      throw new Error(`${tableKey}.${key}: no PostgreSQL mapping for ${c.columnType}; add one to scripts/gen-pg-schema.ts`);
  }
  if (c.primary && singlePk) out += '.primaryKey()';
  if (c.notNull && !c.primary) out += '.notNull()';
  if (c.default !== undefined) {
    if (is(c.default, SQL)) throw new Error(`${tableKey}.${key}: SQL defaults need a hand-written PostgreSQL equivalent`);
    out += `.default(${lit(c.default)})`;
  }
  if (c.defaultFn) out += `.$defaultFn(s.${tableKey}.${key}.defaultFn as () => S[${lit(tableKey)}][${lit(key)}])`;
  if (c.onUpdateFn) out += `.$onUpdateFn(s.${tableKey}.${key}.onUpdateFn as () => S[${lit(tableKey)}][${lit(key)}])`;
  return out;
}

function tableSource(key: string, table: SQLiteTable): string {
  const cfg = getTableConfig(table);
  const cols = getTableColumns(table);
  const lines = Object.entries(cols).map(([k, c]) => `    ${k}: ${columnSource(key, k, c, cfg.primaryKeys.length === 0)},`);
  for (const fk of cfg.foreignKeys) {
    const ref = fk.reference();
    if (ref.columns.length !== 1) throw new Error(`${key}: composite foreign keys are not generated yet`);
    const local = keyOfColumn(table, ref.columns[0]!);
    const target = keyOfTable.get(ref.foreignTable as SQLiteTable)!;
    const targetCol = keyOfColumn(ref.foreignTable as SQLiteTable, ref.foreignColumns[0]!);
    const i = lines.findIndex((l) => l.startsWith(`    ${local}: `));
    const actions = [fk.onDelete ? `onDelete: ${lit(fk.onDelete)}` : '', fk.onUpdate && fk.onUpdate !== 'no action' ? `onUpdate: ${lit(fk.onUpdate)}` : ''].filter(Boolean);
    const opts = actions.length ? `, { ${actions.join(', ')} }` : '';
    lines[i] = lines[i]!.replace(/,$/, `.references((): AnyPgColumn => ${target}.${targetCol}${opts}),`);
  }
  const extras: string[] = [];
  for (const pk of cfg.primaryKeys) extras.push(`primaryKey({ columns: [${pk.columns.map((c) => `t.${keyOfColumn(table, c)}`).join(', ')}] })`);
  for (const idx of cfg.indexes) {
    const ic = idx.config;
    const on = ic.columns.map((c) => {
      if (is(c, SQL)) throw new Error(`${key}: expression indexes need a hand-written PostgreSQL equivalent`);
      return `t.${keyOfColumn(table, c as SQLiteColumn)}`;
    });
    let src = `${ic.unique ? 'uniqueIndex' : 'index'}(${lit(ic.name)}).on(${on.join(', ')})`;
    if (ic.where) {
      const q = dialect.sqlToQuery(ic.where);
      if (q.params.length) throw new Error(`${key}: index ${ic.name} has a parameterized WHERE`);
      src += `.where(sql.raw(${lit(q.sql)}))`;
    }
    extras.push(src);
  }
  if (cfg.uniqueConstraints.length || cfg.checks.length) throw new Error(`${key}: unique constraints / checks are not generated yet`);
  const third = extras.length ? `,\n  (t) => [\n    ${extras.join(',\n    ')},\n  ]` : '';
  return `export const ${key} = pgTable(\n  ${lit(cfg.name)},\n  {\n${lines.join('\n')}\n  }${third},\n);\n`;
}

const body = tables.map(([k, t]) => tableSource(k, t)).join('\n');
const checks = tables.map(([k]) => `  ${k}: [same<typeof ${k}.$inferSelect, S[${lit(k)}]>(), same<typeof ${k}.$inferInsert, typeof s.${k}.$inferInsert>()],`).join('\n');
const file = `// GENERATED by scripts/gen-pg-schema.ts from src/db/schema (SQLite): do not edit. Regenerate after a schema change.
import { bigint, bigserial, boolean, index, jsonb, pgTable, primaryKey, text, uniqueIndex, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import * as s from '../schema/index.ts';

/** Each SQLite table's row type, by table key. */
type S = { [K in keyof typeof s]: (typeof s)[K] extends { $inferSelect: infer R } ? R : never };

${body}
/** Compile-time parity: each PostgreSQL table's select and insert types equal the SQLite table's. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(..._: Equal<A, B> extends true ? [] : [never]): true => true;
export const typeParity = {
${checks}
};
`;

if (process.argv.includes('--print')) process.stdout.write(file);
else writeFileSync(OUT, file);
