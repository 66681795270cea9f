/** Logging in with email and password: a JWT for `Authorization: Bearer`, and who it is for. */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.ts';
import { agentRefusal, refusalMessage } from '../human-agents/access.ts';
import { verifyPassword } from './passwords.ts';
import { issueJwt } from './tokens.ts';

/** A fixed hash to compare against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface LoggedIn {
  token: string;
  expiresAt: string;
  user: Db['t']['users']['$inferSelect'];
  orgName: string;
}

/**
 * A token valid for `ttlSeconds` from `now`; an unknown email and a wrong password are the same 401. A
 * disabled or expired agent's right password is a 403 saying so.
 */
export async function logIn(
  deps: { db: Db; jwtSecret: string; ttlSeconds: number; now: () => Date },
  email: string,
  password: string,
): Promise<LoggedIn> {
  const { agents, organizations, users } = deps.db.t;
  const [row] = await deps.db
    .select({ user: users, orgName: organizations.name })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.orgId))
    .where(eq(users.email, email.toLowerCase()))
    .limit(1);
  const ok = await verifyPassword(password, row?.user.passwordHash ?? DUMMY_HASH);
  if (!row || !ok) throw new UnauthorizedError('Invalid email or password');
  // Only after the password matched: a disabled agent's state is not told to someone guessing emails.
  const [agent] = await deps.db.select({ enabled: agents.enabled, expiresAt: agents.expiresAt }).from(agents).where(eq(agents.userId, row.user.id)).limit(1);
  const refusal = agent ? agentRefusal(agent, deps.now()) : null;
  if (agent && refusal) throw new ForbiddenError(`${refusalMessage(refusal, agent.expiresAt)}: ask an administrator to enable it`);
  const { token, expiresAt } = await issueJwt(
    deps.jwtSecret,
    { userId: row.user.id, orgId: row.user.orgId, role: row.user.role },
    deps.ttlSeconds,
    deps.now(),
  );
  return { token, expiresAt, user: row.user, orgName: row.orgName };
}
