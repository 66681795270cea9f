import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import {
  cancelMaskingSession, createMaskingSession, extendMaskingSession, getMaskingSession, listMaskingSessions, maskingSessionCalls,
  type MaskingSessionView,
} from '../../../services/masking/masking-service.ts';
import {
  cancelSessionRoute, createSessionRoute, getSessionRoute, listSessionsRoute, sessionLogsRoute, updateSessionRoute,
} from './routes.ts';

function toDto({ row: r, logid }: MaskingSessionView) {
  return {
    id: r.id, status: r.status as 'active' | 'ended' | 'cancelled' | 'expired', did: r.did,
    first_phone: r.firstMasked, second_phone: r.secondMasked, expires_at: r.expiresAt, ended_at: r.endedAt,
    logid, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

export function maskingRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(createSessionRoute, async (c) => {
      const session = await createMaskingSession(c.get('deps'), c.get('principal').orgId, c.req.valid('json'));
      return c.json(toDto(session), 201);
    })
    .openapi(listSessionsRoute, async (c) => {
      const { sessions, total } = await listMaskingSessions(c.get('deps').adb, c.get('principal').orgId, c.req.valid('query'));
      return c.json({ sessions: sessions.map(toDto), total }, 200);
    })
    .openapi(getSessionRoute, async (c) => c.json(toDto(await getMaskingSession(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateSessionRoute, async (c) => {
      const session = await extendMaskingSession(c.get('deps'), c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').duration_minutes);
      return c.json(toDto(session), 200);
    })
    .openapi(cancelSessionRoute, async (c) => {
      const session = await cancelMaskingSession(c.get('deps'), c.get('principal').orgId, c.req.valid('param').id);
      return c.json(toDto(session), 200);
    })
    .openapi(sessionLogsRoute, async (c) => {
      const calls = await maskingSessionCalls(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.json(calls.map(({ call, durationS }) => ({
        call_id: call.id, from: call.firstNumber, to: call.secondNumber, did: call.did, status: call.status,
        started_at: call.startedAt, ended_at: call.endedAt, duration: durationS, hangup_cause: call.hangupCause,
      })), 200);
    });
}
