/**
 * A lean FreeSWITCH stand-in for the call benchmarks: the switch side of `socket host:port async full`,
 * cheap enough to drive thousands of calls from one core. It speaks the same ESL bytes as
 * test/emulator (frames built once with its ChannelModel and encoders, then copied per call with the
 * uuids patched in place: every uuid is 36 bytes, so Content-Length never changes).
 *
 * Apps complete at once (no media, no ~20 ms execute delay); `play_and_get_digits` takes the next digit
 * of the call's script, or parks until `release(digit)` when the script says `hold`. Events honour the
 * `event plain` / `myevents` subscription, as FreeSWITCH does.
 */
import { connect, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ChannelModel } from '../test/emulator/channel-model.ts';
import * as wire from '../test/emulator/fs-encode.ts';

/** Placeholders patched per call (36 bytes, URL-encoding leaves them as they are). */
const CALL_PH = '00000000-0000-4000-8000-0000000ca11d';
const APP_PH = '00000000-0000-4000-8000-000000000a99';
const SOCKET_APP_UUID = '5ec0a7b0-0000-4000-8000-000000000001';

/** Bytes with the call uuid / app uuid at known offsets. */
class Template {
  readonly #bytes: Buffer;
  readonly #callAt: number[];
  readonly #appAt: number[];

  constructor(bytes: Buffer) {
    this.#bytes = bytes;
    this.#callAt = offsets(bytes, CALL_PH);
    this.#appAt = offsets(bytes, APP_PH);
  }

  get length(): number {
    return this.#bytes.length;
  }

  fill(callUuid: string, appUuid = ''): Buffer {
    const out = Buffer.allocUnsafe(this.#bytes.length);
    this.fillInto(out, 0, callUuid, appUuid);
    return out;
  }

  /** Writes the frame at `offset` of `out` (which has room for it); returns the offset after it. */
  fillInto(out: Buffer, offset: number, callUuid: string, appUuid = ''): number {
    this.#bytes.copy(out, offset);
    for (const at of this.#callAt) out.write(callUuid, offset + at, 36, 'latin1');
    if (appUuid.length === 36) for (const at of this.#appAt) out.write(appUuid, offset + at, 36, 'latin1');
    return offset + this.#bytes.length;
  }
}

function offsets(bytes: Buffer, needle: string): number[] {
  const out: number[] = [];
  for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) out.push(at);
  return out;
}

/** Frames built once per distinct (event, app, arg, digit), from the emulator's channel model. */
class Templates {
  readonly #cache = new Map<string, Template>();
  readonly #replies = new Map<string, Buffer>();

  constructor(
    readonly destination: string,
    readonly callerIdNumber: string,
  ) {}

  #model(answered: boolean): ChannelModel {
    const m = new ChannelModel({ uuid: CALL_PH, destination: this.destination, callerIdNumber: this.callerIdNumber });
    m.setVar('current_application_data', '127.0.0.1:8084 async full');
    m.setVar('current_application', 'socket');
    m.setVar('socket_host', '127.0.0.1');
    if (answered) {
      m.answerState = 'answered';
      m.callState = 'ACTIVE';
      m.answeredUs = m.createdUs + 1000;
    }
    return m;
  }

  #get(key: string, build: () => Buffer): Template {
    let t = this.#cache.get(key);
    if (!t) this.#cache.set(key, (t = new Template(build())));
    return t;
  }

  reply(text: string): Buffer {
    let b = this.#replies.get(text);
    if (!b) this.#replies.set(text, (b = wire.commandReply(text)));
    return b;
  }

  connectReply(): Template {
    return this.#get('connect', () => Buffer.from(`${wire.encodePairs(this.#model(false).connectReply())}\n`));
  }

  /** CHANNEL_EXECUTE_COMPLETE of `app`; for play_and_get_digits with `digit` set into `varName`. */
  executeComplete(app: string, arg: string, digit?: string, varName?: string): Template {
    return this.#get(`ec\0${app}\0${arg}\0${digit ?? ''}`, () => {
      const m = this.#model(true);
      if (arg) m.setVar('current_application_data', arg);
      m.setVar('current_application', app);
      let response = '_none_';
      if (app === 'play_and_get_digits') {
        if (digit !== undefined && varName) m.setVar(varName, digit);
        m.setVar('read_result', digit === undefined ? 'failure' : 'success');
      }
      if (app === 'playback') response = 'FILE PLAYED';
      if (app === 'bridge') m.setVar('originate_disposition', 'SUCCESS');
      const data: wire.Pairs = arg ? [['Application-Data', arg]] : [];
      return wire.eventPlain(m.event('CHANNEL_EXECUTE_COMPLETE', [['Application', app], ...data, ['Application-Response', response], ['Application-UUID', APP_PH]]));
    });
  }

  dtmf(digit: string): Template {
    return this.#get(`dtmf\0${digit}`, () =>
      wire.eventPlain(this.#model(true).event('DTMF', [['DTMF-Digit', digit], ['DTMF-Duration', '1280'], ['DTMF-Source', 'RTP']], { withVariables: false })),
    );
  }

  /** CHANNEL_HANGUP then fact 6's tail (UNPARK, socket EXECUTE_COMPLETE, STATE ×2, HANGUP_COMPLETE), as subscribed. */
  hangupEvents(wanted: (name: string) => boolean, subsKey: string): Template {
    return this.#get(`hangup\0${subsKey}`, () => {
      const m = this.#model(true);
      m.hangupCause = 'NORMAL_CLEARING';
      m.answerState = 'hangup';
      m.hangupUs = m.answeredUs + 1000;
      const out: Buffer[] = [];
      const emit = (name: string, extra: wire.Pairs = []): void => {
        if (wanted(name)) out.push(wire.eventPlain(m.event(name, extra)));
      };
      emit('CHANNEL_HANGUP');
      emit('CHANNEL_UNPARK');
      emit('CHANNEL_EXECUTE_COMPLETE', [
        ['Application', 'socket'],
        ['Application-Data', '127.0.0.1:8084 async full'],
        ['Application-Response', '_none_'],
        ['Application-UUID', SOCKET_APP_UUID],
      ]);
      m.state = 'CS_HANGUP';
      emit('CHANNEL_STATE');
      m.state = 'CS_REPORTING';
      m.callState = 'HANGUP';
      emit('CHANNEL_STATE');
      emit('CHANNEL_HANGUP_COMPLETE');
      return Buffer.concat(out);
    });
  }

  lingerNotice(seconds: number): Template {
    return this.#get(`linger\0${seconds}`, () => wire.lingerNotice(CALL_PH, this.#model(true).channelName, seconds));
  }

  disconnectNotice(): Template {
    return this.#get('disconnect', () => wire.disconnectNotice(CALL_PH));
  }
}

export interface StandInCallScript {
  /** Per play_and_get_digits, in order: the digit pressed, or `hold` (park until `release`). Past the end: no input. */
  readonly pagd: ReadonlyArray<string | 'hold'>;
  /** Called when a `hold` play_and_get_digits starts waiting (nth from 1). */
  readonly onParked?: (call: StandInCall, nth: number) => void;
  /** Called with the time from `release()` writing the EXECUTE_COMPLETE to the next command arriving. */
  readonly onReplyLatency?: (ms: number) => void;
}

export interface StandInCallResult {
  readonly ok: boolean;
  readonly ms: number;
  readonly reason: string;
  readonly bytesIn: number;
  readonly bytesOut: number;
}

/** One channel connecting to the server under test. */
export class StandInCall {
  readonly uuid = randomUUID();
  readonly done: Promise<StandInCallResult>;
  readonly #socket: Socket;
  readonly #t: Templates;
  readonly #script: StandInCallScript;
  readonly #t0 = performance.now();
  readonly #subs = new Set<string>();
  #subsKey = '';
  readonly #nameFilters = new Set<string>();
  #filterAll = false;
  #myevents = false;
  #linger: number | undefined;
  #hungUp = false;
  #exited = false;
  /** No `linger`: FreeSWITCH closes the socket itself right after the hangup (no `exit` needed). */
  #closedAfterHangup = false;
  #pagdCount = 0;
  #held: { app: string; arg: string; varName: string; appUuid: string } | undefined;
  #releasedAt = 0;
  #buffer = '';
  /** FreeSWITCH → server bytes (the transcripts' `in`) and server → FreeSWITCH (`out`). */
  bytesIn = 0;
  bytesOut = 0;

  constructor(port: number, templates: Templates, script: StandInCallScript) {
    this.#t = templates;
    this.#script = script;
    this.#socket = connect({ host: '127.0.0.1', port });
    this.#socket.setNoDelay(true);
    this.#socket.on('data', this.#onData);
    this.#socket.on('error', () => undefined);
    this.done = new Promise((resolve) => {
      this.#socket.on('close', () =>
        resolve({
          ok: this.#hungUp && (this.#exited || this.#closedAfterHangup),
          ms: performance.now() - this.#t0,
          reason: this.#hungUp ? 'closed before exit' : this.#exited ? 'exit before hangup' : 'closed before hangup',
          bytesIn: this.bytesIn,
          bytesOut: this.bytesOut,
        }),
      );
    });
  }

  /** The caller presses `digit` while the held play_and_get_digits waits: DTMF + EXECUTE_COMPLETE in one write. */
  release(digit: string): void {
    const h = this.#held;
    if (!h || this.#socket.destroyed || this.#socket.writableEnded) return;
    this.#held = undefined;
    // Both frames filled into one buffer: the stand-in allocates as little as it can in the timed path.
    const dtmf = this.#wants('DTMF') ? this.#t.dtmf(digit) : undefined;
    const complete = this.#wants('CHANNEL_EXECUTE_COMPLETE') ? this.#t.executeComplete(h.app, h.arg, digit, h.varName) : undefined;
    const bytes = Buffer.allocUnsafe((dtmf?.length ?? 0) + (complete?.length ?? 0));
    const at = dtmf ? dtmf.fillInto(bytes, 0, this.uuid) : 0;
    complete?.fillInto(bytes, at, this.uuid, h.appUuid);
    this.bytesIn += bytes.length;
    this.#releasedAt = performance.now();
    this.#socket.write(bytes);
  }

  destroy(): void {
    this.#socket.destroy();
  }

  /**
   * Subscribed (`myevents` / `event plain`) and through the filters, as mod_event_socket decides: with
   * any filter set an event passes when one matches. A filter on another header (`Unique-ID`: this
   * call's one channel) matches every event here.
   */
  #wants(name: string): boolean {
    if (!(this.#myevents || this.#subs.has(name) || this.#subs.has('ALL'))) return false;
    return this.#filterAll || this.#nameFilters.size === 0 || this.#nameFilters.has(name);
  }

  /** The cache key of the hangup templates: everything #wants depends on. */
  #rekey(): void {
    const filters = this.#filterAll ? '*' : [...this.#nameFilters].sort().join(',');
    this.#subsKey = `${[...this.#subs].sort().join(' ')}${this.#myevents ? ' +my' : ''} |${filters}`;
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#releasedAt !== 0) {
      this.#script.onReplyLatency?.(performance.now() - this.#releasedAt);
      this.#releasedAt = 0;
    }
    this.bytesOut += chunk.length;
    this.#buffer += chunk.toString('latin1');
    const out: Buffer[] = [];
    for (;;) {
      let start = 0;
      while (this.#buffer.charCodeAt(start) === 10) start++;
      const end = this.#buffer.indexOf('\n\n', start);
      if (end === -1) {
        this.#buffer = this.#buffer.slice(start);
        break;
      }
      const block = this.#buffer.slice(start, end);
      this.#buffer = this.#buffer.slice(end + 2);
      this.#onCommand(block, out);
    }
    if (out.length === 0 || this.#socket.writableEnded) return;
    const bytes = out.length === 1 ? out[0]! : Buffer.concat(out);
    this.bytesIn += bytes.length;
    this.#socket.write(bytes);
    if (this.#hungUp && this.#linger === undefined) this.#closedAfterHangup = true;
    if (this.#exited || this.#closedAfterHangup) this.#socket.end();
  };

  #onCommand(block: string, out: Buffer[]): void {
    const nl = block.indexOf('\n');
    const line = nl === -1 ? block : block.slice(0, nl);
    const space = line.indexOf(' ');
    const verb = space === -1 ? line : line.slice(0, space);
    const args = space === -1 ? '' : line.slice(space + 1);
    const t = this.#t;
    switch (verb) {
      case 'connect':
        out.push(t.connectReply().fill(this.uuid));
        return;
      case 'myevents':
        this.#myevents = true;
        this.#rekey();
        out.push(t.reply('+OK Events Enabled'));
        return;
      case 'linger':
        this.#linger = args === '' ? -1 : Number(args);
        out.push(t.reply(args === '' ? '+OK will linger' : `+OK will linger ${args} seconds`));
        return;
      case 'nolinger':
        this.#linger = undefined;
        out.push(t.reply('+OK will not linger'));
        return;
      case 'event': {
        for (const n of args.split(' ').slice(1)) if (n) this.#subs.add(n);
        this.#rekey();
        out.push(t.reply(`+OK event listener enabled ${args.split(' ')[0] ?? 'plain'}`));
        return;
      }
      case 'filter': {
        const [h = '', ...v] = args.split(' ');
        if (h === 'Event-Name') this.#nameFilters.add(v.join(' '));
        else this.#filterAll = true;
        this.#rekey();
        out.push(t.reply(`+OK filter added. [${h}]=[${v.join(' ')}]`));
        return;
      }
      case 'sendmsg':
        out.push(t.reply('+OK'));
        if (!this.#hungUp) this.#sendmsg(headersOf(block, nl), out);
        return;
      case 'api':
        // `api uuid_answer <uuid>` (how calls are answered): FreeSWITCH runs it in the socket's thread.
        out.push(API_OK);
        return;
      case 'exit':
        this.#exited = true;
        out.push(t.reply('+OK bye'), t.disconnectNotice().fill(this.uuid));
        return;
      default:
        out.push(t.reply('-ERR command not found'));
    }
  }

  #sendmsg(h: Map<string, string>, out: Buffer[]): void {
    const t = this.#t;
    const kind = h.get('call-command');
    if (kind === 'hangup') {
      this.#hungUp = true;
      this.#held = undefined;
      out.push(t.hangupEvents((n) => this.#wants(n), this.#subsKey).fill(this.uuid));
      if (this.#linger === undefined) out.push(t.disconnectNotice().fill(this.uuid));
      else out.push(t.lingerNotice(this.#linger).fill(this.uuid));
      return;
    }
    if (kind !== 'execute') return;
    const app = h.get('execute-app-name') ?? '';
    const arg = h.get('execute-app-arg') ?? '';
    const appUuid = h.get('Event-UUID') ?? '';
    if (app === 'play_and_get_digits') {
      const nth = ++this.#pagdCount;
      const step = this.#script.pagd[nth - 1];
      const varName = arg.split(' ')[7] ?? 'pagd_input';
      if (step === 'hold') {
        this.#held = { app, arg, varName, appUuid };
        this.#script.onParked?.(this, nth);
        return;
      }
      if (step !== undefined && this.#wants('DTMF')) out.push(t.dtmf(step).fill(this.uuid));
      if (this.#wants('CHANNEL_EXECUTE_COMPLETE')) out.push(t.executeComplete(app, arg, step, varName).fill(this.uuid, appUuid));
      return;
    }
    if (this.#wants('CHANNEL_EXECUTE_COMPLETE')) out.push(t.executeComplete(app, arg).fill(this.uuid, appUuid));
  }
}

const API_OK = Buffer.from('Content-Type: api/response\nContent-Length: 4\n\n+OK\n');

function headersOf(block: string, nl: number): Map<string, string> {
  const out = new Map<string, string>();
  if (nl === -1) return out;
  for (const l of block.slice(nl + 1).split('\n')) {
    const c = l.indexOf(':');
    if (c > 0) out.set(l.slice(0, c), l.slice(c + 1).trim());
  }
  return out;
}

/** The switch: places calls to one server port; frames are built once per stand-in. */
export class StandIn {
  readonly #templates: Templates;

  constructor(
    readonly port: number,
    destination: string,
    callerIdNumber = '9800000001',
  ) {
    this.#templates = new Templates(destination, callerIdNumber);
  }

  placeCall(script: StandInCallScript): StandInCall {
    return new StandInCall(this.port, this.#templates, script);
  }
}

export interface WindowResult {
  readonly calls: number;
  readonly failed: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly firstFailure: string | undefined;
}

/**
 * `total` calls, at most `window` in flight, each given `perCallTimeoutMs`; the whole run stops at
 * `deadlineMs` (calls still open are destroyed and counted as failed).
 */
export async function runWindow(
  standIn: StandIn,
  o: { total: number; window: number; script: StandInCallScript; perCallTimeoutMs: number; deadlineMs: number },
): Promise<WindowResult> {
  const durations: number[] = [];
  const live = new Set<StandInCall>();
  let started = 0;
  let failed = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let firstFailure: string | undefined;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const deadline = setTimeout(() => {
      for (const c of live) c.destroy();
    }, o.deadlineMs);
    const next = (): void => {
      if (started >= o.total) {
        if (live.size === 0) {
          clearTimeout(deadline);
          resolve();
        }
        return;
      }
      started++;
      const call = standIn.placeCall(o.script);
      live.add(call);
      const timer = setTimeout(() => call.destroy(), o.perCallTimeoutMs);
      void call.done.then((r) => {
        clearTimeout(timer);
        live.delete(call);
        if (r.ok) durations.push(r.ms);
        else {
          failed++;
          firstFailure ??= r.reason;
        }
        bytesIn += r.bytesIn;
        bytesOut += r.bytesOut;
        if (performance.now() - t0 > o.deadlineMs) started = o.total;
        next();
      });
    };
    for (let i = 0; i < Math.min(o.window, o.total); i++) next();
  });
  const seconds = (performance.now() - t0) / 1000;
  durations.sort((a, b) => a - b);
  const ok = durations.length;
  return {
    calls: ok,
    failed,
    seconds,
    perSecond: ok / seconds,
    p50Ms: quantile(durations, 0.5),
    p99Ms: quantile(durations, 0.99),
    bytesIn: ok + failed > 0 ? bytesIn / (ok + failed) : 0,
    bytesOut: ok + failed > 0 ? bytesOut / (ok + failed) : 0,
    firstFailure,
  };
}

export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}
