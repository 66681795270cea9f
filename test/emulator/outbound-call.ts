/**
 * One emulated FreeSWITCH channel that connects to our outbound server exactly like `socket ... async
 * full`: answers `connect` with the channel data, honours myevents / event plain / filter / linger,
 * runs sendmsg executes one at a time (event-lock), and ends like the transcripts (facts 5, 6, 7, 9, 10).
 */
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AppContext, AppOutcome, PlayOutcome } from './app-context.ts';
import { promptMs } from './app-context.ts';
import { APPS } from './apps.ts';
import type { CallerAction, CallerScript, MalformedVariant } from './caller-script.ts';
import { ChannelModel, type ChannelInit } from './channel-model.ts';
import { CommandReader, type ServerCommand } from './command-reader.ts';
import { DigitQueue, sleepUnless } from './digits.ts';
import * as wire from './fs-encode.ts';
import { Recorder } from './recorder.ts';
import { EmulatedUnicast } from './unicast.ts';

export interface PlaceCallOptions extends ChannelInit {
  readonly port: number;
  readonly host?: string;
  readonly script?: CallerScript;
  /** Multiplies prompt durations, linger seconds and FS's ~20 ms execute delay (default 0.05). */
  readonly timeScale?: number;
}

export interface CallSummary {
  readonly uuid: string;
  readonly hungUp: boolean;
  readonly hangupCause: string | undefined;
  /** Who closed the socket. */
  readonly closedBy: 'server' | 'emulator';
}

export class EmulatedCall {
  readonly model: ChannelModel;
  readonly recorder = new Recorder();
  readonly done: Promise<CallSummary>;
  readonly #socket: Socket;
  readonly #script: CallerScript;
  readonly #scale: number;
  readonly #digits = new DigitQueue();
  readonly #hangup = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #appCounts = new Map<string, number>();
  readonly #subscribed = new Set<string>();
  readonly #filters: Array<readonly [string, string]> = [];
  #myevents = false;
  /** undefined: no linger; -1: bare `linger` (until exit); N: seconds. */
  #linger: number | undefined;
  #apps: Promise<void> = Promise.resolve();
  #running = false;
  #socketAppDone = false;
  #tailStarted = false;
  #closedByUs = false;
  /** unicast sessions started on this socket session, in order */
  readonly unicasts: EmulatedUnicast[] = [];
  #unicastWaiters: Array<(u: EmulatedUnicast) => void> = [];

  constructor(options: PlaceCallOptions) {
    this.model = new ChannelModel(options);
    this.model.setVar('current_application_data', `127.0.0.1:${options.port} async full`);
    this.model.setVar('current_application', 'socket');
    this.model.setVar('socket_host', '127.0.0.1');
    this.#script = options.script ?? {};
    this.#scale = options.timeScale ?? 0.05;
    const reader = new CommandReader();
    this.#socket = connect({ host: options.host ?? '127.0.0.1', port: options.port });
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk: Buffer) => {
      this.recorder.record('out', chunk);
      for (const command of reader.feed(chunk)) this.#onCommand(command);
    });
    this.#socket.on('error', () => undefined);
    this.done = new Promise((resolve) => {
      this.#socket.on('close', () => {
        for (const u of this.unicasts) u.stop('socket-closed');
        for (const t of this.#timers) clearTimeout(t);
        this.#timers.clear();
        if (!this.#hangup.signal.aborted) this.#hangup.abort();
        resolve({
          uuid: this.model.uuid,
          hungUp: this.model.hangupCause !== undefined,
          hangupCause: this.model.hangupCause,
          closedBy: this.#closedByUs ? 'emulator' : 'server',
        });
      });
    });
  }

  get uuid(): string {
    return this.model.uuid;
  }

  /** The caller presses keys now (DTMF events + the channel's digit queue). */
  pressDigits(digits: string, gapMs = 0): void {
    [...digits].forEach((d, i) => this.#after(i * gapMs, () => this.#pressDigit(d)));
  }

  /** The caller hangs up now. */
  hangup(cause = 'NORMAL_CLEARING'): void {
    this.#hangupChannel(cause);
  }

  /** Abrupt close (RST): the server sees ECONNRESET. */
  drop(): void {
    this.#closedByUs = true;
    this.#socket.resetAndDestroy();
  }

  sendMalformed(variant: MalformedVariant): void {
    const odd = 'Event-Name: CUSTOM\nEvent-Subclass: emulator::odd\nOdd-Value: 100%zz%E0%A4%A\nTail: %E2%82%AC\n\n';
    const frames: Record<MalformedVariant, string> = {
      'bad-escape': `Content-Length: ${Buffer.byteLength(odd)}\nContent-Type: text/event-plain\n\n${odd}`,
      'truncated-body': 'Content-Length: 500\nContent-Type: text/event-plain\n\nEvent-Name: CHANNEL_EXECUTE\nCore-UUID: x',
      'bad-content-length': 'Content-Length: abc\nContent-Type: text/event-plain\n\n',
      'garbage-header': 'this is not a header line\n\n',
    };
    this.#write(Buffer.from(frames[variant]));
    if (variant === 'truncated-body') this.#close();
  }

  #after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  #write(bytes: Buffer): void {
    if (this.#socket.destroyed || this.#socket.writableEnded) return;
    this.recorder.record('in', bytes);
    this.#socket.write(bytes);
  }

  #reply(text: string): void {
    this.#write(wire.commandReply(text));
  }

  #close(): void {
    this.#closedByUs = true;
    if (!this.#socket.destroyed) this.#socket.end();
  }

  #emit(name: string, extra: wire.Pairs = [], options: { withVariables?: boolean; subclass?: string } = {}): void {
    const wanted =
      (name === 'CUSTOM'
        ? this.#subscribed.has('ALL') || (options.subclass !== undefined && this.#subscribed.has(options.subclass))
        : this.#myevents || this.#subscribed.has(name) || this.#subscribed.has('ALL'));
    if (!wanted) return;
    const pairs = this.model.event(name, extra, options);
    if (this.#filters.length > 0 && !this.#filters.some(([h, v]) => pairs.some(([k, x]) => k === h && x === v))) return;
    this.#write(wire.eventPlain(pairs));
  }

  #onCommand(command: ServerCommand): void {
    const [verb = '', ...rest] = command.line.split(' ');
    const args = rest.join(' ');
    switch (verb) {
      case 'connect':
        if (this.#script.ignoreConnect) return;
        this.#write(Buffer.from(`${wire.encodePairs(this.model.connectReply())}\n`));
        this.#startScript();
        return;
      case 'myevents':
        this.#myevents = true;
        return this.#reply('+OK Events Enabled');
      case 'linger': {
        const seconds = args === '' ? -1 : Number(args);
        this.#linger = Number.isFinite(seconds) ? seconds : -1;
        return this.#reply(args === '' ? '+OK will linger' : `+OK will linger ${seconds} seconds`);
      }
      case 'nolinger':
        this.#linger = undefined;
        return this.#reply('+OK will not linger');
      case 'event': {
        const names = rest.slice(1).filter((n) => n !== '');
        for (const n of names) this.#subscribed.add(n);
        return this.#reply(`+OK event listener enabled ${rest[0] ?? 'plain'}`);
      }
      case 'noevents':
        this.#myevents = false;
        this.#subscribed.clear();
        return this.#reply('+OK no longer listening for events');
      case 'filter': {
        const [header = '', ...value] = rest;
        this.#filters.push([header, value.join(' ')]);
        return this.#reply(`+OK filter added. [${header}]=[${value.join(' ')}]`);
      }
      case 'sendmsg':
        return this.#sendmsg(args.trim(), command.headers);
      case 'api':
        return this.#api(args);
      case 'exit':
        this.#reply('+OK bye');
        this.#write(wire.disconnectNotice(this.model.uuid));
        return this.#close();
      default:
        return this.#reply('-ERR command not found');
    }
  }

  #sendmsg(uuid: string, headers: Map<string, string>): void {
    if (uuid !== '' && uuid !== this.model.uuid) return this.#reply(`-ERR invalid session id [${uuid}]`);
    this.#reply('+OK');
    const kind = headers.get('call-command');
    if (kind === 'execute') {
      const app = headers.get('execute-app-name') ?? '';
      const arg = headers.get('execute-app-arg') ?? '';
      const appUuid = headers.get('Event-UUID') ?? randomUUID();
      // Fact 5: after the hangup the +OK still comes, but the app never runs or completes.
      this.#apps = this.#apps.then(() => this.#runApp(app, arg, appUuid));
    } else if (kind === 'hangup') {
      this.#after(1, () => this.#hangupChannel(headers.get('hangup-cause') ?? 'NORMAL_CLEARING'));
    } else if (kind === 'unicast') {
      void this.#startUnicast(headers);
    }
    // nomedia / others: acknowledged; the emulator carries no media.
  }

  /** Resolves with the first unicast session (started by our server's `sendmsg unicast`). */
  unicastStarted(): Promise<EmulatedUnicast> {
    const first = this.unicasts[0];
    if (first) return Promise.resolve(first);
    return new Promise((resolve) => this.#unicastWaiters.push(resolve));
  }

  async #startUnicast(h: Map<string, string>): Promise<void> {
    if (this.#hangup.signal.aborted) return;
    const u = await EmulatedUnicast.start(
      {
        localIp: h.get('local-ip') ?? '127.0.0.1',
        localPort: Number(h.get('local-port')),
        remoteIp: h.get('remote-ip') ?? '127.0.0.1',
        remotePort: Number(h.get('remote-port')),
        native: (h.get('flags') ?? '').split(/[ ,|]/).includes('native'),
      },
      this.#script.unicastAudio ?? 'tone',
    );
    this.unicasts.push(u);
    // Only one unicast per socket session: a second one is torn down ~20 ms after it starts.
    if (this.unicasts.length > 1) this.#after(20, () => u.stop('second-unicast'));
    for (const w of this.#unicastWaiters.splice(0)) w(u);
  }

  #api(command: string): void {
    const [name = '', uuid = '', ...rest] = command.split(' ');
    if (name === 'uuid_transfer' && uuid === this.model.uuid) {
      this.#write(wire.apiResponse('+OK\n'));
      void this.#transferNow(rest[0] ?? '');
      return;
    }
    if (name === 'uuid_answer' && uuid === this.model.uuid) {
      // Runs in the socket's thread at once (no park tick), like the real switch.
      if (this.#hangup.signal.aborted) return this.#write(wire.apiResponse('-ERR No such channel!\n'));
      if (this.model.answerState === 'ringing') {
        this.model.answerState = 'answered';
        this.model.answeredUs = Date.now() * 1000;
        this.model.callState = 'ACTIVE';
        this.model.setVar('endpoint_disposition', 'ANSWER');
        this.#emit('CHANNEL_ANSWER');
      }
      this.#write(wire.apiResponse('+OK\n'));
      return;
    }
    if (name === 'uuid_kill' && uuid === this.model.uuid) {
      this.#write(wire.apiResponse('+OK\n'));
      this.#after(1, () => this.#hangupChannel(rest[0] ?? 'NORMAL_CLEARING'));
      return;
    }
    this.#write(wire.apiResponse(`-ERR ${name} Command not found!\n`));
  }

  async #transferNow(destination: string): Promise<void> {
    this.#leaveSocket();
    const plan = this.#script.transferDialplan?.(destination) ?? [['hangup', 'NORMAL_CLEARING']];
    await this.#runDialplan(plan);
  }

  #leaveSocket(): void {
    if (this.#socketAppDone) return;
    this.#emit('CHANNEL_UNPARK');
    this.#emit('CHANNEL_EXECUTE_COMPLETE', [
      ['Application', 'socket'],
      ['Application-Data', '127.0.0.1:8084 async full'],
      ['Application-Response', '_none_'],
      ['Application-UUID', this.model.socketAppUuid],
    ]);
    this.#socketAppDone = true;
  }

  async #runDialplan(apps: ReadonlyArray<readonly [string, string?]>): Promise<void> {
    for (const [app, arg] of apps) {
      if (this.#hangup.signal.aborted) return;
      await this.#runApp(app, arg ?? '', randomUUID());
    }
  }

  async #runApp(app: string, arg: string, appUuid: string): Promise<void> {
    if (this.#hangup.signal.aborted || this.#socket.destroyed) return;
    this.#running = true;
    // Unicast pumps only while the channel is parked: any app stops it (and tears it down).
    for (const u of this.unicasts) u.stop('app');
    if (arg) this.model.setVar('current_application_data', arg);
    this.model.setVar('current_application', app);
    await sleepUnless(20 * this.#scale, new AbortController().signal);
    const data: wire.Pairs = arg ? [['Application-Data', arg]] : [];
    this.#emit('CHANNEL_EXECUTE', [['Application', app], ...data, ['Application-UUID', appUuid]]);
    const nth = (this.#appCounts.get(app) ?? 0) + 1;
    this.#appCounts.set(app, nth);
    this.#fireAppTriggers(app, nth);
    const handler = APPS[app];
    let outcome: AppOutcome = { response: '-ERR invalid application' };
    if (handler && !this.#hangup.signal.aborted) outcome = await handler(this.#context(app, arg));
    else if (handler) outcome = { response: '_none_' };
    this.#emit('CHANNEL_EXECUTE_COMPLETE', [
      ['Application', app],
      ...data,
      ['Application-Response', outcome.response ?? '_none_'],
      ['Application-UUID', appUuid],
      ...(outcome.completeHeaders ?? []),
    ]);
    this.#running = false;
    if (this.#hangup.signal.aborted) return this.#tail();
    await outcome.afterComplete?.();
  }

  #context(app: string, arg: string): AppContext {
    const signal = this.#hangup.signal;
    return {
      app,
      arg,
      model: this.model,
      digits: this.#digits,
      hangupSignal: signal,
      script: this.#script,
      timeScale: this.#scale,
      emit: (name, extra, options) => this.#emit(name, extra, options),
      hangup: (cause) => this.#hangupChannel(cause),
      play: (file, interrupt) => this.#play(file, interrupt),
      sleep: (ms) => sleepUnless(ms, signal),
      runDialplan: (apps) => this.#runDialplan(apps),
      leaveSocket: () => this.#leaveSocket(),
    };
  }

  async #play(file: string, interrupt: (digit: string) => boolean): Promise<PlayOutcome> {
    const signal = this.#hangup.signal;
    const end = Date.now() + promptMs(file) * this.#scale;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0) return 'done';
      const got = await this.#digits.wait(left, signal);
      if (signal.aborted) return 'hangup';
      if (!got) return 'done';
      if (interrupt(this.#digits.peek()!)) return 'digit';
      this.#digits.shift();
    }
  }

  #pressDigit(digit: string): void {
    if (this.#hangup.signal.aborted) return;
    this.#emit('DTMF', [['DTMF-Digit', digit], ['DTMF-Duration', '1280'], ['DTMF-Source', 'RTP']], { withVariables: false });
    for (const u of this.unicasts) if (u.active) u.dtmfFiller();
    this.#digits.push(digit);
  }

  #hangupChannel(cause: string): void {
    if (this.#hangup.signal.aborted || this.#socket.destroyed) return;
    this.model.hangupCause = cause;
    this.model.answerState = 'hangup';
    this.model.hangupUs = Date.now() * 1000;
    this.#emit('CHANNEL_HANGUP');
    for (const u of this.unicasts) u.stop('hangup');
    this.#hangup.abort();
    if (!this.#running) void this.#tail();
  }

  /** Fact 6: UNPARK, the socket app's EXECUTE_COMPLETE, CHANNEL_STATE ×2, HANGUP_COMPLETE, notice. */
  async #tail(): Promise<void> {
    if (this.#tailStarted) return;
    this.#tailStarted = true;
    this.#leaveSocket();
    this.model.state = 'CS_HANGUP';
    this.#emit('CHANNEL_STATE');
    this.model.state = 'CS_REPORTING';
    this.model.callState = 'HANGUP';
    this.#emit('CHANNEL_STATE');
    this.#emit('CHANNEL_HANGUP_COMPLETE');
    if (this.#linger === undefined) {
      this.#write(wire.disconnectNotice(this.model.uuid));
      return this.#close();
    }
    this.#write(wire.lingerNotice(this.model.uuid, this.model.channelName, this.#linger));
    if (this.#linger >= 0) {
      this.#after(this.#linger * 1000 * this.#scale, () => {
        this.#write(wire.disconnectNotice(this.model.uuid));
        this.#close();
      });
    }
  }

  #startScript(): void {
    for (const step of this.#script.steps ?? []) {
      if ('atMs' in step.when) {
        const action = step.do;
        this.#after(step.when.atMs, () => this.#perform(action));
      }
    }
  }

  #fireAppTriggers(app: string, nth: number): void {
    for (const step of this.#script.steps ?? []) {
      const w = step.when;
      if ('onApp' in w && w.onApp === app && (w.nth ?? 1) === nth) {
        const action = step.do;
        this.#after(w.afterMs ?? 0, () => this.#perform(action));
      }
    }
  }

  #perform(action: CallerAction): void {
    switch (action.kind) {
      case 'dtmf':
        return this.pressDigits(action.digits, action.gapMs ?? 0);
      case 'hangup':
        return this.hangup(action.cause);
      case 'drop':
        return this.drop();
      case 'malformed':
        return this.sendMalformed(action.variant);
    }
  }
}
