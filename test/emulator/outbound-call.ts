/**
 * One emulated call as FreeSWITCH hands it to our outbound server. By default like the product's
 * dialplan, `socket 127.0.0.1:<port> full`: a sync (`static`) socket; `socketMode: 'async'` is the
 * transcripts' `… async full`. The channel (emulated-channel.ts) may open more sockets (the `socket`
 * app); each speaks ESL on its own (emulated-socket.ts).
 */
import type { CallerScript, MalformedVariant } from './caller-script.ts';
import type { ChannelInit, ChannelModel } from './channel-model.ts';
import { EmulatedChannel } from './emulated-channel.ts';
import type { EmulatedSocket, SocketMode } from './emulated-socket.ts';
import { CallRecorder } from './recorder.ts';
import type { EmulatedUnicast } from './unicast.ts';

export interface PlaceCallOptions extends ChannelInit {
  readonly port: number;
  readonly host?: string;
  readonly script?: CallerScript;
  /** Multiplies prompt durations, linger seconds and FS's ~20 ms execute delay (default 0.05). */
  readonly timeScale?: number;
  /** How the dialplan's socket app connects: `static` (default, `… full`, the product) or `async` (`… async full`). */
  readonly socketMode?: SocketMode;
  /** The channels up on the same emulated switch (createEmulator's): their sockets see this call's events. */
  readonly peers?: Set<EmulatedChannel>;
}

export interface CallSummary {
  readonly uuid: string;
  readonly hungUp: boolean;
  readonly hangupCause: string | undefined;
  /** Who closed the first socket. */
  readonly closedBy: 'server' | 'emulator';
}

export class EmulatedCall {
  readonly channel: EmulatedChannel;
  /** The first (dialplan's) socket. */
  readonly first: EmulatedSocket;
  /** Resolves once every socket of the call is closed. */
  readonly done: Promise<CallSummary>;
  /** The call's bytes both ways over all its sockets, in time order (one socket's: `sockets[i].recorder`). */
  readonly recorder = new CallRecorder(() => this.channel.sockets.map((s) => s.recorder));

  constructor(options: PlaceCallOptions) {
    const mode = options.socketMode ?? 'static';
    const host = options.host ?? '127.0.0.1';
    const appData = `127.0.0.1:${options.port} ${mode === 'async' ? 'async full' : 'full'}`;
    // The first socket records through the call's recorder: a test may wrap `recorder.record` to watch it.
    const recordFirst = (dir: 'in' | 'out', data: Buffer) => this.recorder.record(dir, data);
    this.channel = new EmulatedChannel(options, { script: options.script, timeScale: options.timeScale, recordFirst, peers: options.peers });
    this.channel.model.setVar('current_application_data', appData);
    this.channel.model.setVar('current_application', 'socket');
    this.channel.model.setVar('socket_host', '127.0.0.1');
    this.first = this.channel.open({ host, port: options.port, mode, appData, openedBy: 'dialplan' });
    this.done = this.channel.done.then(() => ({
      uuid: this.model.uuid,
      hungUp: this.model.hangupCause !== undefined,
      hangupCause: this.model.hangupCause,
      closedBy: this.first.closedBy,
    }));
  }

  get model(): ChannelModel {
    return this.channel.model;
  }

  get uuid(): string {
    return this.model.uuid;
  }

  /** Every socket of the call, in the order they were opened. */
  get sockets(): readonly EmulatedSocket[] {
    return this.channel.sockets;
  }

  /** Resolves with the nth socket (0: the dialplan's; 1: the one the first `socket` app opened). */
  socket(n: number): Promise<EmulatedSocket> {
    return this.channel.socket(n);
  }

  /** Unicast sessions started on the call (over any of its sockets), in order. */
  get unicasts(): readonly EmulatedUnicast[] {
    return this.channel.unicasts;
  }

  /** Resolves with the first unicast session (started by our server's `sendmsg unicast`). */
  unicastStarted(): Promise<EmulatedUnicast> {
    return this.channel.unicastStarted();
  }

  /** Resolves once the nth (1-based) CHANNEL_EXECUTE of `app` is sent on any of the call's sockets. */
  executed(app: string, nth = 1): Promise<void> {
    return this.channel.executed(app, nth);
  }

  /** The caller presses keys now (DTMF events + the channel's digit queue). */
  pressDigits(digits: string, gapMs = 0): void {
    this.channel.pressDigits(digits, gapMs);
  }

  /** The caller hangs up now. */
  hangup(cause = 'NORMAL_CLEARING'): void {
    this.channel.hangup(cause);
  }

  /** Abrupt close (RST) of every socket: the server sees ECONNRESET. */
  drop(): void {
    this.channel.perform({ kind: 'drop' });
  }

  sendMalformed(variant: MalformedVariant): void {
    this.channel.sendMalformed(variant);
  }
}
