import type { BotBridge } from '../bot/bridge.ts';
import type { BotCall } from '../bot/leg-types.ts';
import { emit, type CallBots, type CallSession } from './session.ts';

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
