import { randomBytes } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { transaction, type Db as AsyncDb } from '../../db/handle.ts';
import { hashPassword, randomPassword } from '../auth/passwords.ts';
import type { Role } from '../auth/permissions.ts';

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
}

/** Creates an organization with a unique SIP domain (<slug>.sip.local unless given). */
export async function createOrganization(db: AsyncDb, input: { name: string; sipDomain?: string }) {
  const { organizations } = db.t;
  let domain = input.sipDomain ?? `${slugify(input.name)}.sip.local`;
  if (!input.sipDomain) {
    const taken = async (d: string) => (await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.sipDomain, d)).limit(1)).length > 0;
    for (let i = 2; await taken(domain); i++) domain = `${slugify(input.name)}-${i}.sip.local`;
  }
  const [org] = await db.insert(organizations).values({ name: input.name, sipDomain: domain }).returning();
  return org!;
}

export async function createUser(db: AsyncDb, input: { orgId: string; email: string; password: string; name?: string; role?: Role }) {
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .insert(db.t.users)
    .values({ orgId: input.orgId, email: input.email.toLowerCase(), name: input.name ?? '', passwordHash, role: input.role ?? 'member' })
    .returning();
  return user!;
}

/** pg_advisory_xact_lock key of the first start (db/postgres.ts's migration lock is 0x5b0a_4d01). */
const BOOTSTRAP_LOCK = 0x5b0a_4d02;

/**
 * First start: when no user exists, create an organization and an admin and return the
 * credentials so main.ts can print them once. Returns null when users already exist.
 * Instances starting together on an empty database: one transaction, serialized (SQLite's BEGIN IMMEDIATE
 * takes the write lock first; PostgreSQL's READ COMMITTED needs the advisory lock), so one of them creates
 * the admin and the others see it, instead of failing on the unique SIP domain or e-mail.
 */
export async function bootstrapAdmin(
  db: AsyncDb,
  opts: { orgName: string; email: string; password?: string },
): Promise<{ email: string; password: string; orgName: string } | null> {
  return transaction(db, async (tx) => {
    if (tx.driver.dialect === 'postgres') await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [existing] = await tx.select({ n: count() }).from(tx.t.users);
    if ((existing?.n ?? 0) > 0) return null;
    const password = opts.password ?? randomPassword();
    const org = await createOrganization(tx, { name: opts.orgName });
    await createUser(tx, { orgId: org.id, email: opts.email, password, name: 'Administrator', role: 'admin' });
    return { email: opts.email, password, orgName: org.name };
  });
}

/** The JWT secret: from config, else generated once and kept in the database so every instance shares it. */
export async function resolveJwtSecret(db: AsyncDb, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const { settings } = db.t;
  const stored = async () => (await db.select().from(settings).where(eq(settings.key, 'jwt_secret')).limit(1))[0]?.value;
  const found = await stored();
  if (found !== undefined) return found;
  const value = randomBytes(32).toString('base64url');
  // Instances starting together: the first insert wins and every instance reads the winner's secret.
  await db.insert(settings).values({ key: 'jwt_secret', value }).onConflictDoNothing();
  return (await stored()) ?? value;
}
