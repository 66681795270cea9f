/** Number masking (Click-Connect): bridge two people through a DID, cancel a live session, and the sessions' calls. */
import { z } from '@hono/zod-openapi';
import { cancelMaskingSession, createMaskingSession, findActiveSessionByParty } from '../../../../services/masking/masking-service.ts';
import { listCallLogPage } from '../../../../services/call-logs/call-log-service.ts';
import { dayRange, vendorCallStatus, vendorTime } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { f, refuse, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const SESSION_MINUTES = 60;

const Connect = z.strictObject({
  first_phone: f.phone().openapi({ description: 'First party\'s phone number', example: '+919876543210' }),
  second_phone: f.phone().openapi({ description: 'Second party\'s phone number', example: '+919123456789' }),
  did: f.phone().openapi({ description: 'DID both parties see', example: '+911143104567' }),
});

const Update = z.strictObject({
  action: z.enum(['cancel']).openapi({ description: '`cancel`: hang up the session\'s call and forget the pair' }),
  body: f.opt(z.string().max(1000)).openapi({ description: 'Must be empty: Switchboard cannot speak into a masked call' }),
  did: f.phone(),
  first_number: f.phone().openapi({ description: 'The first party of the live session' }),
});

const Logs = z.strictObject({
  did: f.opt(f.phone()),
  from_date: f.opt(f.text(10)).openapi({ example: '2025-08-01' }),
  to_date: f.opt(f.text(10)).openapi({ example: '2025-08-31' }),
  orderby: f.opt(z.enum(['asc', 'desc'])).openapi({ description: 'By call time; default desc' }),
});

const LogRow = z.object({
  recordid: z.string(), did_no: z.string().nullable(), first_number: z.string().nullable().openapi({ description: 'Masked: the pair is not kept after the session' }),
  call_time: z.string(), call_duration: z.number().int(), call_status: z.string(),
});

export function maskingRoutes(r: Router): void {
  r.route({
    methods: ['post'], path: '/api/click_connect', source: 'client', permission: 'masking.write', style: 'code', input: Connect,
    output: z.object({ message: z.string(), logid: z.string().nullable() }),
    summary: `Bridge two people through a DID so each sees only the DID (a masking session of ${SESSION_MINUTES} minutes)`,
    handle: async (c, b) => {
      const { logid } = await createMaskingSession(c.get('deps'), c.get('principal').orgId, { ...b, duration_minutes: SESSION_MINUTES });
      return { message: 'Call connecting. Please wait...', logid };
    },
  });
  r.route({
    methods: ['post'], path: '/api/click_connect_update', source: 'seed', permission: 'masking.write', style: 'code', input: Update,
    output: z.object({ message: z.string(), logid: z.string().nullable() }),
    summary: 'Cancel the live masking session between a DID and a first number',
    handle: async (c, b) => {
      refuse([['body', Boolean(b.body), 'Switchboard cannot speak a message into a masked call; send no body']]);
      const deps = c.get('deps');
      const orgId = c.get('principal').orgId;
      const session = await findActiveSessionByParty(deps, orgId, b.did, b.first_number);
      const { logid } = await cancelMaskingSession(deps, orgId, session.row.id);
      return { message: 'Session cancelled', logid };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/click_connect_logs', source: 'seed', permission: 'masking.read', style: 'code', input: Logs,
    output: z.object({ data: z.array(LogRow) }), summary: 'Calls of masking sessions (newest 500 in the range), numbers masked',
    handle: async (c, b) => {
      const { adb, config } = c.get('deps');
      const tz = config.DEFAULT_TIMEZONE;
      const range = dayRange(b.from_date, b.to_date, tz);
      const { rows } = await listCallLogPage(adb, c.get('principal').orgId, { type: 'masking', did: b.did, ...range, limit: 500, offset: 0 }, config.DEFAULT_COUNTRY_CODE);
      const data = rows.map((l) => ({
        recordid: l.id, did_no: l.did, first_number: l.caller, call_time: vendorTime(l.started_at, tz)!, call_duration: l.duration_s ?? 0, call_status: vendorCallStatus(l),
      }));
      return { data: b.orderby === 'asc' ? data.reverse() : data };
    },
  });
}
