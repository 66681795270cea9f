/** The collaborators a simulated call gets instead of the ones with side effects: they keep, send and open nothing. */
import type { CallBots, CallLogWriter, CallStorage } from '../call/session.ts';
import type { BotLegStats } from '../bot/leg-types.ts';
import type { SimulatedChannel } from './simulated-channel.ts';

/** No call_logs row. */
export const NO_CALL_LOG: CallLogWriter = Object.freeze({
  start: () => undefined,
  finish: async () => undefined,
});

/** No callback request, bot leg, voicemail message or recording row, and no folder made. */
export const NO_STORAGE: CallStorage = Object.freeze({
  callback: () => undefined,
  botLeg: () => undefined,
  voicemail: () => undefined,
  recording: () => undefined,
  folder: () => undefined,
});

const NO_STATS: Readonly<BotLegStats> = Object.freeze({
  framesFromCaller: 0, framesToBot: 0, droppedToBot: 0, framesToCaller: 0, silenceFrames: 0,
  droppedFromBot: 0, skippedFromBot: 0, invalidMessages: 0, marks: 0,
});

/**
 * The AI bridge of a simulated call: no WebSocket, no media. The call is handed to the agent (the walk ends
 * there) and comes back as a real one does when the caller hangs up on the bot.
 */
export function simulatedBots(sim: SimulatedChannel): CallBots {
  return {
    async run(s, target) {
      sim.handOver({ kind: 'bot', target: target.id ?? target.wsUrl });
      return {
        streamId: 'simulated', end: { kind: 'caller_hangup' }, connected: true,
        startedAt: s.deps.now().toISOString(), durationMs: 0, dtmf: '', stats: { ...NO_STATS },
      };
    },
  };
}
