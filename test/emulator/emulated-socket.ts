/**
 * One outbound ESL connection of an emulated channel, run the way mod_event_socket runs it:
 * - `static` (`socket host:port full`, what the product's dialplan uses): the listener IS the channel's
 *   thread. It reads one command, runs it to the end (a sendmsg execute runs its app, then replies
 *   `+OK`), writes the events queued meanwhile, then reads the next one. Events that come while it
 *   waits for a command flow at once. When the channel is down after a command: the linger notice; the
 *   dialplan's socket app only completes once the socket is gone (nobody sees it on this socket).
 * - `async` (`… async full`, what CallChannel.goAsync asks for): commands are answered at once, apps run
 *   one after another in the background, events flow while they run. When the channel goes down: the
 *   socket app's park ends (CHANNEL_UNPARK, its EXECUTE_COMPLETE), then the linger notice.
 * Replies and notices are never held; only events are.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AppOutcome } from './app-context.ts';
import type { CallerScript } from './caller-script.ts';
import type { ChannelModel } from './channel-model.ts';
import { CommandReader, type ServerCommand } from './command-reader.ts';
import * as wire from './fs-encode.ts';
import { Recorder } from './recorder.ts';
import type { EmulatedUnicast } from './unicast.ts';

export type SocketMode = 'static' | 'async';

export interface SocketOrigin {
  readonly host: string;
  readonly port: number;
  readonly mode: SocketMode;
  /** The `socket` app's data (`127.0.0.1:8084 full`). */
  readonly appData: string;
  /** The dialplan ran the socket app (the call's first socket), or an app sent on another of its sockets. */
  readonly openedBy: 'dialplan' | 'app';
}

/** What a socket needs from its channel (EmulatedChannel). */
export interface SocketHost {
  readonly model: ChannelModel;
  readonly script: CallerScript;
  readonly timeScale: number;
  /** The channel hung up (or every socket of it is gone). */
  readonly gone: boolean;
  after(ms: number, fn: () => void): void;
  emit(name: string, extra?: wire.Pairs, options?: { withVariables?: boolean; subclass?: string }): void;
  connected(socket: EmulatedSocket): void;
  /** Runs one app on the channel for this socket; undefined when it never ran. */
  runApp(socket: EmulatedSocket, app: string, arg: string, appUuid: string): Promise<AppOutcome | undefined>;
  answer(): void;
  hangup(cause: string): void;
  /** CHANNEL_STATE ×2 and CHANNEL_HANGUP_COMPLETE: the channel thread is free to end the channel. */
  hangupComplete(): void;
  startUnicast(socket: EmulatedSocket, headers: Map<string, string>): Promise<void>;
  closed(socket: EmulatedSocket): void;
}

export class EmulatedSocket {
  readonly recorder = new Recorder();
  /** Unicast sessions started over this socket. */
  readonly unicasts: EmulatedUnicast[] = [];
  /** Resolves when the socket app's park on this socket ends (only for sockets opened by an app). */
  readonly parkEnded: Promise<void>;
  readonly #socket: Socket;
  readonly #host: SocketHost;
  readonly #subscribed = new Set<string>();
  readonly #filters: Array<readonly [string, string]> = [];
  #myevents = false;
  /** undefined: no linger; -1: bare `linger` (until exit); N: seconds. */
  #linger: number | undefined;
  /** async: apps queued by sendmsg, one after another. */
  #apps: Promise<void> = Promise.resolve();
  /** static: commands, strictly one at a time. */
  #commands: Promise<void> = Promise.resolve();
  /** async: an app runs now. */
  #running = false;
  /** static: a command runs now; events wait in #held. */
  #busy = false;
  #held: Buffer[] = [];
  #left = false;
  #tailStarted = false;
  #closedByUs = false;
  #endPark!: () => void;
  #appCompleted!: () => void;
  readonly #appDone: Promise<void>;

  /** Where this socket's bytes are recorded (its own recorder unless the channel routes them elsewhere). */
  readonly #record: (dir: 'in' | 'out', data: Buffer) => void;

  constructor(
    readonly origin: SocketOrigin,
    host: SocketHost,
    record?: (dir: 'in' | 'out', data: Buffer) => void,
  ) {
    this.#host = host;
    this.#record = record ?? ((dir, data) => this.recorder.record(dir, data));
    this.parkEnded = new Promise((resolve) => (this.#endPark = resolve));
    this.#appDone = new Promise((resolve) => (this.#appCompleted = resolve));
    const reader = new CommandReader();
    this.#socket = connect({ host: origin.host, port: origin.port });
    this.#socket.setNoDelay(true);
    this.#socket.on('data', (chunk: Buffer) => {
      this.#record('out', chunk);
      for (const command of reader.feed(chunk)) {
        if (origin.mode === 'async') void this.#onCommand(command);
        else this.#commands = this.#commands.then(() => this.#runCommand(command));
      }
    });
    this.#socket.on('error', () => undefined);
    this.#socket.on('close', () => {
      for (const u of this.unicasts) u.stop('socket-closed');
      if (origin.openedBy === 'app' && !this.#left) {
        this.#left = true;
        this.#host.emit('CHANNEL_UNPARK');
        this.#endPark();
      }
      this.#host.closed(this);
    });
  }

  get mode(): SocketMode {
    return this.origin.mode;
  }

  get open(): boolean {
    return !this.#socket.destroyed && !this.#socket.writableEnded;
  }

  get closedBy(): 'server' | 'emulator' {
    return this.#closedByUs ? 'emulator' : 'server';
  }

  /** The channel's event: sent if this socket wants it (held while a static socket is busy). */
  deliver(name: string, subclass: string | undefined, pairs: wire.Pairs): void {
    const wanted =
      name === 'CUSTOM'
        ? this.#subscribed.has('ALL') || (subclass !== undefined && this.#subscribed.has(subclass))
        : this.#myevents || this.#subscribed.has(name) || this.#subscribed.has('ALL');
    if (!wanted) return;
    if (this.#filters.length > 0 && !this.#filters.some(([h, v]) => pairs.some(([k, x]) => k === h && x === v))) return;
    // mod_event_socket: a `myevents` socket drops every other channel's event, whatever it subscribed to.
    if (this.#myevents && !pairs.some(([k, v]) => k === 'Unique-ID' && v === this.#host.model.uuid)) return;
    const bytes = wire.eventPlain(pairs);
    if (this.#busy) this.#held.push(bytes);
    else this.write(bytes);
  }

  /** Raw bytes to the server (replies, notices, malformed frames): never held. */
  write(bytes: Buffer): void {
    if (!this.open) return;
    this.#record('in', bytes);
    this.#socket.write(bytes);
  }

  close(): void {
    this.#closedByUs = true;
    if (!this.#socket.destroyed) this.#socket.end();
  }

  /** Abrupt close (RST): the server sees ECONNRESET. */
  drop(): void {
    this.#closedByUs = true;
    this.#socket.resetAndDestroy();
  }

  /** The channel hung up: an idle socket ends its part now, a busy one once its command or app is done. */
  channelDown(): void {
    if (this.origin.mode === 'async' ? !this.#running : !this.#busy) void this.#tail();
  }

  /** The socket app that opened this socket has sent its CHANNEL_EXECUTE_COMPLETE. */
  socketAppCompleted(): void {
    this.#appCompleted();
  }

  /**
   * The channel leaves the socket app this socket runs in (transfer, mod_callcenter's bridge, hangup).
   * The dialplan's static socket app cannot end while its listener runs: nothing happens then.
   */
  async leave(): Promise<void> {
    if (this.#left) return;
    this.#left = true;
    if (this.origin.openedBy === 'dialplan' && this.origin.mode === 'static') return;
    this.#host.emit('CHANNEL_UNPARK');
    if (this.origin.openedBy === 'app') {
      this.#endPark();
      await this.#appDone;
      return;
    }
    this.#host.emit('CHANNEL_EXECUTE_COMPLETE', [
      ['Application', 'socket'],
      ['Application-Data', this.origin.appData],
      ['Application-Response', '_none_'],
      ['Application-UUID', this.#host.model.socketAppUuid],
    ]);
  }

  /** Runs an app from this socket; an async socket then ends its part if the channel went down. */
  async runApp(app: string, arg: string, appUuid: string): Promise<void> {
    if (this.#host.gone || !this.open) return;
    this.#running = true;
    const outcome = await this.#host.runApp(this, app, arg, appUuid);
    this.#running = false;
    if (this.#host.gone) return this.#tail();
    await outcome?.afterComplete?.();
  }

  async runDialplan(apps: ReadonlyArray<readonly [string, string?]>): Promise<void> {
    for (const [app, arg] of apps) {
      if (this.#host.gone) return;
      await this.runApp(app, arg ?? '', randomUUID());
    }
  }

  #reply(text: string): void {
    this.write(wire.commandReply(text));
  }

  /** static: one command at a time, its events after its reply; the linger notice once the channel is down. */
  async #runCommand(command: ServerCommand): Promise<void> {
    this.#busy = true;
    try {
      await this.#onCommand(command);
    } finally {
      this.#release();
      if (this.#host.gone) await this.#tail();
    }
  }

  /** static: the command is done; write what waited. */
  #release(): void {
    this.#busy = false;
    for (const bytes of this.#held.splice(0)) this.write(bytes);
  }

  async #onCommand(command: ServerCommand): Promise<void> {
    const [verb = '', ...rest] = command.line.split(' ');
    const args = rest.join(' ');
    switch (verb) {
      case 'connect':
        if (this.origin.openedBy === 'dialplan' && this.#host.script.ignoreConnect) return;
        this.write(Buffer.from(`${wire.encodePairs(this.#host.model.connectReply(this.origin.mode))}\n`));
        this.#host.connected(this);
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
        for (const n of rest.slice(1).filter((x) => x !== '')) this.#subscribed.add(n);
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
      case 'getvar':
        // parse_command: the variable's value as the Reply-Text, raw; an empty reply text (unset or empty
        // variable) becomes its generic `-ERR command not found`.
        return this.#reply(this.#host.model.vars.get(args.trim()) || '-ERR command not found');
      case 'sendmsg':
        return this.#sendmsg(args.trim(), command.headers, command.body);
      case 'api':
        return this.#api(args);
      case 'exit':
        this.#reply('+OK bye');
        this.write(wire.disconnectNotice(this.#host.model.uuid));
        return this.close();
      default:
        return this.#reply('-ERR command not found');
    }
  }

  async #sendmsg(uuid: string, headers: Map<string, string>, body: string | undefined): Promise<void> {
    if (uuid !== '' && uuid !== this.#host.model.uuid) return this.#reply(`-ERR invalid session id [${uuid}]`);
    const kind = headers.get('call-command');
    const isStatic = this.origin.mode === 'static';
    if (kind === 'execute') {
      const app = headers.get('execute-app-name') ?? '';
      // switch_ivr_parse_event: no execute-app-arg and a text/plain body → the body is the argument.
      const arg = headers.get('execute-app-arg') ?? (headers.get('content-type')?.toLowerCase() === 'text/plain' ? (body ?? '') : '');
      const appUuid = headers.get('event-uuid') ?? randomUUID();
      if (!isStatic) {
        // Fact 5: after the hangup the +OK still comes, but the app never runs or completes.
        this.#reply('+OK');
        this.#apps = this.#apps.then(() => this.runApp(app, arg, appUuid));
        return;
      }
      // The channel's own thread runs the app; the reply waits for it, the app's events for the reply.
      const outcome = this.#host.gone || !this.open ? undefined : await this.#host.runApp(this, app, arg, appUuid);
      this.#reply('+OK');
      this.#release();
      if (!this.#host.gone) await outcome?.afterComplete?.();
      return;
    }
    if (kind === 'hangup') {
      const cause = headers.get('hangup-cause') ?? 'NORMAL_CLEARING';
      if (isStatic) this.#host.hangup(cause);
      this.#reply('+OK');
      if (!isStatic) this.#host.after(1, () => this.#host.hangup(cause));
      return;
    }
    this.#reply('+OK');
    if (kind === 'unicast') void this.#host.startUnicast(this, headers);
    // nomedia / others: acknowledged; the emulator carries no media.
  }

  #api(command: string): void {
    const [name = '', uuid = '', ...rest] = command.split(' ');
    const mine = uuid === this.#host.model.uuid;
    if (name === 'uuid_transfer' && mine) {
      this.write(wire.apiResponse('+OK\n'));
      void this.#transferNow(rest[0] ?? '');
      return;
    }
    if (name === 'uuid_answer' && mine) {
      // Runs in the socket's thread at once (no park tick), like the real switch.
      // mod_commands answers `-ERROR` both when the channel cannot be located and when it cannot be answered.
      if (this.#host.gone) return this.write(wire.apiResponse('-ERROR\n'));
      this.#host.answer();
      this.write(wire.apiResponse('+OK\n'));
      return;
    }
    if (name === 'uuid_dump' && mine) {
      // mod_commands locates the session: a channel that hung up is no longer found (real switch, linger).
      if (this.#host.gone) return this.write(wire.apiResponse('-ERR No such channel!\n'));
      this.write(wire.apiResponse(`${wire.encodePairs(this.#host.model.event('CHANNEL_DATA', [], { fn: 'uuid_dump_function' }))}\n`));
      return;
    }
    if (name === 'uuid_kill' && mine) {
      this.write(wire.apiResponse('+OK\n'));
      this.#host.after(1, () => this.#host.hangup(rest[0] ?? 'NORMAL_CLEARING'));
      return;
    }
    this.write(wire.apiResponse(`-ERR ${name} Command not found!\n`));
  }

  async #transferNow(destination: string): Promise<void> {
    await this.leave();
    const plan = this.#host.script.transferDialplan?.(destination) ?? [['hangup', 'NORMAL_CLEARING']];
    await this.runDialplan(plan);
  }

  /**
   * The channel is down. async: the socket app's park ends first (fact 6: UNPARK, its EXECUTE_COMPLETE;
   * the dialplan's own async socket also sees CHANNEL_STATE ×2 and HANGUP_COMPLETE). static: nothing
   * more happens in the channel's thread while this socket holds it. Then the linger notice (or the
   * disconnect at once without linger); a linger of N seconds ends with the disconnect notice.
   */
  async #tail(): Promise<void> {
    if (this.#tailStarted || !this.open) return;
    this.#tailStarted = true;
    if (this.origin.mode === 'async') {
      await this.leave();
      if (this.origin.openedBy === 'dialplan') this.#host.hangupComplete();
    }
    const { uuid, channelName } = this.#host.model;
    if (this.#linger === undefined) {
      this.write(wire.disconnectNotice(uuid));
      return this.close();
    }
    this.write(wire.lingerNotice(uuid, channelName, this.#linger));
    if (this.#linger >= 0) {
      this.#host.after(this.#linger * 1000 * this.#host.timeScale, () => {
        this.write(wire.disconnectNotice(uuid));
        this.close();
      });
    }
  }
}
