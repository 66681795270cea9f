import { Readable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../context.ts';
import { placeDeps } from './deps.ts';
import type { CallLogRow } from '../../../services/call-logs/store.ts';
import type { OutboundRow } from '../../../services/calls/call-store.ts';
import { clickToCall, findCall, hangUpCall, listRecordings, openRecording, twoPartyCall } from '../../../services/calls/calls-service.ts';
import { clickToCallGetRoute, clickToCallRoute, downloadRoute, hangupRoute, recordingsRoute, statusRoute, twoPartyRoute } from './routes.ts';

type Input = { did?: string | undefined; ext_no: string; phone: string };

async function placeClickToCall(c: Context<AppEnv>, input: Input) {
  const { id, ext } = await clickToCall(placeDeps(c.get('deps')), c.get('principal').orgId, input);
  c.get('logger').info({ call: id, ext }, 'click-to-call placed');
  return { status: 'success' as const, message: 'Call initiated', logid: id };
}

function callStatusDto(r: OutboundRow) {
  return {
    id: r.id,
    logid: r.id,
    type: r.kind,
    status: r.status,
    did: r.did,
    agent: r.extNo,
    first_number: r.firstNumber,
    second_number: r.secondNumber,
    hangup_cause: r.hangupCause,
    scheduled_at: r.scheduledAt === null ? null : new Date(r.scheduledAt).toISOString(),
    started_at: r.startedAt,
    answered_at: r.answeredAt,
    bridged_at: r.bridgedAt,
    ended_at: r.endedAt,
  };
}

/** Live status of an inbound call from its log row. */
function inboundStatus(row: CallLogRow) {
  return {
    id: row.id, logid: row.id, type: row.direction, status: row.ended_at ? 'ended' : row.answered_at ? 'answered' : 'ringing',
    did: row.did, agent: row.answered_by, first_number: row.caller, second_number: null, hangup_cause: row.hangup_cause,
    scheduled_at: null, started_at: row.started_at, answered_at: row.answered_at, bridged_at: null, ended_at: row.ended_at,
  };
}

export function callRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(clickToCallRoute, async (c) => c.json(await placeClickToCall(c, c.req.valid('json')), 200))
    .openapi(clickToCallGetRoute, async (c) => c.json(await placeClickToCall(c, c.req.valid('query')), 200))
    .openapi(twoPartyRoute, async (c) => {
      const { id, scheduledAt } = await twoPartyCall(placeDeps(c.get('deps')), c.get('principal').orgId, c.req.valid('json'));
      return c.json({
        status: 'success' as const, message: scheduledAt === null ? 'Call initiated' : 'Call scheduled', logid: id,
        scheduled_at: scheduledAt === null ? null : new Date(scheduledAt).toISOString(),
      }, 200);
    })
    .openapi(statusRoute, async (c) => {
      const call = await findCall(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.json('placed' in call ? callStatusDto(call.placed) : inboundStatus(call.inbound), 200);
    })
    .openapi(hangupRoute, async (c) => {
      const done = await hangUpCall(placeDeps(c.get('deps')), c.get('principal').orgId, c.req.valid('param').id);
      return c.json({ status: 'success' as const, message: done === 'cancelled' ? 'Scheduled call cancelled' : 'Call hung up' }, 200);
    })
    .openapi(recordingsRoute, async (c) => {
      const { adb, config } = c.get('deps');
      const rows = await listRecordings(adb, c.get('principal').orgId, c.req.valid('param').id);
      const base = config.PUBLIC_URL ?? '';
      return c.json(rows.map((r) => ({ id: r.id, call_id: r.callId, url: `${base}/api/v1/calls/${r.callId}/recordings/${r.id}/download`, createdAt: r.createdAt })), 200);
    })
    .openapi(downloadRoute, async (c) => {
      const { id, recordingId } = c.req.valid('param');
      const { recording, size, stream } = await openRecording(c.get('deps').adb, c.get('principal').orgId, id, recordingId);
      const body = Readable.toWeb(stream) as ReadableStream;
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'audio/wav', 'content-length': String(size), 'content-disposition': `attachment; filename="${recording.callId}.wav"` },
      }) as never;
    });
}
