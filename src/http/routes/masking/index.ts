import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import type { Db } from '../../../db/client.ts';
import { callLogs, maskingSessions, outboundCalls } from '../../../db/schema/index.ts';
import { maskNumber } from '../../../services/numbers/phone.ts';
import { endMaskingSession, type MaskingRow } from '../../../services/masking/store.ts';
import { LIVE_STATUSES } from '../../../services/calls/call-store.ts';
import { ConflictError, NotFoundError, ServiceUnavailableError, ValidationError } from '../../../services/errors.ts';
import { callControl, didField, mapCallErrors, phoneField } from '../../../services/calls/calls-service.ts';
import {
  cancelSessionRoute, createSessionRoute, getSessionRoute, listSessionsRoute, sessionLogsRoute, updateSessionRoute,
} from './routes.ts';

const MIN = 60_000;

function find(db: Db, orgId: string, id: string): MaskingRow {
  const row = db.select().from(maskingSessions).where(and(eq(maskingSessions.id, id), eq(maskingSessions.orgId, orgId))).get();
  if (!row) throw new NotFoundError('Masking session not found');
  return row;
}

function callsOf(db: Db, sessionId: string) {
  return db.select().from(outboundCalls).where(eq(outboundCalls.maskingSessionId, sessionId)).orderBy(asc(outboundCalls.createdAt)).all();
}

function toDto(db: Db, r: MaskingRow) {
  return {
    id: r.id, status: r.status as 'active' | 'ended' | 'cancelled' | 'expired', did: r.did,
    first_phone: r.firstMasked, second_phone: r.secondMasked, expires_at: r.expiresAt, ended_at: r.endedAt,
    logid: callsOf(db, r.id)[0]?.id ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

export function maskingRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(createSessionRoute, async (c) => {
      const { db, config, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const b = c.req.valid('json');
      const first = phoneField(b.first_phone, 'first_phone', config.DEFAULT_COUNTRY_CODE);
      const second = phoneField(b.second_phone, 'second_phone', config.DEFAULT_COUNTRY_CODE);
      if (first === second) throw new ValidationError('The two numbers must differ', [{ field: 'second_phone', message: 'same number as first_phone' }]);
      const did = didField(db, orgId, b.did, config.DEFAULT_COUNTRY_CODE);
      const control = callControl(c.get('deps'));
      if (!control.connected) throw new ServiceUnavailableError('FreeSWITCH is not connected; no session was created');
      const at = now();
      const session = db.insert(maskingSessions).values({
        orgId, did, firstPhone: first, secondPhone: second, firstMasked: maskNumber(first), secondMasked: maskNumber(second),
        expiresAt: new Date(at.getTime() + b.duration_minutes * MIN).toISOString(), createdAt: at.toISOString(), updatedAt: at.toISOString(),
      }).returning().get();
      try {
        await mapCallErrors(() => control.create({
          orgId, kind: 'masking', did, first: session.firstMasked, second: session.secondMasked, maskingSessionId: session.id,
        }));
      } catch (err) {
        endMaskingSession(db, session.id, 'cancelled', now().toISOString());
        throw err;
      }
      return c.json(toDto(db, find(db, orgId, session.id)), 201);
    })
    .openapi(listSessionsRoute, (c) => {
      const { db } = c.get('deps');
      const q = c.req.valid('query');
      const where = and(eq(maskingSessions.orgId, c.get('principal').orgId), q.status ? eq(maskingSessions.status, q.status) : undefined);
      const rows = db.select().from(maskingSessions).where(where).orderBy(desc(maskingSessions.createdAt), desc(sql`rowid`)).limit(q.limit).offset(q.offset).all();
      const total = db.select({ n: count() }).from(maskingSessions).where(where).get()?.n ?? 0;
      return c.json({ sessions: rows.map((r) => toDto(db, r)), total }, 200);
    })
    .openapi(getSessionRoute, (c) => c.json(toDto(c.get('deps').db, find(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateSessionRoute, (c) => {
      const { db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      const row = find(db, orgId, id);
      if (row.status !== 'active') throw new ConflictError(`Masking session is ${row.status}`);
      const expiresAt = new Date(Date.parse(row.createdAt) + c.req.valid('json').duration_minutes * MIN).toISOString();
      db.update(maskingSessions).set({ expiresAt, updatedAt: now().toISOString() }).where(eq(maskingSessions.id, id)).run();
      return c.json(toDto(db, find(db, orgId, id)), 200);
    })
    .openapi(cancelSessionRoute, async (c) => {
      const { db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      const row = find(db, orgId, id);
      if (row.status !== 'active') throw new ConflictError(`Masking session is already ${row.status}`);
      // Cancel first (forgetting the pair), then hang up: the call's own end must not report "ended".
      endMaskingSession(db, id, 'cancelled', now().toISOString());
      const live = callsOf(db, id).filter((call) => LIVE_STATUSES.includes(call.status as never));
      if (live.length > 0) {
        const control = callControl(c.get('deps'));
        for (const call of live) await mapCallErrors(() => control.hangup(orgId, call.id)).catch((err: unknown) => {
          if (!(err instanceof ConflictError)) throw err;
        });
      }
      return c.json(toDto(db, find(db, orgId, id)), 200);
    })
    .openapi(sessionLogsRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id } = c.req.valid('param');
      find(db, orgId, id);
      const rows = callsOf(db, id).map((call) => {
        const log = db.select().from(callLogs).where(eq(callLogs.id, call.id)).get();
        return {
          call_id: call.id, from: call.firstNumber, to: call.secondNumber, did: call.did, status: call.status,
          started_at: call.startedAt, ended_at: call.endedAt, duration: log?.durationS ?? null, hangup_cause: call.hangupCause,
        };
      });
      return c.json(rows, 200);
    });
}
