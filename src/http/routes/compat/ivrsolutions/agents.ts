/** Agents and extensions: add, switch on / off, caller-ID DID, expiry, lists, and the vendor's "group extension". */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { createAgent, updateAgent } from '../../../../services/human-agents/agent-service.ts';
import { findAgentByExtension, listAgents, type AgentView } from '../../../../services/human-agents/queries.ts';
import { findExtensionByNumber, listExtensions } from '../../../../services/extensions/extension-service.ts';
import { extensionsWithState, type ExtensionWithState } from '../../../../services/extensions/extension-state.ts';
import {
  agentOnExtension, endOfDay, setExtensionEnabled, setUpAgent, type CompatDeps,
} from '../../../../services/compat/ivrsolutions/extensions.ts';
import { vendorTime } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { f, inVendorFields, refuse, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const EXT = z.string().trim().regex(/^\d{2,8}$/, 'must be an extension number');

export const compatDeps = (c: Context<AppEnv>): CompatDeps => {
  const { adb, switchControl, now, config, tts } = c.get('deps');
  return { adb, switchControl, now, config, tts, logger: c.get('logger'), defaultCountryCode: config.DEFAULT_COUNTRY_CODE, timeZone: config.DEFAULT_TIMEZONE, signal: c.req.raw.signal };
};
const actor = (c: Context<AppEnv>) => ({ id: c.get('principal').id, kind: c.get('principal').kind });

/** The vendor's set-up fields (group extensions and DIDs); their flags are refused when they ask for what we lack. */
export const SetupFields = {
  call_forwarding: f.opt(f.flag()), connection: f.opt(f.flag()), kyc_required: f.opt(f.flag()),
  did_no: f.opt(f.phone()), email: f.opt(z.string().trim().email().max(254)), expiry_date: f.opt(f.text(10)).openapi({ example: '2025-12-31' }),
  extn_no: f.opt(z.string().trim().regex(/^\d{4}$/, 'must be a 4-digit number')), name: f.opt(f.text(100)), password: z.string().max(1000),
  phone: f.opt(f.phone()), recording_id: f.opt(f.id()),
};
export type SetupInput = z.output<z.ZodObject<typeof SetupFields>>;

export function refuseSetupFlags(b: SetupInput): void {
  refuse([
    ['call_forwarding', b.call_forwarding === '1', 'Switchboard does not forward an extension\'s calls to a phone (an unanswered extension goes to its voicemail); send 0'],
    ['connection', b.connection === '1', 'Switchboard has no per-extension connection option to switch on; send 0'],
    ['kyc_required', b.kyc_required === '1', 'Switchboard keeps no KYC checks; send 0'],
    ['recording_id', b.recording_id !== undefined, 'Switchboard records bridged calls itself (CALL_RECORDING): there is no recording setting to pick by id'],
  ]);
}

export const SETUP_RENAMES = { caller_id_did: 'did_no', extension: 'extn_no', expires_at: 'expiry_date' };

const Agent = z.object({
  agent_id: z.string(), name: z.string(), email: z.string(), ext_no: z.string(), phone: z.string().nullable(),
  status: z.enum(['0', '1']).openapi({ description: '1 enabled, 0 disabled' }), did: z.string().nullable().openapi({ description: 'Caller-ID DID' }),
  expiry_date: z.string().nullable(),
});
const Extension = z.object({
  ext_no: z.string(), name: z.string(), status: z.enum(['0', '1']), agent_id: z.string().nullable(), agent_name: z.string().nullable(),
  registered: z.boolean().nullable().openapi({ description: 'null: the switch could not say' }),
});

const agentDto = (a: AgentView, tz: string) => ({
  agent_id: a.id, name: a.name, email: a.email, ext_no: a.extension.number, phone: a.phone, status: a.enabled ? ('1' as const) : ('0' as const),
  did: a.caller_id_did?.number ?? null, expiry_date: vendorTime(a.expires_at, tz),
});
const extensionDto = (e: ExtensionWithState) => ({
  ext_no: e.row.number, name: e.row.name, status: e.row.enabled ? ('1' as const) : ('0' as const), agent_id: e.owner?.agent_id ?? null,
  agent_name: e.owner?.name ?? null, registered: e.registration.registered,
});
const done = z.object({ message: z.string() });

export function agentRoutes(r: Router): void {
  r.route({
    methods: ['post'], path: '/api/change_extension_status', source: 'named', permission: 'user.write', style: 'bool',
    input: z.strictObject({ ext_no: EXT, status: f.flag().openapi({ description: '0 disable, 1 enable' }) }), output: done,
    summary: 'Enable or disable an extension (its agent: login, registration and calls), live at once',
    handle: async (c, b) => {
      await setExtensionEnabled(compatDeps(c), c.get('principal').orgId, b.ext_no, b.status === '1', actor(c));
      return { message: `Extension ${b.ext_no} ${b.status === '1' ? 'enabled' : 'disabled'}` };
    },
  });
  r.route({
    methods: ['post'], path: '/api/add_agent', source: 'named', permission: 'user.write', style: 'bool',
    input: z.strictObject({ name: f.text(100), email: z.string().trim().email().max(254), phonenumber: f.phone(), password: z.string().max(1000) }),
    output: z.object({ message: z.string(), data: z.object({ agent_id: z.string(), ext_no: z.string(), name: z.string(), email: z.string() }) }),
    summary: 'Add an agent: a login and the next free extension (password policy: README "Agents")',
    handle: async (c, b) => {
      const { agent } = await inVendorFields({ phone: 'phonenumber' }, () =>
        createAgent(compatDeps(c), c.get('principal').orgId, { name: b.name, email: b.email, password: b.password, phone: b.phonenumber }));
      return { message: 'Agent added successfully', data: { agent_id: agent.id, ext_no: agent.extension.number, name: agent.name, email: agent.email } };
    },
  });
  r.route({
    methods: ['post'], path: '/api/update_agent_did', source: 'named', permission: 'user.write', style: 'bool',
    input: z.strictObject({ agent_ext: EXT, did_num: f.phone() }), output: done, summary: 'The DID an agent\'s outbound calls show',
    handle: async (c, b) => {
      const deps = compatDeps(c);
      const orgId = c.get('principal').orgId;
      const agent = await agentOnExtension(deps.adb, orgId, b.agent_ext, 'agent_ext');
      await inVendorFields({ caller_id_did: 'did_num' }, () => updateAgent(deps, orgId, agent.id, { caller_id_did: b.did_num }, actor(c).id));
      return { message: 'Agent DID updated successfully' };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_agents', source: 'named', permission: 'user.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(Agent) }), summary: 'Agents by extension (first 500)',
    handle: async (c) => ({ data: (await listAgents(c.get('deps').adb, c.get('principal').orgId, { limit: 500, offset: 0 })).agents.map((a) => agentDto(a, c.get('deps').config.DEFAULT_TIMEZONE)) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_extensions', source: 'named', permission: 'extension.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(Extension) }), summary: 'Extensions with their agent and registration',
    handle: async (c) => {
      const { adb, registrations } = c.get('deps');
      const orgId = c.get('principal').orgId;
      return { data: (await extensionsWithState(adb, registrations, orgId, await listExtensions(adb, orgId))).map(extensionDto) };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/extension_details', source: 'named', permission: 'extension.read', style: 'bool', input: z.strictObject({ ext_no: EXT }),
    output: z.object({ data: Extension.extend({ did: z.string().nullable(), expiry_date: z.string().nullable() }) }),
    summary: 'One extension: its agent, caller-ID DID, expiry and registration',
    handle: async (c, b) => {
      const { adb, registrations, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const [one] = await extensionsWithState(adb, registrations, orgId, [await findExtensionByNumber(adb, orgId, b.ext_no)]);
      const agent = await findAgentByExtension(adb, orgId, b.ext_no);
      return { data: { ...extensionDto(one!), did: agent?.caller_id_did?.number ?? null, expiry_date: vendorTime(agent?.expires_at ?? null, config.DEFAULT_TIMEZONE) } };
    },
  });
  r.route({
    methods: ['post'], path: '/api/deactivate_group_extension_user', source: 'named', permission: 'user.write', style: 'bool', input: z.strictObject({ ext_no: EXT }),
    output: done, summary: 'Disable the agent (user) on an extension, live at once',
    handle: async (c, b) => {
      const deps = compatDeps(c);
      const orgId = c.get('principal').orgId;
      await updateAgent(deps, orgId, (await agentOnExtension(deps.adb, orgId, b.ext_no, 'ext_no')).id, { enabled: false }, actor(c).id);
      return { message: 'User deactivated successfully' };
    },
  });
  r.route({
    methods: ['post'], path: '/api/set_extension_expiry', source: 'named', permission: 'user.write', style: 'bool',
    input: z.strictObject({ expiry_date: f.text(10).openapi({ example: '2025-12-31' }), ext_no: EXT }), output: done,
    summary: 'The agent on the extension is disabled once the date ends (in the organization\'s timezone); a past date disables at once',
    handle: async (c, b) => {
      const deps = compatDeps(c);
      const orgId = c.get('principal').orgId;
      const agent = await agentOnExtension(deps.adb, orgId, b.ext_no, 'ext_no');
      await updateAgent(deps, orgId, agent.id, { expires_at: endOfDay(b.expiry_date, deps.timeZone, 'expiry_date') }, actor(c).id);
      return { message: 'Extension expiry updated successfully' };
    },
  });
  r.route({
    methods: ['post'], path: '/api/create_group_extension', source: 'named', permission: 'user.write', style: 'bool', input: z.strictObject(SetupFields),
    output: z.object({ message: z.string(), data: z.object({ agent_id: z.string(), ext_no: z.string(), sip_password: z.string() }) }),
    summary: 'A user on a new extension (an agent: login + extension), its caller-ID DID and expiry',
    handle: async (c, b) => {
      refuseSetupFlags(b);
      const { agent, sipPassword } = await inVendorFields(SETUP_RENAMES, () => setUpAgent(compatDeps(c), c.get('principal').orgId, actor(c), b, false));
      return { message: 'Extension created successfully', data: { agent_id: agent.id, ext_no: agent.extension.number, sip_password: sipPassword } };
    },
  });
}
