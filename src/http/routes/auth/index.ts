import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { organizations, users } from '../../../db/schema/index.ts';
import { verifyPassword } from '../../../services/auth/passwords.ts';
import { issueJwt } from '../../../services/auth/tokens.ts';
import { UnauthorizedError } from '../../../services/errors.ts';
import { errorResponses, jsonBody, jsonContent } from '../../schemas.ts';

const LoginBody = z
  .object({
    email: z.string().email().openapi({ example: 'admin@example.com' }),
    password: z.string().min(1).openapi({ example: 'change-me-now' }),
  })
  .openapi('LoginRequest');

const LoginResponse = z
  .object({
    success: z.literal(true),
    token: z.string(),
    expires_at: z.string(),
    user: z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.enum(['admin', 'member']),
      org_id: z.string(),
      org_name: z.string(),
    }),
  })
  .openapi('LoginResponse');

const login = createRoute({
  method: 'post',
  path: '/auth/user-login',
  tags: ['Auth'],
  summary: 'Log in with email and password; returns a JWT for Authorization: Bearer',
  request: jsonBody(LoginBody),
  responses: {
    200: jsonContent(LoginResponse, 'Logged in'),
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

/** A fixed hash to compare against when the email is unknown, so timing does not reveal which emails exist. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function authRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    const { db, jwtSecret, config, now } = c.get('deps');
    const row = db
      .select({ user: users, orgName: organizations.name })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.email, email.toLowerCase()))
      .get();
    const ok = await verifyPassword(password, row?.user.passwordHash ?? DUMMY_HASH);
    if (!row || !ok) throw new UnauthorizedError('Invalid email or password');
    const { token, expiresAt } = await issueJwt(
      jwtSecret,
      { userId: row.user.id, orgId: row.user.orgId, role: row.user.role },
      config.JWT_TTL_SECONDS,
      now(),
    );
    return c.json(
      {
        success: true as const,
        token,
        expires_at: expiresAt,
        user: {
          id: row.user.id,
          email: row.user.email,
          name: row.user.name,
          role: row.user.role,
          org_id: row.user.orgId,
          org_name: row.orgName,
        },
      },
      200,
    );
  });
}
