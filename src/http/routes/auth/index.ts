import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { logIn } from '../../../services/auth/login.ts';
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
    403: { ...errorResponses[403], description: 'A disabled agent, or one past its expires_at' },
  },
});

export function authRoutes() {
  return new OpenAPIHono<AppEnv>().openapi(login, async (c) => {
    const { email, password } = c.req.valid('json');
    const { adb: db, jwtSecret, config, now } = c.get('deps');
    const { token, expiresAt, user, orgName } = await logIn({ db, jwtSecret, ttlSeconds: config.JWT_TTL_SECONDS, now }, email, password);
    return c.json(
      {
        success: true as const,
        token,
        expires_at: expiresAt,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          org_id: user.orgId,
          org_name: orgName,
        },
      },
      200,
    );
  });
}
