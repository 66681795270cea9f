/**
 * The state of one emulated channel and the header blocks FreeSWITCH 1.10 puts on its events, in the
 * transcripts' order: core headers, channel block, caller profile, variables, event-specific headers.
 */
import { randomUUID } from 'node:crypto';
import type { Pairs } from './fs-encode.ts';

export const CORE_UUID = '7ce76c84-b80d-478b-a8c3-b964fcf46598';

/** Which FreeSWITCH an event comes from: its Core-UUID (one per process run) and switchname (default the capture's). */
export interface SwitchIdentity {
  readonly coreUuid: string;
  readonly switchname: string;
}

export const DEFAULT_IDENTITY: SwitchIdentity = { coreUuid: CORE_UUID, switchname: 'vm' };

export interface ChannelInit {
  readonly uuid?: string;
  readonly destination: string;
  readonly callerIdNumber: string;
  readonly callerIdName?: string;
  readonly context?: string;
  readonly variables?: Readonly<Record<string, string>>;
  /** The emulated switch the channel is on (Core-UUID, FreeSWITCH-Switchname of its events). */
  readonly switchIdentity?: SwitchIdentity;
}

export type AnswerState = 'ringing' | 'answered' | 'hangup';

const STATE_NUMBER: Record<string, number> = { CS_EXECUTE: 4, CS_HANGUP: 10, CS_REPORTING: 11 };

export class ChannelModel {
  readonly uuid: string;
  readonly destination: string;
  readonly callerIdNumber: string;
  readonly callerIdName: string;
  readonly context: string;
  readonly channelName: string;
  readonly createdUs: number;
  /** Insertion-ordered, like FreeSWITCH's variable list. */
  readonly vars = new Map<string, string>();
  state = 'CS_EXECUTE';
  callState = 'RINGING';
  answerState: AnswerState = 'ringing';
  answeredUs = 0;
  hangupUs = 0;
  hangupCause: string | undefined;
  readonly socketAppUuid = randomUUID();
  readonly identity: SwitchIdentity;
  #sequence = 700;

  constructor(init: ChannelInit) {
    this.uuid = init.uuid ?? randomUUID();
    this.identity = init.switchIdentity ?? DEFAULT_IDENTITY;
    this.destination = init.destination;
    this.callerIdNumber = init.callerIdNumber;
    this.callerIdName = init.callerIdName ?? init.callerIdNumber;
    this.context = init.context ?? 'public';
    this.channelName = `sofia/internal/${this.callerIdNumber}@127.0.0.1:5070`;
    this.createdUs = Date.now() * 1000;
    const base: Array<[string, string]> = [
      ['direction', 'inbound'],
      ['uuid', this.uuid],
      ['session_id', '5'],
      ['sip_from_user', this.callerIdNumber],
      ['sip_from_uri', `${this.callerIdNumber}@127.0.0.1:5070`],
      ['channel_name', this.channelName],
      ['sip_call_id', `1-${process.pid}@127.0.0.1`],
      ['sip_full_from', `"${this.callerIdName}" <sip:${this.callerIdNumber}@127.0.0.1:5070>;tag=emu`],
      ['sip_req_user', this.destination],
      ['sip_to_user', this.destination],
      ['rtp_use_codec_string', 'PCMU,PCMA'],
      ['read_codec', 'PCMU'],
      ['write_codec', 'PCMU'],
      ['dtmf_type', 'rfc2833'],
      ['endpoint_disposition', 'RECEIVED'],
      ['call_uuid', this.uuid],
    ];
    for (const [k, v] of base) this.vars.set(k, v);
    for (const [k, v] of Object.entries(init.variables ?? {})) this.vars.set(k, v);
  }

  setVar(name: string, value: string): void {
    this.vars.delete(name);
    this.vars.set(name, value);
  }

  /** switch_channel_set_variable(channel, name, NULL): the variable is gone. */
  unsetVar(name: string): void {
    this.vars.delete(name);
  }

  /** Event-Name + the core headers every event starts with. */
  core(eventName: string, callingFunction: string, subclass?: string): Pairs {
    return coreHeaders(eventName, callingFunction, this.#sequence++, subclass, this.identity);
  }

  /** The caller profile, prefixed `Caller-` on events and `Channel-` in the connect reply. */
  profile(prefix: 'Caller' | 'Channel'): Pairs {
    const p = (k: string, v: string): readonly [string, string] => [`${prefix}-${k}`, v];
    return [
      p('Direction', 'inbound'),
      p('Logical-Direction', 'inbound'),
      p('Username', this.callerIdNumber),
      p('Dialplan', 'XML'),
      p('Caller-ID-Name', this.callerIdName),
      p('Caller-ID-Number', this.callerIdNumber),
      p('Orig-Caller-ID-Name', this.callerIdName),
      p('Orig-Caller-ID-Number', this.callerIdNumber),
      p('Network-Addr', '127.0.0.1'),
      p('ANI', this.callerIdNumber),
      p('Destination-Number', this.destination),
      p('Unique-ID', this.uuid),
      p('Source', 'mod_sofia'),
      p('Context', this.context),
      p('Channel-Name', this.channelName),
      p('Profile-Index', '1'),
      p('Profile-Created-Time', String(this.createdUs)),
      p('Channel-Created-Time', String(this.createdUs)),
      p('Channel-Answered-Time', String(this.answeredUs)),
      p('Channel-Hangup-Time', String(this.hangupUs)),
    ];
  }

  channelBlock(): Pairs {
    const pairs: Array<readonly [string, string]> = [
      ['Channel-State', this.state],
      ['Channel-Call-State', this.callState],
      ['Channel-State-Number', String(STATE_NUMBER[this.state] ?? 4)],
      ['Channel-Name', this.channelName],
      ['Unique-ID', this.uuid],
      ['Call-Direction', 'inbound'],
      ['Presence-Call-Direction', 'inbound'],
      ['Channel-HIT-Dialplan', 'true'],
      ['Channel-Call-UUID', this.uuid],
      ['Answer-State', this.answerState],
    ];
    if (this.hangupCause !== undefined) pairs.push(['Hangup-Cause', this.hangupCause]);
    pairs.push(
      ['Channel-Read-Codec-Name', 'PCMU'],
      ['Channel-Read-Codec-Rate', '8000'],
      ['Channel-Write-Codec-Name', 'PCMU'],
      ['Channel-Write-Codec-Rate', '8000'],
    );
    return pairs;
  }

  variables(): Pairs {
    return [...this.vars].map(([k, v]) => [`variable_${k}`, v] as const);
  }

  /** A channel event: core, channel block, caller profile, variables (unless omitted), extra. */
  event(name: string, extra: Pairs = [], options: { withVariables?: boolean; subclass?: string; fn?: string } = {}): Pairs {
    return [
      ...this.core(name, options.fn ?? 'switch_core_session_exec', options.subclass),
      ...this.channelBlock(),
      ...this.profile('Caller'),
      ...(options.withVariables === false ? [] : this.variables()),
      ...extra,
    ];
  }

  /** Fact 1: the connect reply is the channel data with Content-Type and Reply-Text at the end; Socket-Mode says how the socket app runs. */
  connectReply(socketMode: 'static' | 'async' = 'async'): Pairs {
    return [
      ...this.core('CHANNEL_DATA', 'parse_command'),
      ...this.profile('Channel'),
      ...this.channelBlock(),
      ...this.profile('Caller'),
      ...this.variables(),
      ['Content-Type', 'command/reply'],
      ['Reply-Text', '+OK\n'],
      ['Socket-Mode', socketMode],
      ['Control', 'full'],
    ];
  }
}

/** The headers every FreeSWITCH event starts with (Event-Subclass first for CUSTOM). */
export function coreHeaders(eventName: string, callingFunction: string, sequence: number, subclass?: string, identity: SwitchIdentity = DEFAULT_IDENTITY): Pairs {
  const now = new Date();
  const pairs: Array<readonly [string, string]> = [];
  if (subclass !== undefined) pairs.push(['Event-Subclass', subclass]);
  pairs.push(
    ['Event-Name', eventName],
    ['Core-UUID', identity.coreUuid],
    ['FreeSWITCH-Hostname', identity.switchname],
    ['FreeSWITCH-Switchname', identity.switchname],
    ['FreeSWITCH-IPv4', '192.0.2.2'],
    ['FreeSWITCH-IPv6', 'fd00::2'],
    ['Event-Date-Local', now.toISOString().replace('T', ' ').slice(0, 19)],
    ['Event-Date-GMT', now.toUTCString()],
    ['Event-Date-Timestamp', String(now.getTime() * 1000)],
    ['Event-Calling-File', callingFunction === 'api_exec' ? 'mod_event_socket.c' : 'switch_core_session.c'],
    ['Event-Calling-Function', callingFunction],
    ['Event-Calling-Line-Number', '2944'],
    ['Event-Sequence', String(sequence)],
  );
  return pairs;
}
