/**
 * A bot leg's types: what it needs of the call it serves (BotCall), what it is given (settings, options) and
 * how it ends. The bridge knows no call session: the call layer hands it a BotCall (src/call/bots.ts builds
 * one over the session) and the CallChannel is a BotChannel as it is.
 */
import type { CallEventBody } from '../domain/call-events.ts';
import type { CallContact } from '../domain/contacts.ts';
import type { CancelSignal } from '../esl/call-signal.ts';
import type { Logger } from '../runtime/logger.ts';
import type { ConnectFailure, ConnectResult } from './bot-socket.ts';
import type { MediaClock } from './media-clock.ts';
import type { PortPool } from './port-pool.ts';
import type { TransferTarget } from './protocol.ts';

/** ESL `sendmsg` call-command unicast: FreeSWITCH streams the caller's audio to remote, plays what arrives at local. */
export interface UnicastRequest {
  /** FreeSWITCH's address and port (it binds them and plays every datagram received there). */
  localIp: string;
  localPort: number;
  /** Ours (FreeSWITCH sends the caller's audio here). */
  remoteIp: string;
  remotePort: number;
}

/** A channel event as a bot leg reads it (DTMF). */
export interface BotChannelEvent {
  readonly name: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What a bot leg uses of the call's channel (src/call/channel.ts's CallChannel is one). */
export interface BotChannel {
  readonly variables: Readonly<Record<string, string>>;
  /** Aborts when the caller hangs up or FreeSWITCH drops the socket. */
  readonly signal: CancelSignal;
  /** Subscribe to extra events (DTMF); returns when FreeSWITCH acknowledged. */
  subscribe(events: string): Promise<void>;
  /** Listen to channel events; returns the function that removes the listener. */
  onEvent(listener: (event: BotChannelEvent) => void): () => void;
  /** Start unicast media. Optional: channels without media (unit-test fakes) omit it. */
  startUnicast?(u: UnicastRequest): Promise<void>;
}

/** The events a bot leg announces. */
export type BotEvent = Extract<CallEventBody, { type: 'bot.connected' | 'bot.ended' }>;

/** What a bot leg needs of the call it serves. */
export interface BotCall {
  readonly callId: string;
  /** FreeSWITCH channel UUID */
  readonly uuid: string;
  /** The caller's number as the call shows it (masked for a masking session). */
  readonly caller: string;
  readonly did: string;
  readonly orgId: string | null;
  /** The switch that has the channel (its unicast address may differ from the others'); null or absent when unknown. */
  readonly switchId?: string | null;
  /** The caller's saved contact, handed to the bot in `start` (null or absent: unknown caller). */
  readonly contact?: CallContact | null;
  readonly logger: Logger;
  readonly channel: BotChannel;
  now(): Date;
  /** Announce bot.connected / bot.ended (the call adds its identity and the time). */
  emit(event: BotEvent): void;
  /** The caller pressed a key while talking to the bot (the call records it and announces call.dtmf). */
  pressed(digit: string): void;
}

export interface BotBridgeSettings {
  /** our address for unicast (remote-ip) */
  mediaIp: string;
  /** FreeSWITCH's address for unicast (local-ip) */
  switchMediaIp: string;
  /** A switch's own address for unicast, by switch id (SWITCH_MEDIA_IPS); a switch not in it uses switchMediaIp. */
  switchMediaIps?: ReadonlyMap<string, string>;
  /** most bot audio buffered ahead of the caller; beyond it, audio is dropped */
  maxBufferMs: number;
  /** the bot must send something within this long after `start`, else the call falls back */
  silenceTimeoutMs: number;
  /** after transfer/hangup, how long buffered bot audio may still play */
  drainTimeoutMs: number;
  /** WebSocket ping every this long (0 = never) */
  pingIntervalMs: number;
  /** no pong within this long after a ping: the bot has failed (fallback) */
  pingTimeoutMs: number;
  /** largest WebSocket message accepted from a bot */
  maxMessageBytes: number;
  /** bound on the closing handshake with the bot */
  closeTimeoutMs: number;
}

export interface BotBridgeDeps {
  logger: Logger;
  ports: PortPool;
  clock: MediaClock;
  settings: BotBridgeSettings;
  /** Told of every leg as it ends, with its stats (metrics: legs by end, frames dropped). */
  onLegEnd?: (result: BotLegResult) => void;
}

export interface BotRunOptions {
  /** Refuse a transfer target (null = fine). A refused transfer is answered with an error; the call stays with the bot. */
  checkTransfer?: (target: TransferTarget) => string | null;
  /** Extra custom parameters for `start` (an outbound bot call's values: direction, opening text…). */
  parameters?: Readonly<Record<string, string>>;
  /** A connection to the bot opened in advance (while the call rang): used instead of connecting now. */
  connection?: Promise<ConnectResult>;
}

export type BotFailure =
  | Exclude<ConnectFailure, 'aborted'>
  | 'no_media_port'
  | 'media_bind_failed'
  | 'unicast_unsupported'
  | 'unicast_failed'
  | 'bot_closed'
  | 'bot_silent'
  | 'bot_unresponsive';

export type BotLegEnd =
  | { kind: 'transfer'; target: TransferTarget }
  | { kind: 'hangup'; reason: string | null }
  | { kind: 'caller_hangup' }
  | { kind: 'failed'; reason: BotFailure; detail: string };

export interface BotLegStats {
  /** datagrams from FreeSWITCH (caller audio) */
  framesFromCaller: number;
  framesToBot: number;
  /** caller frames dropped because the bot did not read its socket */
  droppedToBot: number;
  /** bot audio frames sent to the caller */
  framesToCaller: number;
  /** filler silence frames sent to the caller */
  silenceFrames: number;
  /** bot audio frames dropped because the play-out buffer was full (bot faster than real time) */
  droppedFromBot: number;
  /** bot audio frames skipped because their play time passed while the media clock stalled */
  skippedFromBot: number;
  invalidMessages: number;
  marks: number;
}

export interface BotLegResult {
  streamId: string;
  end: BotLegEnd;
  /** true once the WebSocket opened and `start` was sent */
  connected: boolean;
  startedAt: string;
  durationMs: number;
  dtmf: string;
  stats: BotLegStats;
}
