/** Virtual numbers: list, regions, search, buy, set up (agent + routing), live status. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { ForbiddenError, ValidationError } from '../../../../domain/errors.ts';
import { listOrgDids } from '../../../../services/dids/did-service.ts';
import { didStatus, type DidStatus } from '../../../../services/dids/did-status.ts';
import { findAgentByUser } from '../../../../services/human-agents/queries.ts';
import type { NumberProvider } from '../../../../services/numbers/number-provider.ts';
import { poolNumberProvider } from '../../../../services/numbers/pool-provider.ts';
import { regionOf } from '../../../../services/numbers/regions.ts';
import { normalizeE164 } from '../../../../services/numbers/phone.ts';
import { setUpAgent } from '../../../../services/compat/ivrsolutions/extensions.ts';
import { callingCode, resolveRegion, searchPattern, vendorRegion } from '../../../../services/compat/ivrsolutions/regions.ts';
import { vendorTime } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { SETUP_RENAMES, SetupFields, compatDeps, refuseSetupFlags } from './agents.ts';
import { f, inVendorFields, refuse, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const providerOf = (c: Context<AppEnv>): NumberProvider => {
  const { numbers, adb, config, now } = c.get('deps');
  return numbers ?? poolNumberProvider(adb, { defaultCountryCode: config.DEFAULT_COUNTRY_CODE, now });
};

const Did = z.object({
  did_number: z.string(), region: z.string(), status: z.string(),
  type: z.string().nullable().openapi({ description: 'Always null: Switchboard does not know a number\'s line type (landline, toll-free, …)' }),
});
const Region = z.object({ id: z.string().openapi({ example: '91-11' }), name: z.string(), code: z.string().openapi({ example: '011' }) });
const Found = z.object({
  message: z.string(), cost: z.null().openapi({ description: 'Always null: the number pool has no prices' }), currency: z.null(), data: z.array(z.string()),
});
const LiveStatus = z.object({
  did_number: z.string(), live: z.boolean().openapi({ description: 'Calls to it reach its routing now' }), routing_type: z.string().nullable(),
  routing_destination: z.string().nullable(), in_sync: z.boolean(), last_call_time: z.string().nullable(),
});

const liveDto = (s: DidStatus, tz: string) => ({
  did_number: s.number, live: s.published.live, routing_type: s.routed?.type ?? null, routing_destination: s.routed?.destination ?? null,
  in_sync: s.published.in_sync, last_call_time: vendorTime(s.last_call?.at ?? null, tz),
});

async function search(c: Context<AppEnv>, q: { country?: string; region?: string; regionField: string; pattern?: string | undefined; limit: number }) {
  const { config } = c.get('deps');
  const provider = providerOf(c);
  const region = q.region === undefined ? undefined
    : resolveRegion(await provider.regions(), q.region, q.regionField, config.DEFAULT_COUNTRY_CODE, q.country);
  const { numbers } = await provider.search({ region: region?.id, pattern: q.pattern, limit: q.limit, offset: 0 });
  const data = numbers.map((n) => n.number).filter((n) => q.country === undefined || n.startsWith(`+${q.country}`));
  return { message: data.length > 0 ? 'Numbers found' : 'No numbers found', cost: null, currency: null, data };
}

export function didRoutes(r: Router): void {
  r.route({
    methods: ['get', 'post'], path: '/api/get_dids', source: 'client', permission: 'did.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(Did) }), summary: 'The organization\'s DIDs',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      return { data: (await listOrgDids(adb, c.get('principal').orgId)).map((d) => ({ did_number: d.number, region: regionOf(d.number, config.DEFAULT_COUNTRY_CODE).name, status: d.status, type: null })) };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/ivrappv2/get_did_list', source: 'named', permission: 'did.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(z.object({ did_number: z.string(), region: z.string(), status: z.string(), routing_type: z.string().nullable(), routing_destination: z.string().nullable() })) }),
    summary: 'The organization\'s DIDs with where each is routed',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      return {
        data: (await listOrgDids(adb, c.get('principal').orgId)).map((d) => ({
          did_number: d.number, region: regionOf(d.number, config.DEFAULT_COUNTRY_CODE).name, status: d.status, routing_type: d.routingType, routing_destination: d.routingDestination,
        })),
      };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_did_regions', source: 'named', permission: 'did.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ message: z.string(), data: z.array(Region) }), summary: 'Regions with numbers to buy (our ids; `code` is the area code dialled at home)',
    handle: async (c) => {
      const cc = c.get('deps').config.DEFAULT_COUNTRY_CODE;
      return { message: 'Region found successfully', data: (await providerOf(c).regions()).map((reg) => vendorRegion(reg, cc)) };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/search_did', source: 'named', permission: 'did.read', style: 'bool',
    input: z.strictObject({
      country_code: f.text(4).openapi({ example: 'IN' }), region: f.text(40).openapi({ description: 'A region id, code or name (get_did_regions)', example: '91-11' }),
      search_pattern: f.opt(f.text(20)).openapi({ description: 'Where `pattern` goes: contains (default), starts_with, ends_with' }),
      pattern: f.opt(z.string().trim().max(20)).openapi({ example: '4310' }),
    }),
    output: Found, summary: 'Numbers to buy in a region, by pattern',
    handle: (c, b) => search(c, {
      country: callingCode(b.country_code, 'country_code'), region: b.region, regionField: 'region', pattern: searchPattern(b.pattern, b.search_pattern, 'search_pattern'), limit: 50,
    }),
  });
  r.route({
    methods: ['get', 'post'], path: '/ivrappv2/search_did', source: 'named', permission: 'did.read', style: 'bool',
    input: z.strictObject({
      availabilty_level: f.opt(f.text(20)).openapi({ description: 'Must be absent: the number pool has no availability levels' }),
      did_region: f.opt(f.text(40)), pattern_last_digits: f.opt(z.string().trim().regex(/^\d{1,15}$/, 'digits')), size: f.opt(f.int(1, 500)),
    }),
    output: Found, summary: 'Numbers to buy, by region and last digits',
    handle: (c, b) => {
      refuse([['availabilty_level', b.availabilty_level !== undefined, 'Switchboard\'s number pool has no availability levels']]);
      return search(c, { region: b.did_region, regionField: 'did_region', pattern: searchPattern(b.pattern_last_digits, 'ends_with', 'pattern_last_digits'), limit: b.size ?? 50 });
    },
  });
  r.route({
    methods: ['post'], path: '/ivrappv2/buy_did', source: 'seed', permission: 'did.pool', style: 'bool',
    input: z.strictObject({ country: f.text(4).openapi({ example: 'IN' }), number: f.phone().openapi({ example: '+911143104501' }) }),
    output: z.object({ message: z.string(), data: z.string() }), summary: 'Buy an available number: it becomes one of your DIDs, unrouted (admin)',
    handle: async (c, b) => {
      const cc = callingCode(b.country, 'country');
      const number = normalizeE164(b.number, cc);
      if (!number) throw new ValidationError('Invalid number', [{ field: 'number', message: 'not a valid phone number' }]);
      if (!number.startsWith(`+${cc}`)) throw new ValidationError('The number is in another country', [{ field: 'country', message: `${number} is not a +${cc} number` }]);
      const { principal } = c.var;
      const did = await providerOf(c).purchase(principal.orgId, number, { id: principal.id, kind: principal.kind });
      return { message: 'Did added to your account', data: did.number };
    },
  });
  const setup = (path: string, summary: string) => r.route({
    methods: ['post'], path, source: 'named', permission: 'user.write', style: 'bool', input: z.strictObject(SetupFields),
    output: z.object({ message: z.string(), data: z.object({ agent_id: z.string(), ext_no: z.string(), sip_password: z.string(), did_no: z.string() }) }),
    summary,
    handle: async (c, b) => {
      refuseSetupFlags(b);
      const { principal } = c.var;
      const { agent, sipPassword } = await inVendorFields(SETUP_RENAMES, () => setUpAgent(compatDeps(c), principal.orgId, { id: principal.id, kind: principal.kind }, b, true));
      return { message: 'DID configured successfully', data: { agent_id: agent.id, ext_no: agent.extension.number, sip_password: sipPassword, did_no: agent.caller_id_did?.number ?? '' } };
    },
  });
  setup('/api/did_setup', 'Set a DID up: an agent (login + extension) whose calls show it, and the DID routed to that extension, live at once');
  setup('/api/group_did_setup', 'Set a team\'s DID up: as did_setup (a user on an extension, the DID routed to it)');
  setup('/api/group_did_sip_setup', 'Set a DID up for a SIP / softphone user: as did_setup (the extension\'s SIP password is returned once)');
  r.route({
    methods: ['get', 'post'], path: '/api/did_live_status', source: 'named', permission: 'did.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(LiveStatus) }), summary: 'Each DID: whether calls reach its routing now, and its last call',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const data = [];
      for (const d of await listOrgDids(adb, orgId)) data.push(liveDto(await didStatus(adb, orgId, d.id), config.DEFAULT_TIMEZONE));
      return { data };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/agent_did_live_status', source: 'named', permission: 'did.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(LiveStatus.extend({ ext_no: z.string() })) }),
    summary: 'The calling agent\'s caller-ID DID and its live status (an agent\'s login token)',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      const p = c.get('principal');
      const agent = p.kind === 'user' ? await findAgentByUser(adb, p.orgId, p.id) : null;
      if (!agent) throw new ForbiddenError('This endpoint answers for an agent: send an agent\'s login token');
      const did = agent.caller_id_did;
      return { data: did ? [{ ...liveDto(await didStatus(adb, p.orgId, did.id), config.DEFAULT_TIMEZONE), ext_no: agent.extension.number }] : [] };
    },
  });
}
