import { timeOrderedUuid } from '../db/time-ordered-id.ts';
import { normalizeE164 } from '../services/numbers/phone.ts';
import { lazyChild } from '../runtime/logger.ts';
import { ChannelGoneError, type CallChannel } from './channel.ts';
import { ACTION_HANDLERS } from './actions/index.ts';
import { notInService, routeDid } from './route.ts';
import { emit, type CallDeps, type CallSession } from './session.ts';
import { runPlaced } from './placed.ts';
import { timeNextCommand } from './media.ts';
import type { PlacedRun } from '../services/calls/placed-spec.ts';
import type { SnapshotDid } from '../publish/snapshot.ts';
import { findCallContact } from './contact.ts';
import type { CallOutcome } from './outcome.ts';

/**
 * The one runner of a call: look the DID up, route it, and — whatever happens (caller hangs
 * up, FreeSWITCH drops the socket, a bug) — finish the call log, leave the registry, release the
 * socket and announce the hangup, in one `finally`.
 */
export async function runCall(channel: CallChannel, deps: CallDeps): Promise<void> {
  const startedAt = deps.now().toISOString();
  // A call we placed (flow, tts, bot) comes back here once the customer answered: its row says what to play.
  const placedId = channel.variables.sb_call_id;
  const placed = placedId ? ((await deps.placedCalls?.(placedId, channel.uuid)) ?? null) : null;
  const { s, routing } = placed ? { s: await placedSession(channel, deps, placed), routing: null } : await inboundSession(channel, deps);
  // Before the call log row and call.ringing, which carry it; bounded, and never throws.
  s.contact = await findCallContact(s);
  deps.registry.add({ callId: s.callId, uuid: s.uuid, switchId: s.switchId, orgId: s.orgId, startedAt: Date.now(), state: 'routing' });
  // Setup time: the socket accepted → the first command routing writes (answer, prompt, bridge).
  if (channel.arrivedAt !== undefined) timeNextCommand(s, (m, seconds) => m.setupTime(seconds), channel.arrivedAt);
  // A placed call's row and its ringing/answered events came from the switch side when it was dialled.
  if (!placed) {
    deps.callLogs.start(s, startedAt);
    emit(s, { type: 'call.ringing', did: s.did, caller: s.caller, contact: s.contact });
  }
  try {
    await runRoute(s, () => (placed ? runPlaced(s, placed) : routing ? routeDid(s, routing) : notInService(s)));
  } finally {
    settleOutcome(s);
    if (!channel.signal.aborted) await channel.hangup('NORMAL_CLEARING').catch(() => undefined);
    const cause = channel.hangupCause() ?? (switchLost(s) ? SWITCH_LOST : null);
    const logged = deps.callLogs.finish(s, startedAt, deps.now().toISOString(), cause);
    deps.registry.remove(s.uuid);
    // The switch gets its socket back now; the final row goes out with the writer's next batch, and
    // call.hangup (which carries the row) once it is on disk.
    await channel.release().catch((err: unknown) => s.logger.debug({ err }, 'release failed'));
    await logged;
    // A placed call's ringing and answer are announced by the switch side after its own writes: call.hangup
    // comes after them (bounded; calls placed by another instance are not waited for).
    if (placed && deps.placedWrites) await settledWithin(deps.placedWrites(s.callId), PLACED_WRITES_WAIT_MS);
    emit(s, { type: 'call.hangup', cause, disposition: s.record.disposition, leftAt: s.stage });
  }
}

/**
 * Runs a call's route to its end. A failure that is not the caller leaving is logged and ends the call
 * `failed` (hung up with NORMAL_TEMPORARY_FAILURE); never throws. Shared with the call simulator (src/simulate).
 */
export async function runRoute(s: CallSession, route: () => Promise<void>): Promise<void> {
  try {
    await route();
  } catch (err) {
    if (!(err instanceof ChannelGoneError)) {
      s.logger.error({ err }, 'call failed');
      s.record.disposition ??= 'failed';
      await s.channel.hangup('NORMAL_TEMPORARY_FAILURE').catch(() => undefined);
    }
  }
}

const PLACED_WRITES_WAIT_MS = 2_000;

/** Resolves when `p` settles or after `ms`, whichever is first; never rejects. */
async function settledWithin(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** The hangup cause logged for a call whose switch went away under it (as the placed-call recovery does). */
const SWITCH_LOST = 'SWITCH_LOST';

/**
 * The socket closed and no hangup was ever seen: the switch died, or the link to it broke, mid-call.
 * A caller who hangs up always comes as CHANNEL_HANGUP first (the socket lingers for it).
 */
function switchLost(s: CallSession): boolean {
  return s.channel.signal.aborted && s.channel.hangupCause() === null;
}

/**
 * The call's outcome once its route is over. Nothing decided it: the caller left on their own (abandoned,
 * left_at = the stage), or we are ending a call nothing could complete, or the switch went away (failed).
 */
export function settleOutcome(s: CallSession): CallOutcome {
  return (s.record.disposition ??= s.channel.signal.aborted && !switchLost(s) ? 'abandoned' : 'failed');
}

/** A call that came in: the DID dialled decides the organization and the route (null: not in service). */
async function inboundSession(channel: CallChannel, deps: CallDeps): Promise<{ s: CallSession; routing: SnapshotDid | null }> {
  const cc = deps.settings.defaultCountryCode;
  // The dialplan keeps the number dialled on entry in switchboard_did (it survives transfers).
  const dialled = channel.variables.switchboard_did || channel.destinationNumber;
  const did = normalizeE164(dialled, cc) ?? dialled;
  const caller = normalizeE164(channel.callerIdNumber, cc) ?? channel.callerIdNumber;
  const found = (await deps.snapshots.lookupDid(did)) ?? (did !== dialled ? await deps.snapshots.lookupDid(dialled) : null);
  // A party of a live masking session on this DID: from here on only the masked number is used,
  // so the call log, events and webhooks never hold the real one.
  const m = found ? await deps.maskingLookup?.(did, caller) : null;
  const masking = m && m.orgId === found?.orgId ? m : null;
  const s = newSession(channel, deps, {
    callId: timeOrderedUuid(Date.now()), did, caller: masking ? masking.callerMasked : caller, orgId: found?.orgId ?? null, snapshot: found?.snapshot ?? null,
  });
  s.masking = masking;
  return { s, routing: found?.did ?? null };
}

/** A call we placed: its row names the organization, the DID shown and the customer; its id is the call log's. */
async function placedSession(channel: CallChannel, deps: CallDeps, placed: PlacedRun): Promise<CallSession> {
  const snapshots = deps.snapshots;
  // The org's latest snapshot; a source without `latest` (test fakes) is asked through the DID, if it is still the org's.
  const viaDid = snapshots.latest ? null : await snapshots.lookupDid(placed.did);
  const snapshot = snapshots.latest ? await snapshots.latest(placed.orgId) : viaDid?.orgId === placed.orgId ? viaDid.snapshot : null;
  return newSession(channel, deps, { callId: placed.callId, did: placed.did, caller: placed.customer, orgId: placed.orgId, snapshot });
}

/** A fresh session for a call on `channel`, with every action type's handler (the one table, ACTION_HANDLERS). */
export function newSession(
  channel: CallChannel,
  deps: CallDeps,
  who: Pick<CallSession, 'callId' | 'did' | 'caller' | 'orgId' | 'snapshot'>,
): CallSession {
  return {
    ...who,
    uuid: channel.uuid,
    switchId: channel.switchId ?? null,
    channel,
    deps,
    actions: ACTION_HANDLERS,
    // Every line of a call carries both: the call id (the call log's, the API's) and the channel's uuid (FreeSWITCH's log).
    logger: lazyChild(deps.logger, { call: channel.uuid, callId: who.callId }),
    masking: null,
    contact: null,
    record: { answeredAt: null, path: [], dtmf: '', disposition: null, answeredBy: null },
    stage: 'routing',
    ivrEntries: 0,
    bridgeVarsSet: false,
  };
}
