import type { Logger } from '../runtime/logger.ts';
import type { Db as AsyncDb } from '../db/handle.ts';
import type { ConfigSnapshot, SnapshotDid } from '../publish/snapshot.ts';
import type { CallChannel } from './channel.ts';
import type { CallEvent, CallEventBody, CallEventBus } from '../domain/call-events.ts';
import type { CallRegistry } from './registry.ts';
import type { BotLegResult, BotRunOptions } from '../bot/leg-types.ts';
import type { BotTarget } from '../domain/agents.ts';
import type { CallOutcome, CallStage } from './outcome.ts';
import type { GreetingRenderer } from '../services/voicemail/greeting.ts';
import type { MaskingLookup, MaskingMatch } from '../services/masking/lookup.ts';
import type { ContactLookup } from '../services/contacts/lookup.ts';
import type { CallContact } from '../domain/contacts.ts';
import type { DestinationType } from '../domain/destinations.ts';
import type { PlacedCallSource } from '../services/calls/placed-spec.ts';
import type { NewVoicemailMessage } from '../services/voicemail/messages.ts';
import type { botLegs, callbackRequests, callRecordings } from '../db/schema/index.ts';

/** Settings the call layer needs (from Config, resolved once in main.ts). */
export interface CallSettings {
  externalGateway: string;
  ringTimeoutS: number;
  defaultCountryCode: string;
  /** Hard cap on IVR menus entered by one call (loop protection). */
  maxIvrEntries: number;
  /** Cap for "wait forever" (timeout 0), in seconds. */
  foreverS: number;
  /** Longest talk we wait out on a call FreeSWITCH bridged by itself (a queue agent), in seconds. */
  maxTalkS?: number;
  /** Absolute directory for recordings of calls bridged to a person; null/undefined = no recording. */
  recordingsDir?: string | null;
  /** Longest wait for the caller's contact (CallDeps.contactLookup), in ms; default 500. */
  contactLookupTimeoutMs?: number;
}

/** Where calls find published configuration (src/publish/reader.ts implements it). */
export interface SnapshotSource {
  /** Production: createAsyncSnapshotReader (parsed snapshots cached; one awaited query per lookup). Test fakes may answer at once. */
  lookupDid(number: string): Promise<DidMatch | null> | DidMatch | null;
  /** The organization's latest published snapshot (a placed call runs its org's flows); null when it never published. */
  latest?(orgId: string): Promise<ConfigSnapshot | null> | ConfigSnapshot | null;
}

/** A live number: its organization, that organization's latest snapshot and the number's routing. */
export type DidMatch = { orgId: string; snapshot: ConfigSnapshot; did: SnapshotDid };

/** What voicemail needs on the call side (src/call/voicemail-deps.ts builds it in main.ts). */
export interface VoicemailCallDeps {
  /** Messages go to `<messagesDir>/<org id>/<message id>.wav`; FreeSWITCH writes there. */
  messagesDir: string;
  maxSeconds: number;
  /** Renders a box's greeting when its file is not on disk yet; absent: such a box plays only the beep. */
  greetings?: GreetingRenderer | undefined;
}

/** The AI bridge as a call uses it (src/call/bots.ts puts src/bot's bridge, which knows no session, behind it). */
export interface CallBots {
  run(s: CallSession, target: BotTarget, options?: BotRunOptions): Promise<BotLegResult>;
}

/** The call's row in call_logs (src/call/call-log.ts writes it, batched). */
export interface CallLogWriter {
  start(session: CallSession, startedAt: string): void;
  /** Resolves once the final row is on disk (never rejects; failures are logged). */
  finish(session: CallSession, startedAt: string, endedAt: string, hangupCause: string | null): Promise<void>;
}

/**
 * What a call stores besides its call log row: a callback request, a bot leg, a voicemail message, a call
 * recording's row, and the folders FreeSWITCH records into. src/call/storage.ts keeps them in the database and
 * on disk (the default, CallDeps.storage absent); the call simulator (src/simulate) passes one that keeps
 * nothing. (A masked call's outbound_calls row is not here: the simulator never masks.)
 */
export interface CallStorage {
  callback(row: typeof callbackRequests.$inferInsert): Promise<void> | void;
  botLeg(row: typeof botLegs.$inferInsert): Promise<void> | void;
  voicemail(message: NewVoicemailMessage): Promise<void> | void;
  recording(row: typeof callRecordings.$inferInsert): Promise<void> | void;
  /** Make sure the folder FreeSWITCH is about to record into exists. */
  folder(dir: string): void;
}

/**
 * What the call layer measures (src/metrics implements it; main.ts wires it). Called at most a few times
 * per call, each a histogram observe: no call ids, nothing that grows with the number of calls.
 */
export interface CallMetrics {
  /** FreeSWITCH's socket accepted → the call's first command after routing (answer, first prompt or bridge). */
  setupTime(seconds: number): void;
  /** play_and_get_digits came back with keys → the next command written for the call. */
  dtmfToCommand(seconds: number): void;
}

/** Long-lived collaborators, created in main.ts. */
export interface CallDeps {
  /** The async handle (SQLite or PostgreSQL): storage, voicemail boxes. */
  adb: AsyncDb;
  logger: Logger;
  bus: CallEventBus;
  registry: CallRegistry;
  callLogs: CallLogWriter;
  snapshots: SnapshotSource;
  settings: CallSettings;
  now: () => Date;
  /** The AI bridge (unicast ↔ bot WebSocket); without it ai_agent routes play an apology and fall back. */
  bots?: CallBots;
  /** Inbound masking: without it a session's DID routes as usual. */
  maskingLookup?: MaskingLookup;
  /** The caller's saved contact, asked once before routing; without it calls carry no contact. */
  contactLookup?: ContactLookup;
  /** Voicemail storage and greetings; without it messages go under settings.recordingsDir. */
  voicemail?: VoicemailCallDeps;
  /** Calls we placed that the controller runs once answered (flow, tts, bot); without it such a call is hung up. */
  placedCalls?: PlacedCallSource;
  /** The switch side's pending writes of a placed call (CallControl.settled); without it nothing is awaited. */
  placedWrites?: (callId: string) => Promise<void>;
  /** Latency metrics; without it nothing is timed. */
  metrics?: CallMetrics;
  /** Where the call's rows and recording folders go; without it the database and the disk (storage.ts). */
  storage?: CallStorage;
}

export type PathStep =
  | { at: string; step: 'did'; number: string; routing: string | null }
  /** A call we placed, answered by the customer: what it plays (flow, tts, bot) and its flow/template/agent. */
  | { at: string; step: 'placed'; kind: string; value: string | null }
  | { at: string; step: 'ivr'; ivrId: string; name: string }
  | { at: string; step: 'digits'; ivrId: string; digits: string }
  | { at: string; step: 'timeout' | 'invalid'; ivrId: string; count: number; digits?: string }
  | { at: string; step: 'action'; type: string; value: string | null; result?: string }
  | { at: string; step: 'exhausted'; ivrId: string; reason: 'timeout' | 'invalid' }
  | { at: string; step: 'loop_limit'; ivrId: string };

/** What ends up in call_logs. */
export interface CallRecord {
  answeredAt: string | null;
  path: PathStep[];
  dtmf: string;
  /** How the call ended (outcome.ts); null until something decides it (the runner then does). */
  disposition: CallOutcome | null;
  answeredBy: string | null;
}

export interface Destination {
  type: DestinationType;
  value: string | null;
}

/** What the walker does after an action: the call is finished, or it goes back to a menu. */
export type ActionOutcome =
  | { next: 'end' }
  /** back to the current menu (play_prompt) */
  | { next: 'menu' }
  /** replay the current menu without counting a retry */
  | { next: 'repeat' }
  | { next: 'ivr'; ivrId: string };

export const END: ActionOutcome = { next: 'end' };

/** One IVR action type's module (src/call/actions/). */
export type ActionHandler = (s: CallSession, dest: Destination) => Promise<ActionOutcome>;

/**
 * Every action type's handler: src/call/actions/index.ts builds the table once and the runner gives it to
 * each call, so an action that goes on to another destination (a queue's exit, a bot's transfer) runs it
 * through the session (final-destination.ts) instead of importing the table that imports it.
 */
export type ActionHandlers = Readonly<Record<DestinationType, ActionHandler>>;

/** One call: plain data owned by its runner. No methods beyond small helpers. */
export interface CallSession {
  callId: string;
  uuid: string;
  /** The switch that has the channel (call_logs.switch_id); null when unknown. */
  switchId: string | null;
  channel: CallChannel;
  deps: CallDeps;
  actions: ActionHandlers;
  logger: Logger;
  did: string;
  caller: string;
  /** Set when the caller is a party of a live masking session on this DID (caller is then masked). */
  masking?: MaskingMatch | null;
  /** The caller's saved contact (null: unknown caller, masked call, or the lookup failed or was late). */
  contact?: CallContact | null;
  orgId: string | null;
  snapshot: ConfigSnapshot | null;
  record: CallRecord;
  /** Where the call is now; its value at the end is the call log's `left_at`. */
  stage: CallStage;
  ivrEntries: number;
  /** continue_on_fail / hangup_after_bridge already set on the channel */
  bridgeVarsSet: boolean;
  /** Set once record_session started (a call is recorded at most once). */
  recordingPath?: string;
}

/** Now, as an ISO string: the `at` of path steps and events. */
export function stamp(session: CallSession): string {
  return session.deps.now().toISOString();
}

/** Append a step to the call's path (the `at` is filled in). */
export function addStep(session: CallSession, step: DistributiveOmit<PathStep, 'at'>): void {
  session.record.path.push({ at: stamp(session), ...step } as PathStep);
}

/**
 * Emit an event with this call's identity and the time.
 * `event` is the caller's fresh literal: the identity is added to it, not copied into another object (a
 * spread of seven event shapes costs ~10× more, on every event of every call).
 */
export function emit(session: CallSession, event: CallEventBody): void {
  const e = event as Partial<Pick<CallEvent, 'callId' | 'orgId' | 'at'>>;
  e.callId = session.callId;
  e.orgId = session.orgId;
  e.at = stamp(session);
  session.deps.bus.emit(e as CallEvent);
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
