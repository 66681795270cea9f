/** AI voice bots: list, one bot's settings, and calls a bot answers (a configured one, or your own WebSocket). */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { ValidationError } from '../../../../domain/errors.ts';
import { getAgent, listAgents, type AgentRow } from '../../../../services/agents/agent-service.ts';
import { placeDeps } from '../../calls/deps.ts';
import { placeBotCall, type BotCallInput } from '../../../../services/calls/placed-calls.ts';
import { agentCallerIdNumber } from '../../../../services/human-agents/queries.ts';
import { AGENT_FIELDS } from '../../agents/routes.ts';
import { initiated, scheduleFields, scheduleOf } from './calls.ts';
import { f, inVendorFields, refuse, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

const Bot = z.object({ id: z.string(), name: z.string(), ws_url: z.string(), language: z.string(), dialect: z.string() });
const BotDetail = Bot.extend({ system_prompt: z.string().nullable(), opening_text: z.string().nullable(), audio_format: z.string() });
const botDto = (a: AgentRow) => ({ id: a.id, name: a.name, ws_url: a.wsUrl, language: a.language, dialect: a.dialect });
const Initiated = z.object({ message: z.string(), call_id: z.string() });

const common = {
  Voicechat_id: f.opt(f.id()).openapi({ description: 'A configured AI agent (get_voicebots)', example: '4821' }),
  customer_no: f.phone(),
  system_msg: f.opt(z.string().max(20_000)),
  text: f.opt(z.string().max(2000)).openapi({ description: 'Opening line for the bot' }),
  ...scheduleFields,
};

const AiBotCall = z.strictObject({
  ...common,
  did_num: f.opt(f.phone()).openapi({ description: 'Caller ID; default: the caller-ID DID of ai_agent_ext\'s agent' }),
  ai_agent_ext: f.opt(z.string().trim().regex(/^\d{2,8}$/, 'must be an extension number')).openapi({ description: 'Takes the customer when the bot fails or transfers without a target' }),
  connect_ws_after_answer: f.opt(f.flag()).openapi({ description: '1 (default): open the WebSocket once answered; 0: while it rings' }),
  sip_url: f.opt(f.text(500)).openapi({ description: 'Must be absent: a bot transfers to an extension, queue, IVR or phone number (docs/bot-protocol.md), not to a SIP URI' }),
  sttlanguage_code: f.opt(AGENT_FIELDS.language),
  wss_header: f.opt(z.string().max(4000)).openapi({ description: '"Name: value" (one per line), sent on the WebSocket upgrade' }),
  wss_url: f.opt(AGENT_FIELDS.ws_url),
});

const BotCall = z.strictObject({ ...common, Voicechat_id: f.id(), did_num: f.phone() });

/** "Authorization: Bearer x" lines → headers; anything else is a 400 naming wss_header. */
function headersOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).filter((l) => l.trim() !== '')) {
    const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) throw new ValidationError('Invalid wss_header', [{ field: 'wss_header', message: 'use "Name: value", one header per line' }]);
    headers[m[1]!] = m[2]!;
  }
  return headers;
}

async function place(c: Context<AppEnv>, input: BotCallInput) {
  const r = await inVendorFields({ agent_id: 'Voicechat_id', did: 'did_num', customer_number: 'customer_no', agent_extension: 'ai_agent_ext', headers: 'wss_header', language: 'sttlanguage_code' },
    () => placeBotCall(placeDeps(c.get('deps')), c.get('principal').orgId, input));
  return initiated(r);
}

export function botRoutes(r: Router): void {
  for (const path of ['/api/get_voicebots', '/api/voicebot_list']) {
    r.route({
      methods: ['get', 'post'], path, source: 'named', permission: 'agent.read', style: 'bool', input: z.strictObject({}),
      output: z.object({ data: z.array(Bot) }), summary: 'AI voice bots (our AI agents), by name',
      handle: async (c) => ({ data: (await listAgents(c.get('deps').adb, c.get('principal').orgId)).map(botDto) }),
    });
  }
  r.route({
    methods: ['get', 'post'], path: '/api/get_voicebot', source: 'named', permission: 'agent.read', style: 'bool',
    input: z.strictObject({ voicebot_id: f.id(), aitraingdata: f.opt(f.flag()).openapi({ description: 'Must be 0 or absent: Switchboard keeps no training data (a bot is its WebSocket and prompt)' }) }),
    output: z.object({ data: BotDetail }), summary: 'One AI voice bot\'s settings',
    handle: async (c, b) => {
      refuse([['aitraingdata', b.aitraingdata === '1', 'Switchboard keeps no training data: a bot is its WebSocket, prompt, language and opening text']]);
      const a = await getAgent(c.get('deps').adb, c.get('principal').orgId, b.voicebot_id);
      return { data: { ...botDto(a), system_prompt: a.systemPrompt, opening_text: a.openingText, audio_format: a.audioFormat } };
    },
  });
  r.route({
    methods: ['post'], path: '/api/dial_by_aivoicebot', source: 'seed', permission: 'call.write', style: 'code', input: AiBotCall, output: Initiated,
    summary: 'Call a customer and hand the answered call to a bot: a configured one (Voicechat_id) or your WebSocket (wss_url)',
    handle: async (c, b) => {
      refuse([
        ['sip_url', b.sip_url !== undefined, 'a bot transfers to an extension, queue, IVR or phone number (session.transfer), not to a SIP URI: use ai_agent_ext'],
        ['wss_url', b.wss_url !== undefined && b.Voicechat_id !== undefined, 'Voicechat_id names a configured bot, which streams to its own WebSocket: give Voicechat_id or wss_url, not both'],
      ]);
      const { adb } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const did = b.did_num ?? (b.ai_agent_ext ? await agentCallerIdNumber(adb, orgId, b.ai_agent_ext) : null);
      if (!did) throw new ValidationError('Which DID?', [{ field: 'did_num', message: 'required unless ai_agent_ext\'s agent has a caller-ID DID' }]);
      return place(c, {
        did, customer_number: b.customer_no, agent_id: b.Voicechat_id ?? null, wss_url: b.wss_url ?? null, headers: headersOf(b.wss_header),
        system_msg: b.system_msg ?? null, text: b.text ?? null, language: b.sttlanguage_code ?? null, agent_extension: b.ai_agent_ext ?? null,
        connect: b.connect_ws_after_answer === '0' ? 'immediate' : 'answer', ...scheduleOf(c, b),
      });
    },
  });
  r.route({
    methods: ['post'], path: '/api/dial_by_voicebot', source: 'client', permission: 'call.write', style: 'code', input: BotCall, output: Initiated,
    summary: 'Call a customer and hand the answered call to a configured bot',
    handle: (c, b) => place(c, {
      did: b.did_num, customer_number: b.customer_no, agent_id: b.Voicechat_id, system_msg: b.system_msg ?? null, text: b.text ?? null, ...scheduleOf(c, b),
    }),
  });
}
