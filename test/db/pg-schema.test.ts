/**
 * The PostgreSQL schema stays in step with SQLite's (docs/postgres.md): src/db/schema-pg/tables.ts is what
 * scripts/gen-pg-schema.ts makes from src/db/schema now (its row types are checked equal at compile time),
 * and db/migrations-pg holds a migration for all of it (drizzle-kit finds nothing to generate).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

it('src/db/schema-pg/tables.ts is up to date (npx tsx scripts/gen-pg-schema.ts)', () => {
  const fresh = execFileSync('npx', ['tsx', 'scripts/gen-pg-schema.ts', '--print'], { cwd: root, encoding: 'utf8' });
  expect(fresh === readFileSync(join(root, 'src/db/schema-pg/tables.ts'), 'utf8'), 'regenerate: npx tsx scripts/gen-pg-schema.ts').toBe(true);
});

it('db/migrations-pg covers the PostgreSQL schema (npm run db:generate:pg)', () => {
  // drizzle-kit takes --out relative to the working directory: a scratch copy under .tmp/ (git-ignored).
  mkdirSync(join(root, '.tmp'), { recursive: true });
  const out = mkdtempSync(join(root, '.tmp', 'pg-migrations-check-'));
  try {
    cpSync(join(root, 'db/migrations-pg'), out, { recursive: true });
    const before = readdirSync(out).length;
    const log = execFileSync('npx', ['drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', './src/db/schema-pg/tables.ts', '--out', relative(root, out)], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(log).toContain('No schema changes');
    expect(readdirSync(out).length, log).toBe(before);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
