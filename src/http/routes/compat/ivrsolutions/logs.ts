/** Call logs in the vendor's rows: by date range, by number, click-to-call, dialer, statuses, notes, incremental pull. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { listCallLogPage, syncCallLogPage } from '../../../../services/call-logs/call-log-service.ts';
import type { CallLogRow, SyncFilter } from '../../../../services/call-logs/store.ts';
import { listCampaignAttempts } from '../../../../services/campaigns/campaign-logs.ts';
import { listCampaigns } from '../../../../services/campaigns/campaign-service.ts';
import { listDispositions } from '../../../../services/dispositions/disposition-service.ts';
import { agentsByExtensionNumber } from '../../../../services/human-agents/queries.ts';
import {
  VENDOR_NOTE_CALL_TYPES, dayRange, toVendorCallLog, vendorCallStatus, vendorTime, type VendorCallLog,
} from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { addVendorNote } from '../../../../services/compat/ivrsolutions/notes.ts';
import { f, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const LIMIT = 500;
const SYNC_LIMIT = 100;

export const VendorCallLogSchema = z.object({
  recordid: z.string().openapi({ description: 'Our call log id' }), did_no: z.string().nullable(), client_no: z.string().nullable(),
  agent_no: z.string().nullable().openapi({ description: 'The phone of the agent on the extension' }), attended_by: z.string().nullable(),
  ext_no: z.string().nullable(), call_time: z.string().openapi({ example: '2024-12-15 10:30:45', description: 'Wall clock in the organization\'s timezone' }),
  call_duration: z.number().int(), call_status: z.string().openapi({ description: 'answered | no_answer | busy | missed | failed | in_progress' }),
  call_type: z.string().openapi({ description: 'inbound | click_to_call | two_party | masking | flow | tts | bot' }),
  recording_url: z.string().nullable(), dtmf_input: z.string(),
});

const pick = <K extends keyof VendorCallLog>(keys: readonly K[]) => (row: VendorCallLog): Pick<VendorCallLog, K> =>
  Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<VendorCallLog, K>;
const BY_NUMBER = ['recordid', 'did_no', 'client_no', 'attended_by', 'call_time', 'call_duration', 'call_type', 'recording_url'] as const;
const C2C_BY_NUMBER = ['recordid', 'did_no', 'agent_no', 'client_no', 'call_time', 'call_duration', 'recording_url'] as const;

/** A page of our call logs as the vendor's rows. */
async function vendorRows(c: Context<AppEnv>, q: Parameters<typeof listCallLogPage>[2]): Promise<VendorCallLog[]> {
  const { adb, config } = c.get('deps');
  const orgId = c.get('principal').orgId;
  const { rows } = await listCallLogPage(adb, orgId, q, config.DEFAULT_COUNTRY_CODE);
  return shape(c, rows);
}

async function shape(c: Context<AppEnv>, rows: CallLogRow[]): Promise<VendorCallLog[]> {
  const { adb, config } = c.get('deps');
  const agents = await agentsByExtensionNumber(adb, c.get('principal').orgId);
  return rows.map((l) => toVendorCallLog(l, agents, config.PUBLIC_URL ?? '', config.DEFAULT_TIMEZONE));
}

const Range = z.strictObject({ from_date: f.opt(f.text(10)).openapi({ example: '2024-12-01' }), to_date: f.opt(f.text(10)).openapi({ example: '2024-12-31' }) });
const ByNumber = z.strictObject({ phone: f.phone() });
const DialerRow = z.object({
  id: z.string(), dialer_id: z.string(), dialer_name: z.string(), customer_no: z.string(), call_time: z.string().nullable(), call_duration: z.number().int(),
  call_status: z.string(), dtmf_input: z.string(), attempts: z.number().int(),
});
const Sync = z.strictObject({
  last_c2c_log_id: f.opt(z.string().trim().max(64)), last_call_log_id: f.opt(z.string().trim().max(64)), last_dialer_log_id: f.opt(z.string().trim().max(64)),
});
const subset = (keys: readonly (keyof VendorCallLog)[]) => z.object({ data: z.array(VendorCallLogSchema.pick(Object.fromEntries(keys.map((k) => [k, true])) as never)) });

export function logRoutes(r: Router): void {
  r.route({
    methods: ['get', 'post'], path: '/api/call_logs', source: 'seed', permission: 'call.read', style: 'code', input: Range,
    output: z.object({ data: z.array(VendorCallLogSchema) }), summary: `Every call (inbound, click-to-call, dialer, …) in a date range, newest ${LIMIT}`,
    handle: async (c, b) => ({ data: await vendorRows(c, { ...dayRange(b.from_date, b.to_date, c.get('deps').config.DEFAULT_TIMEZONE), limit: LIMIT, offset: 0 }) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/call_logs_by_number', source: 'named', permission: 'call.read', style: 'code', input: ByNumber,
    output: subset(BY_NUMBER), summary: `Calls with one number (any format), newest ${LIMIT}`,
    handle: async (c, b) => ({ data: (await vendorRows(c, { phone: b.phone, limit: LIMIT, offset: 0 })).map(pick(BY_NUMBER)) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/c2c_logs', source: 'named', permission: 'call.read', style: 'code', input: z.strictObject({}),
    output: z.object({ data: z.array(VendorCallLogSchema.pick({ recordid: true, did_no: true, agent_no: true, client_no: true, call_time: true, call_duration: true, call_status: true, recording_url: true }).extend({ agent_name: z.string().nullable() })) }),
    summary: `Click-to-call calls, newest ${LIMIT}`,
    handle: async (c) => ({
      data: (await vendorRows(c, { type: 'click_to_call', limit: LIMIT, offset: 0 })).map((row) => ({
        recordid: row.recordid, did_no: row.did_no, agent_no: row.agent_no, client_no: row.client_no, agent_name: row.attended_by,
        call_time: row.call_time, call_duration: row.call_duration, call_status: row.call_status, recording_url: row.recording_url,
      })),
    }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/c2c_logs_by_number', source: 'named', permission: 'call.read', style: 'code', input: ByNumber,
    output: subset(C2C_BY_NUMBER), summary: `Click-to-call calls with one number, newest ${LIMIT}`,
    handle: async (c, b) => ({ data: (await vendorRows(c, { type: 'click_to_call', phone: b.phone, limit: LIMIT, offset: 0 })).map(pick(C2C_BY_NUMBER)) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/dialer_logs', source: 'seed', permission: 'campaign.read', style: 'code',
    input: z.strictObject({ dialerid: f.opt(f.id()).openapi({ description: 'One dialer only' }) }),
    output: z.object({ data: z.array(DialerRow) }), summary: `Every dialer call attempt: answer, keys, attempt number (newest ${LIMIT})`,
    handle: async (c, b) => {
      const { adb: db, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const names = new Map((await listCampaigns(db, orgId)).map((row) => [row.id, row.name]));
      const { rows } = await listCampaignAttempts(db, orgId, { campaignId: b.dialerid, limit: LIMIT, offset: 0 });
      return {
        data: rows.map((a) => ({
          id: a.call_id, dialer_id: a.campaign_id, dialer_name: names.get(a.campaign_id) ?? '', customer_no: a.number,
          call_time: vendorTime(a.started_at, config.DEFAULT_TIMEZONE), call_duration: a.duration_s ?? 0,
          call_status: vendorCallStatus({ ended_at: a.ended_at, answered_at: a.answered ? a.ended_at ?? a.started_at : null, direction: 'dialer', hangup_cause: a.hangup_cause }),
          dtmf_input: a.dtmf, attempts: a.attempt,
        })),
      };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_call_status', source: 'seed', permission: 'call.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(z.object({ id: z.string(), name: z.string() })) }), summary: 'The call statuses (our dispositions) notes can set',
    handle: async (c) => ({ data: (await listDispositions(c.get('deps').adb, c.get('principal').orgId)).map((d) => ({ id: d.id, name: d.name })) }),
  });
  r.route({
    methods: ['post'], path: '/api/update_call_note', source: 'named', permission: 'call.write', style: 'bool',
    input: z.strictObject({
      record_id: f.id().openapi({ description: 'Call log id (recordid)' }), call_status: f.id().openapi({ description: 'A status id from get_call_status' }),
      call_type: z.enum(VENDOR_NOTE_CALL_TYPES).openapi({ description: 'Must match the call' }), call_remark: f.opt(f.text(5000)),
    }),
    output: z.object({ message: z.string() }), summary: 'Set a call\'s status (disposition) and remark',
    handle: async (c, b) => {
      const { adb, now } = c.get('deps');
      await addVendorNote(adb, c.get('principal'), { ref: b.record_id, refField: 'record_id', callType: b.call_type, status: b.call_status, statusField: 'call_status', note: b.call_remark }, now);
      return { message: 'Call note updated successfully' };
    },
  });
  r.route({
    methods: ['post'], path: '/api/add_call_note', source: 'named', permission: 'call.write', style: 'bool',
    input: z.strictObject({
      sip_call_id: f.text(200).openapi({ description: 'The call\'s SIP / channel call id (or our call log id)' }), note: f.text(5000),
      call_type: f.opt(z.enum(VENDOR_NOTE_CALL_TYPES)), status: f.opt(f.id()).openapi({ description: 'A status id from get_call_status' }),
    }),
    output: z.object({ message: z.string() }), summary: 'Add a note (and optionally a status) to a call by its SIP call id',
    handle: async (c, b) => {
      const { adb, now } = c.get('deps');
      await addVendorNote(adb, c.get('principal'), { ref: b.sip_call_id, refField: 'sip_call_id', callType: b.call_type, status: b.status, statusField: 'status', note: b.note }, now);
      return { message: 'Call note added successfully' };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/all_call_logs', source: 'client', permission: 'call.read', style: 'code', input: Sync,
    output: z.object({ call_logs: z.array(VendorCallLogSchema), click_to_call_logs: z.array(VendorCallLogSchema), dialer_logs: z.array(VendorCallLogSchema) }),
    summary: `Finished calls after the last ids you have, oldest first, at most ${SYNC_LIMIT} per kind ("0" or absent: from the start)`,
    handle: async (c, b) => {
      const { adb } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const after = async (id: string | undefined, filter: SyncFilter) =>
        shape(c, (await syncCallLogPage(adb, orgId, { ...(id && id !== '0' && { afterIds: id }), limit: SYNC_LIMIT, ...filter })).rows);
      return {
        call_logs: await after(b.last_call_log_id, { notType: 'click_to_call', campaign: false }),
        click_to_call_logs: await after(b.last_c2c_log_id, { type: 'click_to_call' }),
        dialer_logs: await after(b.last_dialer_log_id, { campaign: true }),
      };
    },
  });
}
