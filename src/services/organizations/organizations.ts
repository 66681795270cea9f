import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { organizations, settings, users } from '../../db/schema/index.ts';
import { hashPassword, randomPassword } from '../auth/passwords.ts';
import type { Role } from '../auth/permissions.ts';

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'org';
}

/** Creates an organization with a unique SIP domain (<slug>.sip.local unless given). */
export function createOrganization(db: Db, input: { name: string; sipDomain?: string }) {
  let domain = input.sipDomain ?? `${slugify(input.name)}.sip.local`;
  if (!input.sipDomain) {
    for (let i = 2; db.select().from(organizations).where(eq(organizations.sipDomain, domain)).get(); i++) {
      domain = `${slugify(input.name)}-${i}.sip.local`;
    }
  }
  return db.insert(organizations).values({ name: input.name, sipDomain: domain }).returning().get();
}

export async function createUser(db: Db, input: { orgId: string; email: string; password: string; name?: string; role?: Role }) {
  const passwordHash = await hashPassword(input.password);
  return db
    .insert(users)
    .values({ orgId: input.orgId, email: input.email.toLowerCase(), name: input.name ?? '', passwordHash, role: input.role ?? 'member' })
    .returning()
    .get();
}

/**
 * First start: when no user exists, create an organization and an admin and return the
 * credentials so main.ts can print them once. Returns null when users already exist.
 */
export async function bootstrapAdmin(
  db: Db,
  opts: { orgName: string; email: string; password?: string },
): Promise<{ email: string; password: string; orgName: string } | null> {
  const existing = db.select({ n: count() }).from(users).get();
  if ((existing?.n ?? 0) > 0) return null;
  const password = opts.password ?? randomPassword();
  const org = createOrganization(db, { name: opts.orgName });
  await createUser(db, { orgId: org.id, email: opts.email, password, name: 'Administrator', role: 'admin' });
  return { email: opts.email, password, orgName: org.name };
}

/** The JWT secret: from config, else generated once and kept in the database so every instance shares it. */
export function resolveJwtSecret(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  const row = db.select().from(settings).where(eq(settings.key, 'jwt_secret')).get();
  if (row) return row.value;
  const value = randomBytes(32).toString('base64url');
  db.insert(settings).values({ key: 'jwt_secret', value }).onConflictDoNothing().run();
  return db.select().from(settings).where(eq(settings.key, 'jwt_secret')).get()?.value ?? value;
}
