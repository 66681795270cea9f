import { randomUUID } from 'node:crypto';
import { emit, stamp, type CallSession } from '../session.ts';
import type { MaskingMatch } from '../../services/masking/lookup.ts';
import { bridgedInboundMaskedCall, endInboundMaskedCall, startInboundMaskedCall } from './masked-inbound-calls.ts';
import { recordCall } from '../recording.ts';
import { bridgeTo, unavailable } from './bridge-to.ts';

/** FreeSWITCH variable values may not hold separators of the syntax they sit in. */
const safe = (v: string) => v.replace(/[,{}[\]'\s^|]/g, '');

/**
 * A party of a live masking session dialled its DID: bridge them to the other party through the
 * gateway, showing the DID (number and name) so neither sees the other's number. Everything stored
 * — call log, path, answered_by, the session's call row, events — carries masked numbers only (the
 * runner made the session with the masked caller, so its call log row is written masked).
 */
export async function maskedBridge(s: CallSession, m: MaskingMatch): Promise<void> {
  const bLeg = randomUUID();
  const startedAt = stamp(s);
  const db = s.deps.adb;
  await startInboundMaskedCall(db, {
    id: s.callId, orgId: m.orgId, did: s.did, sessionId: m.sessionId, callerMasked: m.callerMasked, otherMasked: m.otherMasked,
    aLegUuid: s.uuid, bLegUuid: bLeg, switchId: s.switchId, startedAt,
  });

  let bridgedAt: string | null = null;
  // The bridged write runs from an event handler: the final write waits for it (same row, in order).
  let bridgedWrite: Promise<void> = Promise.resolve();
  const stop = s.channel.onEvent((e) => {
    if (e.name !== 'CHANNEL_BRIDGE' || bridgedAt) return;
    bridgedAt = stamp(s);
    bridgedWrite = bridgedInboundMaskedCall(db, s.callId, bridgedAt)
      .catch((err: unknown) => s.logger.error({ err }, 'masked call: storing the bridge failed'));
    emit(s, { type: 'call.bridged', otherLeg: bLeg });
  });
  let answered = false;
  let cause: string | null = null;
  try {
    // CHANNEL_BRIDGE while the bridge app runs needs an async socket; without one the answer time
    // comes from the bridge's result instead.
    await s.channel.goAsync?.();
    await s.channel.subscribe('CHANNEL_BRIDGE');
    await recordCall(s);
    const { externalGateway, ringTimeoutS } = s.deps.settings;
    const cid = safe(s.did.replace(/^\+/, ''));
    const vars = [
      `leg_timeout=${ringTimeoutS}`, `origination_uuid=${bLeg}`,
      `origination_caller_id_number=${cid}`, `effective_caller_id_number=${cid}`,
      `origination_caller_id_name=${cid}`, `effective_caller_id_name=${cid}`,
    ].join(',');
    const dialString = `{${vars}}sofia/gateway/${safe(externalGateway)}/${safe(m.otherParty.replace(/^\+/, ''))}`;
    const out = await bridgeTo(s, { kind: 'masking', target: m.otherMasked, dialString });
    answered = out.answered;
    cause = out.answered ? 'NORMAL_CLEARING' : out.cause;
    if (answered) s.record.answeredAt ??= bridgedAt ?? stamp(s);
    else await unavailable(s, out.cause === 'USER_BUSY' ? 'USER_BUSY' : 'NORMAL_TEMPORARY_FAILURE', out.cause);
  } finally {
    stop();
    await bridgedWrite;
    await endInboundMaskedCall(db, s.callId, { bridged: answered || bridgedAt !== null, at: stamp(s), cause: cause ?? s.channel.hangupCause() ?? 'NORMAL_CLEARING' });
  }
}
