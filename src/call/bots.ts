import type { BotBridge } from '../bot/bridge.ts';
import type { Logger } from '../runtime/logger.ts';
import type { BotCall } from '../bot/leg-types.ts';
import { emit, type CallBots, type CallSession, type SnapshotSource } from './session.ts';
import type { PlacedSpec } from '../services/calls/placed-spec.ts';

/**
 * The AI bridge behind CallDeps.bots. src/bot knows no session: each leg gets a BotCall over the call's
 * session (its ids, channel, logger and clock) and reports back through it: bot.connected and bot.ended
 * on the call's bus, and every key pressed into the call's dtmf with a call.dtmf event.
 */
export function botsForCalls(bridge: BotBridge): CallBots {
  return { run: (s, target, options) => bridge.run(botCall(s), target, options) };
}

function botCall(s: CallSession): BotCall {
  return {
    callId: s.callId,
    uuid: s.uuid,
    caller: s.caller,
    did: s.did,
    orgId: s.orgId,
    switchId: s.switchId,
    contact: s.contact ?? null,
    logger: s.logger,
    channel: s.channel,
    now: () => s.deps.now(),
    emit: (event) => emit(s, event),
    pressed(digit) {
      s.record.dtmf += digit;
      emit(s, { type: 'call.dtmf', digits: digit });
    },
  };
}

/**
 * For a placed bot call with `connect: immediate`: opens the bot's connection while the customer's phone
 * rings (held `holdMs` at most), so the bot is there the moment they answer. Other calls: nothing.
 */
export function preconnectPlacedBot(bridge: BotBridge, snapshots: SnapshotSource, holdMs: number, logger?: Logger) {
  const open = async (callId: string, orgId: string, spec: PlacedSpec & { kind: 'bot' }): Promise<void> => {
    const agent = spec.agentId ? (await snapshots.latest?.(orgId))?.agents[spec.agentId] : undefined;
    const target = spec.target ?? (agent ? { ...agent } : null);
    if (target) bridge.preconnect(callId, target, holdMs);
  };
  return (callId: string, orgId: string, spec: PlacedSpec | null): void => {
    if (spec?.kind !== 'bot' || spec.parameters.connect !== 'immediate') return;
    // The agent comes from the org's snapshot (one awaited query at most); the phone rings meanwhile.
    open(callId, orgId, spec).catch((err: unknown) => logger?.warn({ err, callId }, 'could not preconnect the bot'));
  };
}
