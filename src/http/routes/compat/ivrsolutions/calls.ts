/** Click-to-call (GET and POST), the two-number bridge, call flows and flow / text calls, in the vendor's shapes. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { clickToCall, twoPartyCall } from '../../../../services/calls/calls-service.ts';
import { placeDeps } from '../../calls/deps.ts';
import { listCallFlows, placeFlowCall, placeTtsCall, type PlacedResult } from '../../../../services/calls/placed-calls.ts';
import { listCallLogPage } from '../../../../services/call-logs/call-log-service.ts';
import { vendorTime } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { f, refuse, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const CONNECTING = 'Call connecting. Please wait...';

const ClickToCall = z.strictObject({
  did: f.phone().openapi({ description: 'DID number (your virtual number): the caller ID', example: '+911143104567' }),
  ext_no: z.string().trim().regex(/^\d{2,8}$/, 'must be an extension number').openapi({ description: 'Agent extension number', example: '2101' }),
  phone: f.phone().openapi({ description: 'Customer phone number to call', example: '09876543210' }),
});
const Connecting = z.object({ message: z.string().openapi({ example: CONNECTING }), logid: z.string().openapi({ description: 'Our call id (a string)' }) });

/** `schedule_datetime` in `timezone`, the organization's (DEFAULT_TIMEZONE) when the request names none. */
export const scheduleFields = {
  schedule_datetime: f.opt(f.text(40)).openapi({ description: 'Schedule for later: YYYY-MM-DD HH:mm:ss', example: '2025-12-31 13:00:00' }),
  timezone: f.opt(f.text(64)).openapi({ description: 'IANA zone of schedule_datetime (default: the organization\'s)', example: 'Asia/Kolkata' }),
};
export function scheduleOf(c: Context<AppEnv>, b: { schedule_datetime?: string | undefined; timezone?: string | undefined }) {
  if (b.schedule_datetime === undefined) return { ...(b.timezone !== undefined && { timezone: b.timezone }) };
  return { schedule_datetime: b.schedule_datetime, timezone: b.timezone ?? c.get('deps').config.DEFAULT_TIMEZONE };
}

const Initiated = z.object({ message: z.string().openapi({ example: 'Call initiated successfully' }), call_id: z.string().openapi({ description: 'Our call id (the log id)' }) });
/** The vendor says "initiated" for a scheduled call too (their dial_by_text example is scheduled). */
export const initiated = (r: PlacedResult) => ({ message: 'Call initiated successfully', call_id: r.id });

const TwoParty = z.strictObject({
  did: f.phone(),
  first_phone: f.phone(),
  second_phone: f.phone(),
  body: f.opt(z.string().max(1000)).openapi({ description: 'Spoken to the first party before the second is dialled' }),
  ...scheduleFields,
});

const FlowCall = z.strictObject({
  did_no: f.phone().openapi({ description: 'Your DID number', example: '+911143104567' }),
  flow_id: f.id().openapi({ description: 'Call flow id (get_call_flows)', example: '1001' }),
  customer_no: f.phone().openapi({ example: '09871234567' }),
  ...scheduleFields,
});

const TextCall = z.strictObject({
  did_no: f.phone(),
  flow_id: f.opt(f.id()).openapi({ description: 'A call flow whose menu follows the message' }),
  customer_no: f.phone(),
  template_name: f.text(64).openapi({ description: 'Text template name (or id)', example: 'api_order_confirm' }),
  Variable: f.opt(z.string().max(5000)).openapi({ description: 'Comma-separated values for the template\'s {{1}}, {{2}}, …', example: 'John,ORD12345,1500' }),
  ...scheduleFields,
});

const FlowByLink = z.strictObject({
  did: f.phone(),
  flow: f.id().openapi({ description: 'Call flow id' }),
  phone: f.phone(),
  body: f.opt(z.string().max(1000)).openapi({ description: 'Must be empty: a flow call speaks its flow, nothing else' }),
});

const CallFlow = z.object({ id: z.string(), name: z.string(), description: z.string().nullable() });
const Recording = z.object({ recordid: z.string(), recording_url: z.string(), call_time: z.string(), client_no: z.string().nullable(), ext_no: z.string().nullable() });

export function callRoutes(r: Router): void {
  const c2c = async (c: Context<AppEnv>, b: z.output<typeof ClickToCall>) => {
    const { id } = await clickToCall(placeDeps(c.get('deps')), c.get('principal').orgId, b);
    return { message: CONNECTING, logid: id };
  };
  r.route({
    methods: ['get'], path: '/api/c2c_get', source: 'client', permission: 'call.write', style: 'code', input: ClickToCall, output: Connecting,
    summary: 'Click-to-call by link: ring the agent\'s extension, then the customer (showing the DID), and bridge them', handle: c2c,
  });
  r.route({
    methods: ['post'], path: '/api/c2c_post', source: 'seed', permission: 'call.write', style: 'code', input: ClickToCall, output: Connecting,
    summary: 'Click-to-call: ring the agent\'s extension, then the customer (showing the DID), and bridge them', handle: c2c,
  });
  r.route({
    methods: ['post'], path: '/api/c2c_two_party', source: 'named', permission: 'call.write', style: 'code', input: TwoParty, output: Connecting,
    summary: 'Bridge two numbers: call the first, speak `body`, dial and bridge the second; optionally scheduled',
    handle: async (c, b) => {
      const { id, scheduledAt } = await twoPartyCall(placeDeps(c.get('deps')), c.get('principal').orgId, { ...b, ...scheduleOf(c, b) });
      return { message: scheduledAt === null ? CONNECTING : 'Call scheduled successfully', logid: id };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/c2c_recordings', source: 'named', permission: 'call.read', style: 'code', input: z.strictObject({}),
    output: z.object({ data: z.array(Recording) }), summary: 'Recordings of click-to-call calls (newest 500 calls)',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      const { rows } = await listCallLogPage(adb, c.get('principal').orgId, { type: 'click_to_call', limit: 500, offset: 0 }, config.DEFAULT_COUNTRY_CODE);
      const base = config.PUBLIC_URL ?? '';
      return {
        data: rows.filter((l) => l.recording_id).map((l) => ({
          recordid: l.id, recording_url: `${base}/api/v1/calls/${l.id}/recordings/${l.recording_id}/download`,
          call_time: vendorTime(l.started_at, config.DEFAULT_TIMEZONE)!, client_no: l.caller, ext_no: l.ext_no,
        })),
      };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_call_flows', source: 'named', permission: 'call.read', style: 'code', input: z.strictObject({}),
    output: z.object({ data: z.array(CallFlow) }), summary: 'Call flows: the IVRs of the latest published configuration',
    handle: async (c) => ({ data: (await listCallFlows(c.get('deps').adb, c.get('principal').orgId)).map(({ id, name, description }) => ({ id, name, description })) }),
  });
  r.route({
    methods: ['post'], path: '/api/dial_by_flow', source: 'named', permission: 'call.write', style: 'code', input: FlowCall, output: Initiated,
    summary: 'Call a customer (showing the DID) and run a call flow; keys are logged',
    handle: async (c, b) => initiated(await placeFlowCall(placeDeps(c.get('deps')), c.get('principal').orgId, {
      did: b.did_no, customer_number: b.customer_no, flow_id: b.flow_id, ...scheduleOf(c, b),
    })),
  });
  r.route({
    methods: ['post'], path: '/api/dial_by_text', source: 'seed', permission: 'call.write', style: 'code', input: TextCall, output: Initiated,
    summary: 'Call a customer and speak a text template filled with `Variable`, optionally followed by a flow\'s menu',
    handle: async (c, b) => initiated(await placeTtsCall(placeDeps(c.get('deps')), c.get('principal').orgId, {
      did: b.did_no, customer_number: b.customer_no, template: b.template_name, variables: b.Variable, flow_id: b.flow_id ?? null, ...scheduleOf(c, b),
    })),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/dial_flow_get', source: 'named', permission: 'call.write', style: 'code', input: FlowByLink, output: Initiated,
    summary: 'Flow call by link: `did`, `flow` and `phone` as query parameters',
    handle: async (c, b) => {
      refuse([['body', Boolean(b.body), 'a flow call plays its flow; Switchboard has no message to add to it (use dial_by_text)']]);
      return initiated(await placeFlowCall(placeDeps(c.get('deps')), c.get('principal').orgId, { did: b.did, customer_number: b.phone, flow_id: b.flow }));
    },
  });
}
