import { randomUUID } from 'node:crypto';
import { text } from 'drizzle-orm/sqlite-core';

/** Primary keys are UUIDs (text), so rows can move between SQLite and PostgreSQL unchanged. */
export const id = () => text('id').primaryKey().$defaultFn(() => randomUUID());

/** ISO-8601 timestamps, as the API returns them. */
export const createdAt = () => text('created_at').notNull().$defaultFn(() => new Date().toISOString());
export const updatedAt = () =>
  text('updated_at')
    .notNull()
    .$defaultFn(() => new Date().toISOString())
    .$onUpdateFn(() => new Date().toISOString());
