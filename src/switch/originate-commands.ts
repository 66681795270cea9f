/**
 * Originate command strings (pure). Every placed call has two legs whose UUIDs we choose up front
 * (`origination_uuid`), so channel events are correlated from the first CHANNEL_CREATE, before the
 * BACKGROUND_JOB answers. The first leg runs an inline dialplan: optional intro playback, then a bridge
 * to the second leg. Caller ID: the second leg (and the first, except for click-to-call agents) sees the DID.
 */

export interface LegDial {
  /** e.g. user/1001@acme.sip or sofia/gateway/pstn/+919944421125 */
  dial: string;
  uuid: string;
  callerIdNumber: string;
  callerIdName: string;
}

export interface OriginatePlan {
  callId: string;
  did: string;
  a: LegDial;
  b: { dial: string; uuid: string };
  ringTimeoutS: number;
  /** Absolute path of a wav played to the first leg before the second is dialled. */
  introPath?: string | null;
}

/** FreeSWITCH variable values may not hold separators of the syntax they sit in. */
const safe = (v: string) => v.replace(/[,{}[\]'\s^|]/g, '');

export function externalDial(gateway: string, e164: string): string {
  return `sofia/gateway/${safe(gateway)}/${safe(e164)}`;
}

export function extensionDial(ext: string, sipDomain: string): string {
  return `user/${safe(ext)}@${safe(sipDomain)}`;
}

export function originateCommand(p: OriginatePlan): string {
  const vars = [
    `origination_uuid=${p.a.uuid}`,
    `origination_caller_id_number=${safe(p.a.callerIdNumber)}`,
    `origination_caller_id_name=${safe(p.a.callerIdName)}`,
    `effective_caller_id_number=${safe(p.did)}`,
    `effective_caller_id_name=${safe(p.did)}`,
    `originate_timeout=${p.ringTimeoutS}`,
    `call_timeout=${p.ringTimeoutS}`,
    'ignore_early_media=true',
    'hangup_after_bridge=true',
    `sb_call_id=${p.callId}`,
  ].join(',');
  // Exported: the second leg carries sb_call_id too, which is what the inbound socket's filter lets through.
  const apps: string[] = [`export:sb_call_id=${p.callId}`];
  if (p.introPath) apps.push(`playback:${safe(p.introPath)}`);
  apps.push(`bridge:[origination_uuid=${p.b.uuid}]${p.b.dial}`);
  return `originate {${vars}}${p.a.dial} '${apps.join(',')}' inline`;
}

export interface PlacedRunPlan {
  callId: string;
  did: string;
  /** The customer's leg: its dial string and the uuid we chose for it. */
  leg: { dial: string; uuid: string };
  ringTimeoutS: number;
  /** Where FreeSWITCH reaches our call server (`host:port`). */
  socketEndpoint: string;
}

/**
 * A call the controller runs once answered (flow, tts, bot): the customer's leg, showing the DID, hands
 * itself to our call server with the same sync `socket` app as the dialplan's inbound calls. The channel
 * carries only sb_call_id; the controller finds what to play by that id and this leg's uuid.
 */
export function placedRunCommand(p: PlacedRunPlan): string {
  const vars = [
    `origination_uuid=${p.leg.uuid}`,
    `origination_caller_id_number=${safe(p.did)}`,
    `origination_caller_id_name=${safe(p.did)}`,
    `originate_timeout=${p.ringTimeoutS}`,
    'ignore_early_media=true',
    `sb_call_id=${p.callId}`,
  ].join(',');
  return `originate {${vars}}${p.leg.dial} 'socket:${safe(p.socketEndpoint)} full' inline`;
}
