/**
 * Inbound mode: an ESL server like FreeSWITCH's :8021, shaped on inbound-api-bgapi-events.txt:
 * auth/request → `auth <pw>` → `+OK accepted`; api; bgapi (+OK Job-UUID, then BACKGROUND_JOB with an
 * inner body); event plain; noevents; exit (+OK bye, disconnect notice without a session, close).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { CommandReader, type ServerCommand } from './command-reader.ts';
import { DEFAULT_IDENTITY, coreHeaders, type SwitchIdentity } from './channel-model.ts';
import * as wire from './fs-encode.ts';
import { Recorder } from './recorder.ts';
import { OriginateSimulator, type OriginateSimOptions } from './inbound-originate.ts';

export interface InboundEmulatorOptions {
  readonly password?: string;
  /** Fixed port (e.g. to restart on the same port); default 0. */
  readonly port?: number;
  /** Result of `originate <args>`: a failure cause (e.g. USER_BUSY) or undefined for success. */
  readonly originate?: (args: string) => string | undefined;
  /** Delay before BACKGROUND_JOB (default 5 ms). */
  readonly bgapiDelayMs?: number;
  /** Two-leg originate with channel events to every subscribed connection (inbound-originate.ts). */
  readonly calls?: OriginateSimOptions;
  /** The channels the switch has, for `uuid_exists`, `uuid_transfer` and `show channels as delim |` (default none). */
  readonly channels?: () => Iterable<string | EmulatedChannel>;
  /**
   * Which FreeSWITCH this is: the Core-UUID and FreeSWITCH-Switchname on its events, `global_getvar core_uuid`'s
   * answer, and (with `calls`) the identity of the legs it hands to a controller. Default the capture's.
   */
  readonly identity?: SwitchIdentity;
  /** SIP users registered here (`user@domain`), for `sofia_contact <profile>/<user>@<domain>` (default none). */
  readonly registered?: () => Iterable<string>;
}

/** A channel in the `show channels` listing: by default in controller_unavailable's playback. */
export interface EmulatedChannel {
  readonly uuid: string;
  readonly createdEpochS?: number;
  /** Parked in the socket app itself (`socket|127.0.0.1:8084 async full`). */
  readonly inSocketApp?: boolean;
}

/** `show channels as delim |` on 1.10.12: this header, one line per channel (uuid first), a blank line, `N total.`. */
const CHANNEL_COLUMNS =
  'uuid|direction|created|created_epoch|name|state|cid_name|cid_num|ip_addr|dest|application|application_data|dialplan|context|' +
  'read_codec|read_rate|read_bit_rate|write_codec|write_rate|write_bit_rate|secure|hostname|presence_id|presence_data|accountcode|' +
  'callstate|callee_name|callee_num|callee_direction|call_uuid|sent_callee_name|sent_callee_num|initial_cid_name|initial_cid_num|' +
  'initial_ip_addr|initial_dest|initial_dialplan|initial_context';

function channelLine(ch: EmulatedChannel, i: number): string {
  const app = ch.inSocketApp
    ? '918065978001|socket|127.0.0.1:8084 async full'
    : 'controller_unavailable|playback|tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)';
  return `${ch.uuid}|inbound|2026-12-05 11:58:01|${ch.createdEpochS ?? 1796471881}|sofia/trunks/sipp@127.0.0.1:5070|CS_EXECUTE|sipp|sipp|127.0.0.1|${app}|` +
    `XML|public|PCMU|8000|64000|PCMU|8000|64000||vm||||ACTIVE|||||||sipp|sipp|127.0.0.1|9180659780${String(i % 100).padStart(2, '0')}|XML|public`;
}

interface Filter {
  header: string;
  value: string;
}

/** No filter: everything passes; else at least one filter's header matches (exact or /regex/). */
function passes(filters: readonly Filter[], pairs: wire.Pairs): boolean {
  if (filters.length === 0) return true;
  return filters.some((f) => pairs.some(([k, v]) => k === f.header && (f.value.length > 1 && f.value.startsWith('/') && f.value.endsWith('/') ? new RegExp(f.value.slice(1, -1)).test(v) : v === f.value)));
}

const STATUS =
  'UP 0 years, 0 days, 0 hours, 34 minutes, 34 seconds, 311 milliseconds, 69 microseconds\n' +
  'FreeSWITCH (Version 1.10.12-release git a88d069 2024-08-02 21:02:27Z 64bit) is ready\n' +
  '0 session(s) since startup\n0 session(s) - peak 0, last 5min 0 \n';

export class InboundEmulator {
  readonly recorders: Recorder[] = [];
  /** Every command line received, in order, across connections (`auth` shown as `auth ***`). */
  readonly commandLog: string[] = [];
  readonly #options: InboundEmulatorOptions;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | undefined;
  #port = 0;
  #sequence = 333_000;
  readonly #subscribers = new Set<{ events: Set<string>; filters: Filter[]; write: (b: Buffer) => void }>();
  /** Present when `calls` is given: the emulated channels. */
  readonly sim: OriginateSimulator | undefined;
  /** mod_db's data (`db insert|select|delete|list`): realm → key → value. */
  readonly db = new Map<string, Map<string, string>>();
  readonly identity: SwitchIdentity;

  constructor(options: InboundEmulatorOptions = {}) {
    this.#options = options;
    this.#port = options.port ?? 0;
    this.identity = options.identity ?? DEFAULT_IDENTITY;
    if (options.calls) {
      this.sim = new OriginateSimulator({ identity: this.identity, ...options.calls }, (pairs) => {
        const name = pairs.find(([k]) => k === 'Event-Name')?.[1] ?? '';
        for (const sub of this.#subscribers) {
          if ((sub.events.has(name) || sub.events.has('ALL')) && passes(sub.filters, pairs)) sub.write(wire.eventPlain(pairs));
        }
      });
    }
  }

  get port(): number {
    return this.#port;
  }

  get connectionCount(): number {
    return this.#sockets.size;
  }

  async listen(): Promise<number> {
    const server = createServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#port = (server.address() as AddressInfo).port;
    return this.#port;
  }

  /** Stops listening and destroys every connection (like FreeSWITCH going away). */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.sim?.close();
    for (const s of this.#sockets) s.destroy();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const recorder = new Recorder();
    this.recorders.push(recorder);
    this.#sockets.add(socket);
    socket.on('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
    const state = { authed: false, events: new Set<string>(), filters: [] as Filter[] };
    const write = (bytes: Buffer): void => {
      if (socket.destroyed || socket.writableEnded) return;
      recorder.record('in', bytes);
      socket.write(bytes);
    };
    const subscriber = { events: state.events, filters: state.filters, write };
    this.#subscribers.add(subscriber);
    socket.on('close', () => this.#subscribers.delete(subscriber));
    const reader = new CommandReader();
    socket.on('data', (chunk: Buffer) => {
      recorder.record('out', chunk);
      for (const c of reader.feed(chunk)) this.#command(c, state, write, () => socket.end());
    });
    write(wire.AUTH_REQUEST);
  }

  #command(
    c: ServerCommand,
    state: { authed: boolean; events: Set<string>; filters: Filter[] },
    write: (b: Buffer) => void,
    end: () => void,
  ): void {
    const [verb = '', ...rest] = c.line.split(' ');
    this.commandLog.push(verb === 'auth' ? 'auth ***' : c.line);
    const reply = (text: string, extra: wire.Pairs = []): void => write(wire.commandReply(text, extra));
    if (!state.authed) {
      if (verb === 'auth' && rest.join(' ') === (this.#options.password ?? 'ClueCon')) {
        state.authed = true;
        return reply('+OK accepted');
      }
      reply('-ERR invalid');
      write(wire.disconnectNotice());
      return end();
    }
    const sim = this.sim;
    if (sim && (verb === 'api' || verb === 'bgapi')) {
      const [name = '', ...args] = rest;
      if (name === 'originate') {
        const jobUuid = c.headers.get('job-uuid') ?? randomUUID();
        if (verb === 'bgapi') reply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
        void sim.originate(args.join(' ')).then((body) => {
          if (verb === 'api') return write(wire.apiResponse(body));
          if (!state.events.has('BACKGROUND_JOB') && !state.events.has('ALL')) return;
          const pairs: wire.Pairs = [...coreHeaders('BACKGROUND_JOB', 'api_exec', this.#sequence++, undefined, this.identity), ['Job-UUID', jobUuid], ['Job-Command', 'originate'], ['Job-Command-Arg', args.join(' ')]];
          if (passes(state.filters, pairs)) write(wire.eventPlain(pairs, body));
        });
        return;
      }
      const simulated = verb === 'api' ? sim.api(name, args) : undefined;
      if (simulated !== undefined) return write(wire.apiResponse(simulated));
    }
    switch (verb) {
      case 'api':
        return write(wire.apiResponse(this.#api(rest.join(' '), state.events, write)));
      case 'bgapi': {
        const jobUuid = c.headers.get('job-uuid') ?? randomUUID();
        const command = rest.join(' ');
        reply(`+OK Job-UUID: ${jobUuid}`, [['Job-UUID', jobUuid]]);
        const t = setTimeout(() => {
          this.#timers.delete(t);
          const body = this.#api(command, state.events, write);
          if (!state.events.has('BACKGROUND_JOB') && !state.events.has('ALL')) return;
          const [name = '', ...args] = command.split(' ');
          const pairs: wire.Pairs = [
            ...coreHeaders('BACKGROUND_JOB', 'api_exec', this.#sequence++, undefined, this.identity),
            ['Job-UUID', jobUuid],
            ['Job-Command', name],
            ...(args.length > 0 ? [['Job-Command-Arg', args.join(' ')] as const] : []),
          ];
          if (passes(state.filters, pairs)) write(wire.eventPlain(pairs, body));
        }, this.#options.bgapiDelayMs ?? 5);
        this.#timers.add(t);
        return;
      }
      case 'event':
        for (const n of rest.slice(1)) if (n) state.events.add(n);
        return reply(`+OK event listener enabled ${rest[0] ?? 'plain'}`);
      case 'filter': {
        // mod_event_socket: `filter <header> <value>` (value exact, or /regex/); filters are OR'ed.
        const [header = '', ...value] = rest;
        state.filters.push({ header, value: value.join(' ') });
        return reply(`+OK filter added. [${header}]=[${value.join(' ')}]`);
      }
      case 'noevents':
        state.events.clear();
        return reply('+OK no longer listening for events');
      case 'exit':
        reply('+OK bye');
        write(wire.disconnectNotice());
        return end();
      default:
        return reply('-ERR command not found');
    }
  }

  #channels(): EmulatedChannel[] {
    return [...(this.#options.channels?.() ?? [])].map((c) => (typeof c === 'string' ? { uuid: c } : c));
  }

  /**
   * mod_db's `db` API as 1.10.12 answers it (mod_db.c): insert/delete `+OK`; select the value; list the
   * keys comma-separated in a 4 KB buffer (a cut-off last key, then its last character dropped). An
   * empty answer is what the event socket turns into `-ERR no reply`.
   */
  #modDb(command: string): string {
    const [op = '', realm = '', key = '', ...rest] = command.split('/');
    const table = this.db.get(realm);
    let out = '';
    switch (op) {
      case 'insert':
        if (!this.db.has(realm)) this.db.set(realm, new Map());
        this.db.get(realm)!.set(key, rest.join('/'));
        return '+OK';
      case 'delete':
        table?.delete(key);
        return '+OK';
      case 'select':
        out = table?.get(key) ?? '';
        break;
      case 'list':
        for (const k of table?.keys() ?? []) out += `${k},`.slice(0, Math.max(0, 4095 - out.length));
        out = out.slice(0, -1);
        break;
      default:
        return '!err!';
    }
    return out === '' ? '-ERR no reply\n' : out;
  }

  /** The api result body; `originate` also emits CHANNEL_CREATE / CHANNEL_ANSWER when subscribed. */
  #api(command: string, events: Set<string>, write: (b: Buffer) => void): string {
    const [name = '', ...args] = command.split(' ');
    switch (name) {
      case 'status':
        return STATUS;
      case 'reloadxml':
        return '+OK [Success]\n';
      case 'sofia_contact': {
        // mod_sofia: the contact as a dial string when registered, else error/user_not_registered.
        const [profile = '', who = ''] = (args[0] ?? '').split('/');
        const [user = ''] = who.split('@');
        return [...(this.#options.registered?.() ?? [])].includes(who) ? `sofia/${profile}/sip:${user}@127.0.0.1:5062` : 'error/user_not_registered';
      }
      case 'global_getvar':
        // switch_core.c sets core_uuid at start: one per FreeSWITCH process run.
        return args[0] === 'core_uuid' ? this.identity.coreUuid : '';
      case 'callcenter_config':
        return '+OK\n';
      case 'show': {
        if (args.join(' ') !== 'channels as delim |') return '\n0 total.\n';
        const channels = this.#channels();
        if (channels.length === 0) return '\n0 total.\n';
        return `${CHANNEL_COLUMNS}\n${channels.map(channelLine).join('\n')}\n\n${channels.length} total.\n`;
      }
      case 'uuid_exists':
        return this.#channels().some((c) => c.uuid === args[0]) ? 'true' : 'false';
      case 'uuid_transfer':
        return this.#channels().some((c) => c.uuid === args[0]) ? '+OK\n' : '-ERR No such channel!\n';
      case 'db':
        return this.#modDb(args.join(' '));
      case 'hupall':
        return `+OK hangup all channels with cause ${args[0] ?? 'NORMAL_CLEARING'}\n`;
      case 'originate': {
        const failure = this.#options.originate?.(args.join(' '));
        if (failure) return `-ERR ${failure}\n`;
        const uuid = randomUUID();
        for (const ev of ['CHANNEL_CREATE', 'CHANNEL_ANSWER']) {
          if (!events.has(ev) && !events.has('ALL')) continue;
          write(wire.eventPlain([...coreHeaders(ev, 'switch_core_session_run', this.#sequence++, undefined, this.identity), ['Unique-ID', uuid]]));
        }
        return `+OK ${uuid}\n`;
      }
      default:
        return `-ERR ${name} Command not found!\n`;
    }
  }
}
