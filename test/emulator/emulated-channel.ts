/**
 * One emulated FreeSWITCH channel: its state, the caller (script, keys, hangup), its apps and its unicast
 * media, shared by every outbound socket open on it. The dialplan's socket app opens the first one; the
 * `socket` app run from a socket opens another for the same channel (CallChannel.goAsync). Every event
 * of the channel goes to each open socket of every channel on the same emulated switch (`peers`), as
 * FreeSWITCH's event_handler does: each socket keeps or drops it by its own subscription and filters
 * (and, with `myevents`, by its channel's uuid).
 */
import type { AppContext, AppHandler, AppOutcome, PlayOutcome } from './app-context.ts';
import { promptMs } from './app-context.ts';
import { APPS } from './apps.ts';
import type { CallerAction, CallerScript } from './caller-script.ts';
import { ChannelModel, type ChannelInit } from './channel-model.ts';
import { DigitQueue, sleepUnless } from './digits.ts';
import type * as wire from './fs-encode.ts';
import { EmulatedSocket, type SocketHost, type SocketOrigin } from './emulated-socket.ts';
import { EmulatedUnicast } from './unicast.ts';

export class EmulatedChannel implements SocketHost {
  readonly model: ChannelModel;
  readonly script: CallerScript;
  readonly timeScale: number;
  readonly digits = new DigitQueue();
  /** Every socket opened on this channel, in order (the dialplan's first). */
  readonly sockets: EmulatedSocket[] = [];
  /** Unicast sessions started on this channel, in order. */
  readonly unicasts: EmulatedUnicast[] = [];
  /** Resolves once every socket of the channel is closed. */
  readonly done: Promise<void>;
  readonly #hangup = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #appCounts = new Map<string, number>();
  #unicastWaiters: Array<(u: EmulatedUnicast) => void> = [];
  #appWaiters: Array<{ app: string; nth: number; resolve: () => void }> = [];
  #socketWaiters: Array<() => void> = [];
  #hangupCompleted = false;
  #scriptStarted = false;
  #finished!: () => void;

  readonly #recordFirst: ((dir: 'in' | 'out', data: Buffer) => void) | undefined;
  /** The channels up on the same emulated switch (this one included while it is up). */
  readonly #peers: Set<EmulatedChannel>;

  /**
   * `recordFirst`: where the first socket's bytes go (default: its own recorder). `peers`: the channels of
   * the same emulated switch, whose sockets see this channel's events too (default: this channel alone).
   */
  constructor(
    init: ChannelInit,
    options: { script?: CallerScript; timeScale?: number; recordFirst?: (dir: 'in' | 'out', data: Buffer) => void; peers?: Set<EmulatedChannel> },
  ) {
    this.model = new ChannelModel(init);
    this.#recordFirst = options.recordFirst;
    this.script = options.script ?? {};
    this.timeScale = options.timeScale ?? 0.05;
    this.#peers = options.peers ?? new Set();
    this.#peers.add(this);
    this.done = new Promise((resolve) => (this.#finished = resolve));
    void this.done.then(() => this.#peers.delete(this));
  }

  get gone(): boolean {
    return this.#hangup.signal.aborted;
  }

  /** Connects a new socket to the server (the socket app's work). */
  open(origin: SocketOrigin): EmulatedSocket {
    const socket = new EmulatedSocket(origin, this, this.sockets.length === 0 ? this.#recordFirst : undefined);
    this.sockets.push(socket);
    for (const w of this.#socketWaiters.splice(0)) w();
    return socket;
  }

  /** Resolves with the channel's nth socket (0: the dialplan's) once it is opened. */
  async socket(n: number): Promise<EmulatedSocket> {
    while (!this.sockets[n]) await new Promise<void>((resolve) => this.#socketWaiters.push(resolve));
    return this.sockets[n];
  }

  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    this.#timers.add(t);
  }

  emit(name: string, extra: wire.Pairs = [], options: { withVariables?: boolean; subclass?: string } = {}): void {
    const open = [...this.#peers].flatMap((c) => c.sockets.filter((s) => s.open));
    if (open.length === 0) return;
    const pairs = this.model.event(name, extra, options);
    for (const s of open) s.deliver(name, options.subclass, pairs);
  }

  connected(socket: EmulatedSocket): void {
    if (socket !== this.sockets[0] || this.#scriptStarted) return;
    this.#scriptStarted = true;
    for (const step of this.script.steps ?? []) {
      if ('atMs' in step.when) {
        const action = step.do;
        this.after(step.when.atMs, () => this.perform(action));
      }
    }
  }

  /** The caller presses keys now (DTMF events + the channel's digit queue). */
  pressDigits(digits: string, gapMs = 0): void {
    [...digits].forEach((d, i) => this.after(i * gapMs, () => this.#pressDigit(d)));
  }

  #pressDigit(digit: string): void {
    if (this.gone) return;
    this.emit('DTMF', [['DTMF-Digit', digit], ['DTMF-Duration', '1280'], ['DTMF-Source', 'RTP']], { withVariables: false });
    // While a unicast streams the channel is parked, and the park loop dequeues each key as it comes:
    // nothing is left for a later app (real switch: a bot's keys never reach the next menu).
    const streaming = this.unicasts.filter((u) => u.active);
    for (const u of streaming) u.dtmfFiller();
    if (streaming.length === 0) this.digits.push(digit);
  }

  answer(): void {
    if (this.model.answerState !== 'ringing') return;
    this.model.answerState = 'answered';
    this.model.answeredUs = Date.now() * 1000;
    this.model.callState = 'ACTIVE';
    this.model.setVar('endpoint_disposition', 'ANSWER');
    this.emit('CHANNEL_ANSWER');
  }

  hangup(cause: string): void {
    if (this.gone || !this.sockets.some((s) => s.open)) return;
    this.model.hangupCause = cause;
    this.model.answerState = 'hangup';
    this.model.hangupUs = Date.now() * 1000;
    this.emit('CHANNEL_HANGUP');
    for (const u of this.unicasts) u.stop('hangup');
    this.#hangup.abort();
    for (const s of this.sockets) if (s.open) s.channelDown();
  }

  hangupComplete(): void {
    if (this.#hangupCompleted) return;
    this.#hangupCompleted = true;
    this.model.state = 'CS_HANGUP';
    this.emit('CHANNEL_STATE');
    this.model.state = 'CS_REPORTING';
    this.model.callState = 'HANGUP';
    this.emit('CHANNEL_STATE');
    this.emit('CHANNEL_HANGUP_COMPLETE');
  }

  closed(socket: EmulatedSocket): void {
    if (socket === this.sockets[0] && socket.mode === 'static') {
      // The dialplan's socket app returns once its listener is gone; the others may still see it.
      this.emit('CHANNEL_EXECUTE_COMPLETE', [
        ['Application', 'socket'],
        ['Application-Data', socket.origin.appData],
        ['Application-Response', '_none_'],
        ['Application-UUID', this.model.socketAppUuid],
      ]);
      if (this.model.hangupCause !== undefined) this.hangupComplete();
    }
    if (this.sockets.some((s) => s.open)) return;
    for (const u of this.unicasts) u.stop('socket-closed');
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    if (!this.#hangup.signal.aborted) this.#hangup.abort();
    this.#finished();
  }

  /** Resolves with the first unicast session (started by our server's `sendmsg unicast`). */
  unicastStarted(): Promise<EmulatedUnicast> {
    const first = this.unicasts[0];
    if (first) return Promise.resolve(first);
    return new Promise((resolve) => this.#unicastWaiters.push(resolve));
  }

  async startUnicast(socket: EmulatedSocket, h: Map<string, string>): Promise<void> {
    if (this.gone) return;
    const u = await EmulatedUnicast.start(
      {
        localIp: h.get('local-ip') ?? '127.0.0.1',
        localPort: Number(h.get('local-port')),
        remoteIp: h.get('remote-ip') ?? '127.0.0.1',
        remotePort: Number(h.get('remote-port')),
        native: (h.get('flags') ?? '').split(/[ ,|]/).includes('native'),
      },
      this.script.unicastAudio ?? 'tone',
    );
    this.unicasts.push(u);
    socket.unicasts.push(u);
    if (!socket.open) u.stop('socket-closed');
    // Only one unicast per socket session: a second one is torn down ~20 ms after it starts.
    if (socket.unicasts.length > 1) this.after(20, () => u.stop('second-unicast'));
    for (const w of this.#unicastWaiters.splice(0)) w(u);
  }

  /** How many times `app` started on this channel (any socket). */
  appRuns(app: string): number {
    return this.#appCounts.get(app) ?? 0;
  }

  async runApp(on: EmulatedSocket, app: string, arg: string, appUuid: string): Promise<AppOutcome | undefined> {
    if (this.gone || !on.open) return undefined;
    // Unicast pumps only while the channel is parked: any app stops it (and tears it down).
    for (const u of this.unicasts) u.stop('app');
    if (arg) this.model.setVar('current_application_data', arg);
    this.model.setVar('current_application', app);
    await sleepUnless(20 * this.timeScale, new AbortController().signal);
    const data: wire.Pairs = arg ? [['Application-Data', arg]] : [];
    this.emit('CHANNEL_EXECUTE', [['Application', app], ...data, ['Application-UUID', appUuid]]);
    const nth = (this.#appCounts.get(app) ?? 0) + 1;
    this.#appCounts.set(app, nth);
    this.#fireAppTriggers(app, nth);
    this.#appWaiters = this.#appWaiters.filter((w) => (w.app === app && w.nth === nth ? (w.resolve(), false) : true));
    const handler: AppHandler | undefined = app === 'socket' ? (ctx) => this.#socketApp(ctx) : APPS[app];
    let outcome: AppOutcome = { response: '-ERR invalid application' };
    if (handler && !this.gone) outcome = await handler(this.#context(on, app, arg));
    else if (handler) outcome = { response: '_none_' };
    this.emit('CHANNEL_EXECUTE_COMPLETE', [
      ['Application', app],
      ...data,
      ['Application-Response', outcome.response ?? '_none_'],
      ['Application-UUID', appUuid],
      ...(outcome.completeHeaders ?? []),
    ]);
    outcome.completed?.();
    return outcome;
  }

  /**
   * socket <host:port> [async] [full]: connects another socket for this channel and runs until its park
   * ends: the server closes it (exit), the channel hangs up, or leaves it (mod_callcenter's bridge).
   */
  async #socketApp(ctx: AppContext): Promise<AppOutcome> {
    const [endpoint = '', ...flags] = ctx.arg.split(' ');
    const colon = endpoint.lastIndexOf(':');
    const socket = this.open({
      host: endpoint.slice(0, colon),
      port: Number(endpoint.slice(colon + 1)),
      mode: flags.includes('async') ? 'async' : 'static',
      appData: ctx.arg,
      openedBy: 'app',
    });
    await socket.parkEnded;
    return { response: '_none_', completed: () => socket.socketAppCompleted() };
  }

  #context(on: EmulatedSocket, app: string, arg: string): AppContext {
    const signal = this.#hangup.signal;
    return {
      app,
      arg,
      model: this.model,
      digits: this.digits,
      hangupSignal: signal,
      script: this.script,
      timeScale: this.timeScale,
      emit: (name, extra, options) => this.emit(name, extra, options),
      hangup: (cause) => this.hangup(cause),
      play: (file, interrupt) => this.#play(file, interrupt),
      sleep: (ms) => sleepUnless(ms, signal),
      runDialplan: (apps) => on.runDialplan(apps),
      leaveSocket: () => on.leave(),
    };
  }

  async #play(file: string, interrupt: (digit: string) => boolean): Promise<PlayOutcome> {
    const signal = this.#hangup.signal;
    const end = Date.now() + promptMs(file) * this.timeScale;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0) return 'done';
      const got = await this.digits.wait(left, signal);
      if (signal.aborted) return 'hangup';
      if (!got) return 'done';
      if (interrupt(this.digits.peek()!)) return 'digit';
      this.digits.shift();
    }
  }

  /** Resolves once the nth (1-based) CHANNEL_EXECUTE of `app` is sent (at once if it already was). */
  executed(app: string, nth = 1): Promise<void> {
    if ((this.#appCounts.get(app) ?? 0) >= nth) return Promise.resolve();
    return new Promise((resolve) => this.#appWaiters.push({ app, nth, resolve }));
  }

  #fireAppTriggers(app: string, nth: number): void {
    for (const step of this.script.steps ?? []) {
      const w = step.when;
      if ('onApp' in w && w.onApp === app && (w.nth ?? 1) === nth) {
        const action = step.do;
        this.after(w.afterMs ?? 0, () => this.perform(action));
      }
    }
  }

  perform(action: CallerAction): void {
    switch (action.kind) {
      case 'dtmf':
        return this.pressDigits(action.digits, action.gapMs ?? 0);
      case 'hangup':
        return this.hangup(action.cause ?? 'NORMAL_CLEARING');
      case 'drop':
        for (const s of this.sockets) if (s.open) s.drop();
        return;
      case 'malformed':
        return this.sendMalformed(action.variant);
    }
  }

  sendMalformed(variant: Extract<CallerAction, { kind: 'malformed' }>['variant']): void {
    const first = this.sockets[0];
    if (!first) return;
    const odd = 'Event-Name: CUSTOM\nEvent-Subclass: emulator::odd\nOdd-Value: 100%zz%E0%A4%A\nTail: %E2%82%AC\n\n';
    const frames: Record<typeof variant, string> = {
      'bad-escape': `Content-Length: ${Buffer.byteLength(odd)}\nContent-Type: text/event-plain\n\n${odd}`,
      'truncated-body': 'Content-Length: 500\nContent-Type: text/event-plain\n\nEvent-Name: CHANNEL_EXECUTE\nCore-UUID: x',
      'bad-content-length': 'Content-Length: abc\nContent-Type: text/event-plain\n\n',
      'garbage-header': 'this is not a header line\n\n',
    };
    first.write(Buffer.from(frames[variant]));
    if (variant === 'truncated-body') first.close();
  }
}
