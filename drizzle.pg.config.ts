import { defineConfig } from 'drizzle-kit';

/** PostgreSQL migrations, from the generated mirror of the SQLite schema (scripts/gen-pg-schema.ts). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema-pg/tables.ts',
  out: './db/migrations-pg',
});
