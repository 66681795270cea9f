/**
 * Experiment (b): async transactions. SQLite through the gate (src/db/sqlite-gate.ts) and PostgreSQL
 * (node-postgres) with the same `transaction()` helper; the interleaving case of a-await-sqlite.ts again.
 * Run: PG_URL=postgres://postgres@127.0.0.1:PORT/DB npx tsx docs/pg/experiments/b-transactions.ts
 */
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../../src/db/sqlite.ts';
import { openPostgres } from '../../../src/db/postgres.ts';
import { transaction, type Db } from '../../../src/db/handle.ts';

async function scenario(name: string, db: Db) {
  const { settings } = db.t;
  await db.delete(settings);
  const chainA = async () => {
    try {
      await transaction(db, async (tx) => {
        await tx.insert(settings).values({ key: 'a1', value: 'A' });
        await tx.insert(settings).values({ key: 'a2', value: 'A' });
        throw new Error('A fails');
      });
    } catch { /* rolled back */ }
  };
  const chainB = async () => {
    await Promise.resolve();
    await db.insert(settings).values({ key: 'b1', value: 'B, no transaction' });
  };
  await Promise.all([chainA(), chainB()]);
  const rows = await db.select().from(settings);
  console.log(`${name}: after A's rollback:`, rows.map((r) => r.key), '(expected [b1])');

  // nested transaction = savepoint
  await transaction(db, async (tx) => {
    await tx.insert(settings).values({ key: 'outer', value: '1' });
    await transaction(tx, async (inner) => {
      await inner.insert(settings).values({ key: 'inner', value: '1' });
      throw new Error('inner fails');
    }).catch(() => undefined);
  });
  console.log(`${name}: outer kept, inner rolled back:`, (await db.select().from(settings)).map((r) => r.key).sort());
  const upd = await db.update(settings).set({ value: 'x' }).where(eq(settings.key, 'outer'));
  console.log(`${name}: update result rowCount =`, upd.rowCount);
}

const dir = (await import('node:fs')).mkdtempSync('/tmp/sb-exp-');
const sqlite = openDatabase(`${dir}/x.db`);
await scenario('sqlite (gated)', sqlite.adb);
sqlite.close();
if (process.env.PG_URL) {
  const pg = await openPostgres(process.env.PG_URL);
  await scenario('postgres', pg.adb);
  await pg.close();
} else console.log('PG_URL unset: PostgreSQL part skipped');
