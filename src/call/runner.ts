import { timeOrderedUuid } from '../db/time-ordered-id.ts';
import { normalizeE164 } from '../services/numbers/phone.ts';
import { lazyChild } from '../runtime/logger.ts';
import { ChannelGoneError, type CallChannel } from './channel.ts';
import { ACTION_HANDLERS } from './actions/index.ts';
import { notInService, routeDid } from './route.ts';
import { emit, type CallDeps, type CallSession } from './session.ts';
import { findCallContact } from './contact.ts';

/**
 * The one runner of a call: look the DID up, route it, and — whatever happens (caller hangs
 * up, FreeSWITCH drops the socket, a bug) — finish the call log, leave the registry, release the
 * socket and announce the hangup, in one `finally`.
 */
export async function runCall(channel: CallChannel, deps: CallDeps): Promise<void> {
  const startedAt = deps.now().toISOString();
  const cc = deps.settings.defaultCountryCode;
  // The dialplan keeps the number dialled on entry in switchboard_did (it survives transfers).
  const dialled = channel.variables.switchboard_did || channel.destinationNumber;
  const did = normalizeE164(dialled, cc) ?? dialled;
  const caller = normalizeE164(channel.callerIdNumber, cc) ?? channel.callerIdNumber;
  const found = deps.snapshots.lookupDid(did) ?? (did !== dialled ? deps.snapshots.lookupDid(dialled) : null);
  // A party of a live masking session on this DID: from here on only the masked number is used,
  // so the call log, events and webhooks never hold the real one.
  const m = found ? deps.maskingLookup?.(did, caller) : null;
  const masking = m && m.orgId === found?.orgId ? m : null;

  const s: CallSession = {
    callId: timeOrderedUuid(Date.now()),
    uuid: channel.uuid,
    channel,
    deps,
    actions: ACTION_HANDLERS,
    logger: lazyChild(deps.logger, { call: channel.uuid }),
    did,
    caller: masking ? masking.callerMasked : caller,
    masking,
    contact: null,
    orgId: found?.orgId ?? null,
    snapshot: found?.snapshot ?? null,
    record: { answeredAt: null, path: [], dtmf: '', disposition: null, answeredBy: null },
    stage: 'routing',
    ivrEntries: 0,
    bridgeVarsSet: false,
  };
  // Before the call log row and call.ringing, which carry it; bounded, and never throws.
  s.contact = await findCallContact(s);
  deps.registry.add({ callId: s.callId, uuid: s.uuid, orgId: s.orgId, startedAt: Date.now(), state: 'routing' });
  deps.callLogs.start(s, startedAt);
  emit(s, { type: 'call.ringing', did, caller: s.caller, contact: s.contact });

  try {
    if (found) await routeDid(s, found.did);
    else await notInService(s);
  } catch (err) {
    if (!(err instanceof ChannelGoneError)) {
      s.logger.error({ err }, 'call failed');
      s.record.disposition ??= 'failed';
      await channel.hangup('NORMAL_TEMPORARY_FAILURE').catch(() => undefined);
    }
  } finally {
    // Nothing decided the outcome: the caller left on their own (abandoned, left_at = the stage), or
    // we are ending a call nothing could complete.
    s.record.disposition ??= channel.signal.aborted ? 'abandoned' : 'failed';
    if (!channel.signal.aborted) await channel.hangup('NORMAL_CLEARING').catch(() => undefined);
    const cause = channel.hangupCause();
    const logged = deps.callLogs.finish(s, startedAt, deps.now().toISOString(), cause);
    deps.registry.remove(s.uuid);
    // The switch gets its socket back now; the final row goes out with the writer's next batch, and
    // call.hangup (which carries the row) once it is on disk.
    await channel.release().catch((err: unknown) => s.logger.debug({ err }, 'release failed'));
    await logged;
    emit(s, { type: 'call.hangup', cause, disposition: s.record.disposition, leftAt: s.stage });
  }
}

