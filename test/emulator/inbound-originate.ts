/**
 * Originate for the inbound emulator: two-leg calls with the channel events FreeSWITCH sends to inbound
 * ESL subscribers (CHANNEL_CREATE → CHANNEL_ANSWER → CHANNEL_BRIDGE → CHANNEL_HANGUP_COMPLETE, with
 * Unique-ID, Hangup-Cause, Other-Leg-Unique-ID and variable_* headers, as in inbound-api-bgapi-events.txt).
 * Understands `originate {vars}<dial> '<app:arg,...>' inline` and `originate {vars}<dial> &app(arg)`;
 * the bridge target's `[origination_uuid=...]` names the second leg. Also uuid_kill, uuid_exists, uuid_record.
 * An answered first leg whose inline app is `socket:<host>:<port> full` (a flow, tts or bot call) connects
 * to that outbound server as an EmulatedCall with the leg's uuid and variables; its end is the leg's hangup.
 */
import { randomUUID } from 'node:crypto';
import { coreHeaders, type SwitchIdentity } from './channel-model.ts';
import type { Pairs } from './fs-encode.ts';
import type { CallerScript } from './caller-script.ts';
import { EmulatedCall } from './outbound-call.ts';

export type LegOutcome = 'answer' | 'busy' | 'no-answer' | 'not-listening';

export interface OriginateSimOptions {
  /** What the leg dialled with `dial` does (default answer). */
  outcome?: (dial: string, leg: 'a' | 'b') => LegOutcome;
  /** Ring time before answer / busy (default 5 ms). */
  ringMs?: number;
  /** The second leg hangs up this long after the bridge (default: stays up until uuid_kill). */
  talkMs?: number;
  /** What the answered party of a `socket` call does (keys, hang-up), by dial string. */
  socketScript?: (dial: string) => CallerScript;
  /** The switch's identity on its events and on the `socket` legs it hands to a controller (default the capture's). */
  identity?: SwitchIdentity;
}

interface Channel {
  uuid: string;
  dial: string;
  leg: 'a' | 'b';
  vars: Map<string, string>;
  answered: boolean;
  other?: Channel;
  gone: boolean;
  /** The originate's inline apps (first leg). */
  app?: string;
  /** The call the leg's `socket` app made to an outbound server. */
  socketCall?: EmulatedCall;
}

const CAUSE: Record<Exclude<LegOutcome, 'answer'>, string> = { busy: 'USER_BUSY', 'no-answer': 'NO_ANSWER', 'not-listening': 'NORMAL_TEMPORARY_FAILURE' };

export function parseOriginate(args: string): { vars: Map<string, string>; dial: string; app: string } {
  const m = /^\{([^}]*)\}(\S+)\s+(.*)$/.exec(args.trim()) ?? /^()(\S+)\s+(.*)$/.exec(args.trim());
  const vars = new Map<string, string>();
  for (const kv of (m?.[1] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    vars.set(kv.slice(0, i), kv.slice(i + 1));
  }
  return { vars, dial: m?.[2] ?? '', app: (m?.[3] ?? '').trim() };
}

/** `[origination_uuid=X]sofia/...` out of `'playback:f,bridge:[...]dial' inline` or `&bridge([...]dial)`. */
export function bridgeTarget(app: string): { uuid: string; dial: string } | null {
  const m = /bridge[:(]\[origination_uuid=([^\],]+)[^\]]*\]([^)',\s]+)/.exec(app);
  return m ? { uuid: m[1]!, dial: m[2]! } : null;
}

export class OriginateSimulator {
  readonly #o: OriginateSimOptions;
  readonly #emit: (pairs: Pairs) => void;
  readonly #channels = new Map<string, Channel>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly recordings: string[] = [];
  /** Calls that `socket:` originates made to an outbound server, in order. */
  readonly socketCalls: EmulatedCall[] = [];
  #seq = 400_000;

  constructor(options: OriginateSimOptions, emit: (pairs: Pairs) => void) {
    this.#o = options;
    this.#emit = emit;
  }

  get liveCount(): number {
    return [...this.#channels.values()].filter((c) => !c.gone).length;
  }

  /** Resolves with the originate result body once the first leg answers or fails. */
  originate(args: string): Promise<string> {
    const { vars, dial, app } = parseOriginate(args);
    const a = this.#create(vars.get('origination_uuid') ?? randomUUID(), dial, 'a', vars);
    a.app = app;
    return new Promise((resolve) => {
      this.#after(this.#o.ringMs ?? 5, () => {
        const outcome = this.#o.outcome?.(dial, 'a') ?? 'answer';
        if (outcome !== 'answer') {
          this.#hangup(a, CAUSE[outcome]);
          return resolve(`-ERR ${CAUSE[outcome]}\n`);
        }
        this.#answer(a);
        resolve(`+OK ${a.uuid}\n`);
        const socket = /^'?socket:([^:\s]+):(\d+)\s+(async\s+)?full'?\s+inline$/.exec(app);
        if (socket) return this.#socket(a, socket[1]!, Number(socket[2]), socket[3] ? 'async' : 'static');
        const target = bridgeTarget(app);
        if (target) this.#after(2, () => this.#bridge(a, target));
      });
    });
  }

  api(name: string, args: string[]): string | undefined {
    const ch = this.#channels.get(args[0] ?? '');
    switch (name) {
      case 'uuid_kill':
        if (!ch || ch.gone) return '-ERR No such channel!\n';
        if (ch.socketCall) {
          ch.socketCall.hangup(args[1] ?? 'NORMAL_CLEARING');
          return '+OK\n';
        }
        this.#hangup(ch, args[1] ?? 'NORMAL_CLEARING');
        if (ch.other && !ch.other.gone) this.#hangup(ch.other, 'NORMAL_CLEARING');
        return '+OK\n';
      case 'uuid_exists':
        return ch && !ch.gone ? 'true' : 'false';
      case 'uuid_record':
        if (!ch || ch.gone) return '-ERR Cannot locate session!\n';
        this.recordings.push(args[2] ?? '');
        return '+OK Success\n';
      default:
        return undefined;
    }
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** The answered leg runs `socket`: our outbound server gets the call; the leg ends when that call does. */
  #socket(a: Channel, host: string, port: number, socketMode: 'static' | 'async'): void {
    const variables: Record<string, string> = { direction: 'outbound' };
    for (const [k, v] of a.vars) if (k.startsWith('sb_') || k.startsWith('origination_')) variables[k] = v;
    const call = new EmulatedCall({
      host, port, socketMode, uuid: a.uuid, destination: a.dial.split('/').at(-1) ?? '', callerIdNumber: a.vars.get('origination_caller_id_number') ?? '',
      variables, script: this.#o.socketScript?.(a.dial) ?? {}, timeScale: 0.05, ...(this.#o.identity ? { switchIdentity: this.#o.identity } : {}),
    });
    call.model.answerState = 'answered';
    call.model.callState = 'ACTIVE';
    call.model.answeredUs = Date.now() * 1000;
    a.socketCall = call;
    this.socketCalls.push(call);
    void call.done.then((summary) => this.#hangup(a, summary.hangupCause ?? 'NORMAL_CLEARING'));
  }

  #bridge(a: Channel, target: { uuid: string; dial: string }): void {
    if (a.gone) return;
    // `export:name=value` apps before the bridge: the second leg carries those variables (as FreeSWITCH's export does).
    const exported = [...(a.app ?? '').matchAll(/export:([\w]+)=([^,']*)/g)].map((m) => [m[1]!, m[2]!] as const);
    const b = this.#create(target.uuid, target.dial, 'b', new Map([['origination_uuid', target.uuid], ...exported]));
    this.#after(this.#o.ringMs ?? 5, () => {
      if (a.gone) return this.#hangup(b, 'ORIGINATOR_CANCEL');
      const outcome = this.#o.outcome?.(target.dial, 'b') ?? 'answer';
      if (outcome !== 'answer') {
        this.#hangup(b, CAUSE[outcome]);
        // No continue_on_fail: the failed bridge hangs the first leg up too (fact 9).
        return this.#hangup(a, CAUSE[outcome]);
      }
      this.#answer(b);
      a.other = b;
      b.other = a;
      this.#event(a, 'CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', a.uuid], ['Bridge-B-Unique-ID', b.uuid], ['Other-Leg-Unique-ID', b.uuid]]);
      if (this.#o.talkMs !== undefined) {
        this.#after(this.#o.talkMs, () => {
          if (b.gone) return;
          this.#hangup(b, 'NORMAL_CLEARING');
          if (!a.gone) this.#hangup(a, 'NORMAL_CLEARING');
        });
      }
    });
  }

  #create(uuid: string, dial: string, leg: 'a' | 'b', vars: Map<string, string>): Channel {
    const ch: Channel = { uuid, dial, leg, vars, answered: false, gone: false };
    this.#channels.set(uuid, ch);
    this.#event(ch, 'CHANNEL_CREATE');
    return ch;
  }

  #answer(ch: Channel): void {
    ch.answered = true;
    this.#event(ch, 'CHANNEL_ANSWER');
  }

  #hangup(ch: Channel, cause: string): void {
    if (ch.gone) return;
    ch.gone = true;
    this.#event(ch, 'CHANNEL_HANGUP_COMPLETE', [['Hangup-Cause', cause], ['variable_hangup_cause', cause]]);
  }

  #event(ch: Channel, name: string, extra: Pairs = []): void {
    const pairs: Pairs = [
      ...coreHeaders(name, 'switch_core_session_run', this.#seq++, undefined, this.#o.identity),
      ['Channel-State', ch.gone ? 'CS_REPORTING' : 'CS_EXECUTE'],
      ['Channel-Call-State', ch.gone ? 'HANGUP' : ch.answered ? 'ACTIVE' : 'RINGING'],
      ['Channel-Name', ch.dial],
      ['Unique-ID', ch.uuid],
      ['Call-Direction', 'outbound'],
      ['Answer-State', ch.gone ? 'hangup' : ch.answered ? 'answered' : 'ringing'],
      ['Caller-Caller-ID-Number', ch.vars.get('origination_caller_id_number') ?? ''],
      ['Caller-Destination-Number', ch.dial.split('/').at(-1) ?? ''],
      ['Caller-Unique-ID', ch.uuid],
      ['variable_direction', 'outbound'],
      ['variable_uuid', ch.uuid],
      ...[...ch.vars].map(([k, v]) => [`variable_${k}`, v] as const),
      ...extra,
    ];
    this.#emit(pairs);
  }

  #after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }
}
