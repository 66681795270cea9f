import { addStep, type CallSession } from '../session.ts';
import { PROMPTS } from '../prompts.ts';
import { normalizeE164 } from '../../services/numbers/phone.ts';
import type { SnapshotDestination } from '../../publish/snapshot.ts';
import type { FinalDestinationType } from '../../domain/destinations.ts';
import type { BotTarget } from '../../domain/agents.ts';
import { endLabel } from '../../bot/leg.ts';
import { recordBotLeg } from '../bot-log.ts';
import type { TransferTarget } from '../../bot/protocol.ts';
import { answer, play } from '../media.ts';
import { finalDestination } from '../final-destination.ts';
import { hangupAction } from './hangup.ts';
import { END, type ActionHandler, type ActionOutcome, type Destination } from '../session.ts';

/** Defaults for a route that names a bare ws(s):// URL instead of an agent. */
const URL_DEFAULTS = { dialect: 'native', audioFormat: 'l16_16k', language: 'en-IN', connectTimeoutMs: 3000 } as const;

/**
 * Hand the call to an AI agent over the bridge (unicast ↔ WebSocket). When the bot transfers,
 * the same action handlers as the IVR run; when it fails (or no bridge is configured) the caller
 * hears an apology and goes to the agent's fallback destination, else is hung up.
 */
export const aiAgentAction: ActionHandler = async (s, dest) => {
  const agent = dest.value ? s.snapshot?.agents[dest.value] : undefined;
  const target: BotTarget | null = agent
    ? { ...agent }
    : dest.value && /^wss?:\/\//i.test(dest.value)
      ? urlTarget(dest.value)
      : null;
  return talkToBot(s, target, agent?.fallback ?? null, dest.value);
};

/** An agent around a bare ws(s):// URL, with the defaults. */
export function urlTarget(wsUrl: string, over: Partial<BotTarget> = {}): BotTarget {
  return { id: null, name: wsUrl, wsUrl, headers: {}, systemPrompt: null, openingText: null, ...URL_DEFAULTS, ...over };
}

/**
 * The call talks to `target` (null: none could be found) until the bot or the caller ends it; a transfer
 * or failure goes on to the destination asked for, else to `fallback`. `parameters` go into the bot's
 * `start` (an outbound bot call's values). Shared by the ai_agent action and placed bot calls.
 */
export async function talkToBot(
  s: CallSession,
  target: BotTarget | null,
  fallback: SnapshotDestination<FinalDestinationType> | null,
  label: string | null,
  parameters?: Readonly<Record<string, string>>,
): Promise<ActionOutcome> {
  // The bridge needs keys and commands while the media flows: an async socket (CallChannel.goAsync).
  if (!target || !s.deps.bots || !s.channel.startUnicast || !((await s.channel.goAsync?.()) ?? true)) {
    addStep(s, { step: 'action', type: 'ai_agent', value: label, result: 'not_available' });
    return apologise(s, fallback);
  }
  await answer(s, 'app');
  s.stage = 'bot';
  const res = await s.deps.bots.run(s, target, { checkTransfer: (t) => toDestination(s, t).error, ...(parameters ? { parameters } : {}) });
  addStep(s, { step: 'action', type: 'ai_agent', value: target.id ?? target.wsUrl, result: endLabel(res.end) });
  await recordBotLeg(s, target, res);
  const end = res.end;
  // The call goes on past the bot (a transfer, a fallback): back to the first socket, so that a later
  // bot leg on this call gets a fresh async socket and its unicast works (CallChannel.leaveAsync).
  if (end.kind === 'transfer' || end.kind === 'failed') await s.channel.leaveAsync?.();
  switch (end.kind) {
    case 'caller_hangup':
      s.record.disposition = 'bot_completed';
      return END;
    case 'hangup':
      s.record.disposition = 'bot_completed';
      return hangupAction(s, { type: 'hangup', value: null });
    case 'transfer': {
      const d = toDestination(s, end.target);
      return d.dest ? finalDestination(s, d.dest) : apologise(s, fallback);
    }
    case 'failed':
      s.logger.warn({ reason: end.reason, detail: end.detail }, 'bot failed; falling back');
      return apologise(s, fallback);
  }
}

/** The bot is not there (or failed): apology, then the fallback decides the outcome; without one, bot_failed. */
async function apologise(s: CallSession, fallback: SnapshotDestination<FinalDestinationType> | null): Promise<ActionOutcome> {
  s.record.disposition = 'bot_failed';
  s.stage = 'prompt';
  await answer(s);
  await play(s, PROMPTS.apology);
  if (fallback) {
    s.record.disposition = null;
    return finalDestination(s, fallback);
  }
  return hangupAction(s, { type: 'hangup', value: null });
}

/** A bot's transfer target as an IVR destination, or why it cannot be one. */
export function toDestination(s: CallSession, t: TransferTarget): { dest: Destination; error: null } | { dest: null; error: string } {
  const snap = s.snapshot;
  switch (t.type) {
    case 'extension':
      return snap?.extensions[t.value]?.enabled ? { dest: { type: 'extension', value: t.value }, error: null } : { dest: null, error: `no enabled extension ${t.value}` };
    case 'queue':
      return snap?.queues[t.value] ? { dest: { type: 'queue', value: t.value }, error: null } : { dest: null, error: `no queue ${t.value}` };
    case 'ivr': {
      const ivr = snap?.ivrs[t.value] ?? Object.values(snap?.ivrs ?? {}).find((i) => i.extension === t.value);
      return ivr ? { dest: { type: 'ivr', value: ivr.id }, error: null } : { dest: null, error: `no IVR ${t.value}` };
    }
    case 'external': {
      const number = normalizeE164(t.value, s.deps.settings.defaultCountryCode);
      return number ? { dest: { type: 'external', value: number }, error: null } : { dest: null, error: `not a phone number: ${t.value}` };
    }
  }
}
