import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { callRecordings } from '../../../db/schema/index.ts';
import { getOutboundInOrg } from '../../../services/calls/call-store.ts';
import { isValidTimeZone, parseScheduleTime } from '../../../services/calls/schedule-time.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../services/errors.ts';
import { getCallLog } from '../../../services/call-logs/store.ts';
import { clickToCallGetRoute, clickToCallRoute, downloadRoute, hangupRoute, recordingsRoute, statusRoute, twoPartyRoute } from './routes.ts';
import { callControl, callStatusDto, didField, extensionField, mapCallErrors, phoneField } from '../../../services/calls/calls-service.ts';

type Input = { did: string; ext_no: string; phone: string };

async function clickToCall(c: Context<AppEnv>, input: Input) {
  const { db, config } = c.get('deps');
  const orgId = c.get('principal').orgId;
  const phone = phoneField(input.phone, 'phone', config.DEFAULT_COUNTRY_CODE);
  const did = didField(db, orgId, input.did, config.DEFAULT_COUNTRY_CODE);
  const ext = extensionField(db, orgId, input.ext_no);
  const control = callControl(c.get('deps'));
  const row = await mapCallErrors(() => control.create({ orgId, kind: 'click_to_call', did, first: null, second: phone, extNo: ext }));
  c.get('logger').info({ call: row.id, ext }, 'click-to-call placed');
  return { status: 'success' as const, message: 'Call initiated', logid: row.id };
}

/** Live status of an inbound call from its log row. */
function inboundStatus(row: ReturnType<typeof getCallLog>) {
  return {
    id: row.id, logid: row.id, type: row.direction, status: row.ended_at ? 'ended' : row.answered_at ? 'answered' : 'ringing',
    did: row.did, agent: row.answered_by, first_number: row.caller, second_number: null, hangup_cause: row.hangup_cause,
    scheduled_at: null, started_at: row.started_at, answered_at: row.answered_at, bridged_at: null, ended_at: row.ended_at,
  };
}

export function callRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(clickToCallRoute, async (c) => c.json(await clickToCall(c, c.req.valid('json')), 200))
    .openapi(clickToCallGetRoute, async (c) => c.json(await clickToCall(c, c.req.valid('query')), 200))
    .openapi(twoPartyRoute, async (c) => {
      const { db, config, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const b = c.req.valid('json');
      const first = phoneField(b.first_phone, 'first_phone', config.DEFAULT_COUNTRY_CODE);
      const second = phoneField(b.second_phone, 'second_phone', config.DEFAULT_COUNTRY_CODE);
      const did = didField(db, orgId, b.did, config.DEFAULT_COUNTRY_CODE);
      if (b.timezone !== undefined && !isValidTimeZone(b.timezone)) {
        throw new ValidationError('Unknown timezone', [{ field: 'timezone', message: 'not an IANA time zone (e.g. Asia/Kolkata)' }]);
      }
      let scheduledAt: number | null = null;
      if (b.schedule_datetime !== undefined) {
        scheduledAt = parseScheduleTime(b.schedule_datetime, b.timezone ?? 'UTC');
        if (scheduledAt === null) throw new ValidationError('Invalid schedule_datetime', [{ field: 'schedule_datetime', message: 'use "YYYY-MM-DD HH:mm" (in timezone) or ISO 8601 with an offset' }]);
        if (scheduledAt < now().getTime() - 60_000) throw new ValidationError('schedule_datetime is in the past', [{ field: 'schedule_datetime', message: 'must be in the future' }]);
      }
      const control = callControl(c.get('deps'));
      const row = await mapCallErrors(() => control.create({
        orgId, kind: 'two_party', did, first, second, intro: b.body ?? null, scheduledAt, timezone: b.timezone ?? null,
      }));
      return c.json({
        status: 'success' as const, message: scheduledAt === null ? 'Call initiated' : 'Call scheduled', logid: row.id,
        scheduled_at: scheduledAt === null ? null : new Date(scheduledAt).toISOString(),
      }, 200);
    })
    .openapi(statusRoute, (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const orgId = c.get('principal').orgId;
      const row = getOutboundInOrg(db, orgId, id);
      return c.json(row ? callStatusDto(row) : inboundStatus(getCallLog(db, orgId, id)), 200);
    })
    .openapi(hangupRoute, async (c) => {
      const { db } = c.get('deps');
      const { id } = c.req.valid('param');
      const orgId = c.get('principal').orgId;
      const placed = getOutboundInOrg(db, orgId, id);
      const inbound = placed ? null : getCallLog(db, orgId, id);
      if (inbound?.ended_at) throw new ConflictError('Call has already ended');
      const control = callControl(c.get('deps'));
      const done = await mapCallErrors(() => control.hangup(orgId, placed?.id ?? inbound!.id, inbound?.call_uuid));
      return c.json({ status: 'success' as const, message: done === 'cancelled' ? 'Scheduled call cancelled' : 'Call hung up' }, 200);
    })
    .openapi(recordingsRoute, (c) => {
      const { db, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const call = getCallLog(db, orgId, c.req.valid('param').id);
      const rows = db.select().from(callRecordings).where(and(eq(callRecordings.orgId, orgId), eq(callRecordings.callId, call.id)))
        .orderBy(asc(callRecordings.createdAt)).all();
      const base = config.PUBLIC_URL ?? '';
      return c.json(rows.map((r) => ({ id: r.id, call_id: r.callId, url: `${base}/api/v1/calls/${r.callId}/recordings/${r.id}/download`, createdAt: r.createdAt })), 200);
    })
    .openapi(downloadRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const { id, recordingId } = c.req.valid('param');
      const rec = db.select().from(callRecordings)
        .where(and(eq(callRecordings.id, recordingId), eq(callRecordings.orgId, orgId), eq(callRecordings.callId, id))).get();
      if (!rec) throw new NotFoundError('Recording not found');
      let size: number;
      try {
        size = statSync(rec.path).size;
      } catch {
        throw new NotFoundError('Recording file is not available (yet)');
      }
      const body = Readable.toWeb(createReadStream(rec.path)) as ReadableStream;
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'audio/wav', 'content-length': String(size), 'content-disposition': `attachment; filename="${rec.callId}.wav"` },
      }) as never;
    });
}
