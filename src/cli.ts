/**
 * Admin command line: `npm run cli -- <command> [options]`.
 *   create-org     --name Acme [--domain acme.sip.local] [--admin-email a@acme.test] [--admin-password ...]
 *   create-user    --org <org id or name> --email u@acme.test [--password ...] [--role admin|member] [--name ...]
 *   create-api-key --org <org id or name> --name ci [--permissions "ivr.*,did.read"]
 *   list-orgs
 *   simulate       --did <number> | --ivr <id>  [--keys 9,2] [--draft] [--at ISO] [--caller <number>] [--org <id>] [--json]
 *                  (npm run simulate -- …: walks a call through the flow, see README "Call simulator")
 */
import { parseArgs } from 'node:util';
import { eq, or } from 'drizzle-orm';
import { databaseTarget, loadConfig } from './runtime/env.ts';
import { openAppDatabase } from './db/open.ts';
import type { Db } from './db/handle.ts';
import { createOrganization, createUser } from './services/organizations/organizations.ts';
import { randomPassword } from './services/auth/passwords.ts';
import { newApiKey } from './services/auth/tokens.ts';
import { isValidGrant } from './services/auth/permissions.ts';
import { simulateCommand } from './simulate/command.ts';
import { pino } from 'pino';

const out = (s: string) => process.stdout.write(s + '\n');

class CliError extends Error {
  override readonly name = 'CliError';
}

async function findOrg(db: Db, ref: string | undefined) {
  if (!ref) throw new CliError('--org is required');
  const { organizations } = db.t;
  const [org] = await db.select().from(organizations).where(or(eq(organizations.id, ref), eq(organizations.name, ref))).limit(1);
  if (!org) throw new CliError(`no organization "${ref}"`);
  return org;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const { values: v } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      domain: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      permissions: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      did: { type: 'string' },
      ivr: { type: 'string' },
      keys: { type: 'string' },
      draft: { type: 'boolean' },
      at: { type: 'string' },
      caller: { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  if (!command || command === 'help' || command === '--help') {
    out('commands: create-org, create-user, create-api-key, list-orgs, simulate (see the header of src/cli.ts)');
    return;
  }
  const config = loadConfig();
  // SQLite or PostgreSQL (DATABASE_URL), migrated as at the server's start.
  const database = await openAppDatabase(databaseTarget(config));
  const { adb } = database;
  try {
    switch (command) {
      case 'create-org': {
        if (!v.name) throw new CliError('--name is required');
        const org = await createOrganization(adb, { name: v.name, sipDomain: v.domain });
        out(`organization ${org.name}  id=${org.id}  sip_domain=${org.sipDomain}`);
        if (v['admin-email']) {
          const password = v['admin-password'] ?? randomPassword();
          await createUser(adb, { orgId: org.id, email: v['admin-email'], password, role: 'admin', name: 'Administrator' });
          out(`admin ${v['admin-email']}  password=${password}`);
        }
        return;
      }
      case 'create-user': {
        const org = await findOrg(adb, v.org);
        if (!v.email) throw new CliError('--email is required');
        const role = v.role ?? 'member';
        if (role !== 'admin' && role !== 'member') throw new CliError('--role must be admin or member');
        const password = v.password ?? randomPassword();
        const user = await createUser(adb, { orgId: org.id, email: v.email, password, role, name: v.name });
        out(`user ${user.email}  id=${user.id}  role=${role}  org=${org.name}  password=${password}`);
        return;
      }
      case 'create-api-key': {
        const org = await findOrg(adb, v.org);
        const permissions = (v.permissions ?? '*').split(',').map((p) => p.trim()).filter(Boolean);
        const bad = permissions.find((p) => !isValidGrant(p));
        if (bad) throw new CliError(`bad permission "${bad}"`);
        const { key, prefix, hash } = newApiKey();
        await adb.insert(adb.t.apiKeys).values({ orgId: org.id, name: v.name ?? 'cli', prefix, keyHash: hash, permissions });
        out(`api key for ${org.name} (${permissions.join(',')}): ${key}`);
        return;
      }
      case 'simulate': {
        // Warnings and errors of the walk go to stderr; the walk itself to stdout.
        const logger = pino({ level: 'warn', base: undefined }, pino.destination(2));
        const lines = await simulateCommand({ adb, config, logger, now: () => new Date() }, { ...v, org: v.org ? (await findOrg(adb, v.org)).id : undefined });
        for (const line of lines) out(line);
        return;
      }
      case 'list-orgs':
        for (const o of await adb.select().from(adb.t.organizations)) out(`${o.id}  ${o.name}  ${o.sipDomain}`);
        return;
      default:
        throw new CliError(`unknown command "${command}"`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
