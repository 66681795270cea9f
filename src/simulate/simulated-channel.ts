import { randomUUID } from 'node:crypto';
import { CallSignal } from '../esl/call-signal.ts';
import type { CallChannel, ExecResult } from '../call/channel.ts';

/**
 * Where the simulated call left the walker: the first hand-off. bridge (an extension, an external number, an
 * intercom: the far end answers), queue (an agent answers), voicemail (the caller reaches the box), bot (the
 * caller talks to the AI agent), hangup (the flow hung up), caller_hangup (the keys ran out at a collection).
 */
export type HandOff =
  | { kind: 'bridge' | 'queue' | 'voicemail' | 'bot'; target: string }
  | { kind: 'hangup'; cause: string }
  | { kind: 'caller_hangup' };

/** What the simulator's trace hears from the channel, in the order the walker drives it. */
export interface ChannelObserver {
  /** Before every command (the trace reads the path steps the walker added since the last one). */
  command(): void;
  prompt(file: string): void;
  /** The caller pressed `keys`; the collection took `digits`. */
  input(keys: string, digits: string): void;
}

export interface SimulatedChannel {
  readonly channel: CallChannel;
  /** The first hand-off; null while the walk goes on. */
  handOff(): HandOff | null;
  /** A hand-off the channel does not run itself (the simulator's bot leg): the call ends there. */
  handOver(h: HandOff): void;
  unusedKeys(): string[];
}

const DONE: ExecResult = { completed: true, response: '+OK', variables: {}, headers: {} };
const GONE: ExecResult = { completed: false, response: undefined, variables: {}, headers: {} };

/**
 * A CallChannel with no switch behind it: every command completes at once; each digit collection takes the next
 * scripted key entry ("timeout": no input; none left: the caller hangs up); the first hand-off ends the call as
 * the switch would end a successful one (an answered bridge comes back hung up, hangup_after_bridge; a queue
 * comes back answered; a voicemail recording comes back with the caller gone), so the walker and the actions run
 * their own code to the end with nothing rung, recorded or streamed.
 */
export function simulatedChannel(o: { did: string; caller: string; keys: readonly string[]; observer: ChannelObserver }): SimulatedChannel {
  const signal = new CallSignal();
  const keys = [...o.keys];
  let handOff: HandOff | null = null;
  let cause: string | null = null;

  const end = (h: HandOff): void => {
    if (handOff) return;
    handOff = h;
    cause = h.kind === 'hangup' ? h.cause : 'NORMAL_CLEARING';
    signal.abort(new Error(`simulated call ended: ${h.kind}`));
  };

  const prompts = (file: string): void => {
    const files = file.startsWith('file_string://') ? file.slice('file_string://'.length).split('!') : [file];
    for (const f of files) if (f) o.observer.prompt(f);
  };

  /** play_and_get_digits <min> <max> <tries> <timeout> <terminators> <file> <invalid_file> <var> <regexp> <digit_timeout> */
  const playAndGetDigits = (arg: string): ExecResult => {
    const a = arg.split(' ');
    prompts(a[5] ?? '');
    const entry = keys.shift();
    if (entry === undefined) {
      end({ kind: 'caller_hangup' });
      return GONE;
    }
    if (entry === 'timeout') return DONE;
    const digits = take(entry, Number(a[1] ?? 1), a[4] === 'none' ? '' : (a[4] ?? '#'));
    o.observer.input(entry, digits);
    // FreeSWITCH sets the variable only for input that passed; a lone terminator is no input.
    return digits === '' ? DONE : { ...DONE, variables: { [a[7] ?? 'pagd_input']: digits } };
  };

  const channel: CallChannel = {
    uuid: `sim-${randomUUID()}`,
    destinationNumber: o.did,
    callerIdNumber: o.caller,
    callerIdName: 'Simulator',
    variables: {},
    signal,
    hangupCause: () => cause,
    async execute(app, arg = '') {
      o.observer.command();
      if (signal.aborted) return GONE;
      switch (app) {
        case 'playback':
          prompts(arg);
          return { ...DONE, response: 'FILE PLAYED' };
        case 'play_and_get_digits':
          return playAndGetDigits(arg);
        case 'bridge':
          end({ kind: 'bridge', target: arg });
          // Answered, talked, and hung up inside the bridge (hangup_after_bridge): as the real switch reports it.
          return { ...GONE, variables: { originate_disposition: 'SUCCESS' } };
        case 'callcenter':
          end({ kind: 'queue', target: arg });
          return { ...DONE, variables: { cc_cause: 'answered' } };
        case 'record':
          end({ kind: 'voicemail', target: arg.split(' ')[0] ?? '' });
          return { ...GONE, variables: { record_ms: '0' } };
        default:
          return DONE;
      }
    },
    async waitForHangup() {},
    async subscribe() {},
    onEvent: () => () => undefined,
    async answer() {
      o.observer.command();
      return !signal.aborted;
    },
    async hangup(c) {
      o.observer.command();
      end({ kind: 'hangup', cause: c });
    },
    // Present so an ai_agent route reaches the (simulated) bot instead of "no media": nothing is streamed.
    async startUnicast() {},
    async release() {},
  };

  return { channel, handOff: () => handOff, handOver: end, unusedKeys: () => [...keys] };
}

/** What one digit collection takes of a key entry: up to `max` digits, a terminator ends it (and is not taken). */
function take(entry: string, max: number, terminators: string): string {
  let digits = '';
  for (const d of entry) {
    if (digits.length >= max || terminators.includes(d)) break;
    digits += d;
  }
  return digits;
}
