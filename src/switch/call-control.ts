/**
 * Places calls over the switches' inbound ESL connections (bgapi originate with our own Job-UUID and leg
 * UUIDs) on a switch the picker chooses, follows them through CHANNEL_CREATE / ANSWER / BRIDGE /
 * HANGUP_COMPLETE, keeps outbound_calls and call_logs current (both remember the switch), emits call
 * events on the bus, records bridged calls, and hangs calls up on the switch that has them.
 * One object per process (created in main.ts or a test); its state is the map of live legs.
 * The event handler is synchronous; what an event writes to the database runs on the call's own queue
 * (`Live.writes`), in event order, and its bus event is emitted once the write is done.
 */
import { unansweredOutcome, type CallOutcome } from '../call/outcome.ts';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { transaction, type Db } from '../db/handle.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import type { EslEvent } from '../esl/event.ts';
import { eq } from 'drizzle-orm';
import { EslCommandError, EslClosedError } from '../esl/replies.ts';
import { endMaskingSession, maskingNumbers } from '../services/masking/store.ts';
import { extensionDial, externalDial, originateCommand, placedRunCommand, type OriginatePlan } from './originate-commands.ts';
import { isPlacedKind, type PlacedSpec } from '../services/calls/placed-spec.ts';
import { CallNotLiveError, SwitchUnavailableError, type CallControl, type NewCall } from '../services/calls/control.ts';
import {
  LIVE_STATUSES, answerCallLog, insertOutbound, finishCallLog,
  getOutbound, getOutboundInOrg, setStatus, startCallLog,
  type OutboundRow,
} from '../services/calls/call-store.ts';
import type { SwitchLink, Switches } from './switches.ts';
import { createSwitchPicker, type OriginatePolicy } from './switch-picker.ts';
import { createCallRecovery } from './call-recovery.ts';
import { registeredOn } from './registered-on.ts';

export interface CallControlOptions {
  db: Db;
  logger: Logger;
  bus: CallEventBus;
  /** The switches calls are placed on (null: none configured; placing calls is refused). */
  switches: Switches | null;
  /** Which connected switch a new call goes to (default least_calls). */
  policy?: OriginatePolicy;
  /** Calls on a switch besides the placed calls this control follows (the inbound calls this instance runs), for least_calls. */
  inboundLoad?: (switchId: string) => number;
  /** A live placed call whose switch cannot be asked is ended once this old (default 4 h = max_call_seconds). */
  switchDownMs?: number;
  /** How often such calls are looked for (default 60 s; 0 = only when a switch connects). */
  expireEveryMs?: number;
  /**
   * The sofia profile extensions register on (SIP_REGISTRATION_PROFILE). With several switches connected, a
   * click-to-call goes to the switch its agent's extension is registered on (else by the policy).
   */
  registrationProfile?: string;
  gateway: string;
  ringTimeoutS: number;
  /** Where bridged calls are recorded (null = no recording). */
  recordingsDir: string | null;
  /** Renders an intro text to a wav the switch can play; null = no intro. */
  renderIntro?: (text: string, callId: string) => Promise<string | null>;
  /**
   * Where FreeSWITCH reaches our call server (`host:port`): flow, tts and bot calls hand themselves to it
   * once answered. Without it such calls are refused (SwitchUnavailableError).
   */
  socketEndpoint?: string;
  /** A flow/tts/bot call is about to be dialled (e.g. open its bot's connection while the phone rings). */
  onDial?: (row: OutboundRow) => void;
  /** A placed call ended (whatever it was): release what onDial prepared. */
  onEnd?: (callId: string) => void;
  /** Renders a tts call's template (on use: at dial time) to the wav the switch plays. */
  renderTemplate?: (orgId: string, templateId: string, variables: Readonly<Record<string, string>> | readonly string[]) => Promise<string>;
  commandTimeoutMs?: number;
  now?: () => Date;
}

interface Live {
  id: string;
  orgId: string;
  a: string;
  b: string;
  /** The switch that has the call's channels. */
  link: SwitchLink;
  startedAt: string;
  answered: boolean;
  bridged: boolean;
  /** A flow/tts/bot call: once answered, the controller's session owns its call log and its call.hangup. */
  runsInController: boolean;
  bCause: string | null;
  path: Array<{ step: string; at: string }>;
  /** The row's numbers the events report (ringing), and the agent extension (bridged). */
  did: string;
  firstNumber: string | null;
  extNo: string | null;
  /** The call's database writes, one after another in event order. */
  writes: Promise<void>;
}

export function createCallControl(o: CallControlOptions): CallControl {
  const now = o.now ?? (() => new Date());
  const log = o.logger.child({ component: 'originate' });
  const switches = o.switches;
  const byUuid = new Map<string, Live>();
  /** Placed calls followed per switch (least_calls). */
  const perSwitch = new Map<string, number>();
  const offs: Array<() => void> = [];
  let expiry: NodeJS.Timeout | undefined;
  const timeoutMs = o.commandTimeoutMs ?? 5_000;
  const picker = createSwitchPicker(o.policy ?? 'least_calls', (id) => (perSwitch.get(id) ?? 0) + (o.inboundLoad?.(id) ?? 0));
  const count = (link: SwitchLink, by: number): void => void perSwitch.set(link.id, (perSwitch.get(link.id) ?? 0) + by);

  const pickSwitch = (): SwitchLink => {
    const link = switches ? picker.pick(switches.list) : null;
    if (!link) throw new SwitchUnavailableError('FreeSWITCH is not connected; the call was not placed');
    return link;
  };

  /** A click-to-call rings the agent first: on the switch the agent's phone is registered on, when that is one of several. */
  const agentSwitch = async (row: OutboundRow): Promise<SwitchLink | null> => {
    if (row.kind !== 'click_to_call' || !o.registrationProfile || !row.extNo || !switches) return null;
    if (switches.list.filter((l) => l.connected).length < 2) return null;
    return registeredOn(switches.list, o.registrationProfile, row.extNo, await sipDomainOf(row.orgId), timeoutMs);
  };
  const sipDomainOf = async (orgId: string): Promise<string> => {
    const { organizations } = o.db.t;
    return (await o.db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, orgId)).limit(1))[0]?.d ?? '';
  };

  const track = (row: OutboundRow, startedAt: string, link: SwitchLink): Live => {
    const live: Live = {
      id: row.id, orgId: row.orgId, a: row.aLegUuid, b: row.bLegUuid, link, startedAt, answered: false, bridged: false, runsInController: isPlacedKind(row.kind), bCause: null, path: [],
      did: row.did, firstNumber: row.firstNumber, extNo: row.extNo, writes: Promise.resolve(),
    };
    byUuid.set(live.a, live);
    byUuid.set(live.b, live);
    count(link, 1);
    return live;
  };

  /** Queues `work` after the call's earlier writes; a failure is logged and does not stop the later ones. */
  const write = (live: Live, what: string, work: () => Promise<void>): Promise<void> => {
    live.writes = live.writes.then(work).catch((err: unknown) => log.error({ err, call: live.id }, `${what}: database write failed`));
    return live.writes;
  };

  /**
   * Ended calls whose writes are still running, by id: a session's call.hangup waits for them (settled),
   * and the switch side may end the call (CHANNEL_HANGUP_COMPLETE) before the session asks.
   */
  const draining = new Map<string, Live>();
  const drain = (live: Live): void => {
    draining.set(live.id, live);
    void live.writes.then(() => {
      if (draining.get(live.id) === live) draining.delete(live.id);
    });
  };

  const end = (live: Live, cause: string | null): void => {
    if (byUuid.get(live.a) !== live) return;
    byUuid.delete(live.a);
    byUuid.delete(live.b);
    count(live.link, -1);
    const at = now().toISOString();
    const finalCause = !live.bridged && live.bCause ? live.bCause : cause;
    live.path.push({ step: 'hangup', at });
    o.onEnd?.(live.id);
    if (live.runsInController && live.answered) {
      // The session that ran the call finishes its row and announces its end (src/call/runner.ts).
      void write(live, 'hangup', () => setStatus(o.db, live.id, 'ended', { endedAt: at, hangupCause: cause }));
      drain(live);
      return;
    }
    // The one outcome vocabulary (src/call/outcome.ts): the second party answered, did not, or the first never did.
    // A flow/tts/bot call rings one party, the customer: that leg's cause says busy or no answer.
    const outcome: CallOutcome = live.bridged ? 'connected' : live.answered || live.runsInController ? unansweredOutcome(finalCause ?? '') : 'failed';
    const path = [...live.path];
    void write(live, 'hangup', async () => {
      const row = await getOutbound(o.db, live.id);
      // One transaction: a client that sees the call ended (GET /calls/:id) sees its call log closed too.
      await transaction(o.db, async (tx) => {
        await setStatus(tx, live.id, live.bridged ? 'ended' : 'failed', { endedAt: at, hangupCause: finalCause });
        await finishCallLog(tx, live.id, { endedAt: at, startedAt: live.startedAt, cause: finalCause, disposition: outcome, path });
        if (row?.maskingSessionId) await endMaskingSession(tx, row.maskingSessionId, 'ended', at);
      });
      o.bus.emit({ type: 'call.hangup', callId: live.id, orgId: live.orgId, cause: finalCause, disposition: outcome, at });
    });
    drain(live);
  };

  const onEvent = (e: EslEvent): void => {
    const uuid = e.uniqueId;
    const live = uuid ? byUuid.get(uuid) : undefined;
    if (!live || !uuid) return;
    const at = now().toISOString();
    const leg = uuid === live.a ? 'a' : 'b';
    switch (e.name) {
      case 'CHANNEL_CREATE':
        live.path.push({ step: `${leg}_ringing`, at });
        if (leg === 'a') {
          void write(live, 'ringing', async () => {
            const row = await getOutbound(o.db, live.id);
            if (row?.status === 'dialing') await setStatus(o.db, live.id, 'ringing');
            o.bus.emit({ type: 'call.ringing', callId: live.id, orgId: live.orgId, did: row?.did ?? '', caller: row?.firstNumber ?? '', at });
          });
        }
        return;
      case 'CHANNEL_ANSWER':
        live.path.push({ step: `${leg}_answered`, at });
        if (leg === 'a' && !live.answered) {
          live.answered = true;
          void write(live, 'answered', async () => {
            await setStatus(o.db, live.id, 'answered', { answeredAt: at });
            if (live.runsInController) await answerCallLog(o.db, live.id, at, null);
            o.bus.emit({ type: 'call.answered', callId: live.id, orgId: live.orgId, at });
          });
        }
        return;
      case 'CHANNEL_BRIDGE':
        if (live.bridged) return;
        live.bridged = true;
        live.path.push({ step: 'bridged', at });
        void write(live, 'bridged', async () => {
          await setStatus(o.db, live.id, 'bridged', { bridgedAt: at });
          // For placed calls the log's "answered" means the two parties were connected.
          await answerCallLog(o.db, live.id, at, live.extNo);
          o.bus.emit({ type: 'call.bridged', callId: live.id, orgId: live.orgId, otherLeg: live.b, at });
        });
        // Not awaited: the event handler is synchronous; startRecording() catches and logs its own failure.
        void startRecording(live);
        return;
      case 'CHANNEL_HANGUP_COMPLETE': {
        const cause = e.headers['Hangup-Cause'] ?? null;
        if (leg === 'b') {
          live.bCause = cause;
          live.path.push({ step: 'b_hangup', at });
        } else end(live, cause);
        return;
      }
    }
  };

  const startRecording = async (live: Live): Promise<void> => {
    if (!o.recordingsDir) return;
    const dir = join(o.recordingsDir, live.orgId);
    const path = join(dir, `${live.id}.wav`);
    try {
      mkdirSync(dir, { recursive: true });
      await live.link.client.api(`uuid_record ${live.a} start ${path}`, { timeoutMs });
      await o.db.insert(o.db.t.callRecordings).values({ orgId: live.orgId, callId: live.id, path });
    } catch (err) {
      log.warn({ err, call: live.id }, 'recording did not start');
    }
  };

  const place = async (id: string): Promise<void> => {
    const row = await getOutbound(o.db, id);
    if (!row) return;
    const link = (await agentSwitch(row)) ?? pickSwitch();
    let first = row.firstNumber ?? '';
    let second = row.secondNumber ?? '';
    if (row.kind === 'masking' && row.maskingSessionId) {
      const pair = await maskingNumbers(o.db, row.maskingSessionId);
      if (!pair) return setStatus(o.db, id, 'cancelled', { hangupCause: 'SESSION_ENDED' });
      [first, second] = [pair.first, pair.second];
    }
    if (isPlacedKind(row.kind)) return placeRun(row, link);
    const introPath = row.intro && o.renderIntro ? await o.renderIntro(row.intro, row.id).catch((err: unknown) => {
      log.warn({ err, call: id }, 'intro could not be rendered; calling without it');
      return null;
    }) : null;
    const c2c = row.kind === 'click_to_call';
    const sipDomain = c2c ? await sipDomainOf(row.orgId) : '';
    const plan: OriginatePlan = {
      callId: row.id,
      did: row.did,
      // Click-to-call rings the agent first (showing the customer's number), then the customer (showing the DID).
      a: c2c
        ? { dial: extensionDial(row.extNo ?? '', sipDomain), uuid: row.aLegUuid, callerIdNumber: second, callerIdName: 'Click-to-call' }
        : { dial: externalDial(o.gateway, first), uuid: row.aLegUuid, callerIdNumber: row.did, callerIdName: row.did },
      b: { dial: externalDial(o.gateway, second), uuid: row.bLegUuid },
      ringTimeoutS: o.ringTimeoutS,
      introPath,
    };
    const live = await startDialing(row, link);
    dial(live, originateCommand(plan));
  };

  /** The row and its call log say dialling on `link` (before the originate: a recovery then knows where to look). */
  const startDialing = async (row: OutboundRow, link: SwitchLink): Promise<Live> => {
    const startedAt = now().toISOString();
    await setStatus(o.db, row.id, 'dialing', { startedAt, switchId: link.id });
    await startCallLog(o.db, row, startedAt, link.id);
    const live = track(row, startedAt, link);
    live.path.push({ step: 'originate', at: startedAt });
    return live;
  };

  const dial = (live: Live, command: string): void => {
    const id = live.id;
    const client = live.link.client;
    client.bgapi(command, { timeoutMs: (o.ringTimeoutS + 10) * 1000 }).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof EslCommandError) return end(live, err.reason.split(/\s/)[0] || 'ORIGINATE_FAILED');
        if (err instanceof EslClosedError) {
          // The switch may still carry the call: the next connection's recovery decides.
          log.warn({ err, call: id }, 'switch connection lost during originate');
          return;
        }
        log.error({ err, call: id }, 'originate failed');
        void client.api(`uuid_kill ${live.a}`, { timeoutMs }).catch(() => undefined);
        end(live, 'ORIGINATE_TIMEOUT');
      },
    );
  };

  /** Dials the customer of a flow/tts/bot call; answered, the call comes to our call server. */
  const placeRun = async (row: OutboundRow, link: SwitchLink): Promise<void> => {
    const live = await startDialing(row, link);
    const ready = await readySpec(row).catch((err: unknown) => {
      log.warn({ err, call: row.id }, 'placed call not dialled');
      return null;
    });
    if (!ready || !o.socketEndpoint) return end(live, ready ? 'NO_CALL_SERVER' : 'TEMPLATE_RENDER_FAILED');
    o.onDial?.(row);
    const command = placedRunCommand({
      callId: row.id, did: row.did, leg: { dial: externalDial(o.gateway, row.firstNumber ?? ''), uuid: row.aLegUuid },
      ringTimeoutS: o.ringTimeoutS, socketEndpoint: o.socketEndpoint,
    });
    dial(live, command);
  };

  /** A tts call's message is rendered on use (at dial time) and kept on the row for the session to play. */
  const readySpec = async (row: OutboundRow): Promise<boolean> => {
    const spec = row.spec as PlacedSpec | null;
    if (!spec) return false;
    if (spec.kind !== 'tts') return true;
    if (!o.renderTemplate) return false;
    const audio = await o.renderTemplate(row.orgId, spec.templateId, spec.variables);
    const { outboundCalls } = o.db.t;
    await o.db.update(outboundCalls).set({ spec: { ...spec, audio } }).where(eq(outboundCalls.id, row.id));
    return true;
  };

  // Rows the database says are live, matched against the switches after every (re)connect (call-recovery.ts).
  const adopt = (row: OutboundRow, link: SwitchLink): Live => {
    const live = byUuid.get(row.aLegUuid) ?? track(row, row.startedAt ?? now().toISOString(), link);
    live.answered = row.answeredAt !== null;
    live.bridged = row.bridgedAt !== null;
    return live;
  };
  const recovery = switches && switches.list.length > 0
    ? createCallRecovery({ db: o.db, switches, logger: log, now, commandTimeoutMs: timeoutMs, switchDownMs: o.switchDownMs }, {
        isFollowed: (uuid) => byUuid.has(uuid),
        follow: (row, link) => void adopt(row, link),
        // A row whose switch is no longer configured is counted on the first one while it ends.
        end: (row, cause) => end(adopt(row, switches.get(row.switchId) ?? switches.list[0]!), cause),
      })
    : null;
  const recover = (link: SwitchLink): void => {
    void recovery?.recover(link).catch((err: unknown) => log.error({ err, switch: link.id }, 'recovery failed'));
  };

  const expire = (): void => {
    void recovery?.expire().catch((err: unknown) => log.error({ err }, 'expiring placed calls failed'));
  };

  /** `uuid_kill` on the switch that has the channel (each owner in turn when that is not known). */
  const kill = async (uuid: string, switchId: string | null): Promise<'hungup'> => {
    const owners = switches?.owners(switchId) ?? [];
    let unsure: string | null = owners.length === 0 ? 'FreeSWITCH is not connected' : null;
    for (const link of owners) {
      if (!link.connected) {
        unsure = `switch ${link.id} is not connected`;
        continue;
      }
      try {
        await link.client.api(`uuid_kill ${uuid} NORMAL_CLEARING`, { timeoutMs });
        return 'hungup';
      } catch (err) {
        if (!(err instanceof EslCommandError)) unsure = `switch ${link.id} did not answer: ${(err as Error).message}`;
      }
    }
    if (unsure) throw new SwitchUnavailableError(`${unsure}; the call was not hung up`);
    // Every switch that may have it says there is no such channel.
    const live = byUuid.get(uuid);
    if (live) end(live, 'NORMAL_CLEARING');
    throw new CallNotLiveError('Call has already ended');
  };

  return {
    get connected() {
      return switches?.anyConnected ?? false;
    },
    settled(id) {
      for (const live of byUuid.values()) if (live.id === id) return live.writes;
      return draining.get(id)?.writes ?? Promise.resolve();
    },
    async create(call) {
      const scheduled = call.scheduledAt != null;
      if (!scheduled && !switches?.anyConnected) throw new SwitchUnavailableError('FreeSWITCH is not connected; the call was not placed');
      const row = await insertOutbound(o.db, call, scheduled ? 'scheduled' : 'dialing');
      if (!scheduled) await place(row.id);
      return (await getOutbound(o.db, row.id))!;
    },
    place,
    async hangup(orgId, id, channel) {
      const row = await getOutboundInOrg(o.db, orgId, id);
      if (row?.status === 'scheduled') {
        await setStatus(o.db, id, 'cancelled', { hangupCause: 'CANCELLED' });
        return 'cancelled';
      }
      const uuid = row ? row.aLegUuid : channel?.uuid;
      if (!uuid || (row && !LIVE_STATUSES.includes(row.status as never))) throw new CallNotLiveError('Call has already ended');
      // The switch this process follows the call on, else the one the database remembers.
      return kill(uuid, byUuid.get(uuid)?.link.id ?? (row ? row.switchId : channel?.switchId ?? null));
    },
    start() {
      if (!switches || offs.length > 0) return;
      for (const link of switches.list) {
        const client = link.client;
        offs.push(client.onEvent(onEvent));
        // Only the calls we placed (both legs carry sb_call_id): every other call's channel events stay in
        // FreeSWITCH instead of being copied, serialized and sent to us. Kept across reconnects.
        void client.filter('variable_sb_call_id', '/./', { timeoutMs })
          .then(() => client.subscribe(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP_COMPLETE'], { timeoutMs }))
          .catch((err: unknown) => log.debug({ err, switch: link.id }, 'event subscription deferred to the next connection'));
        if (link.connected) recover(link);
      }
      offs.push(switches.onState((link, s) => {
        if (s !== 'connected') return;
        recover(link);
        expire();
      }));
      const every = o.expireEveryMs ?? 60_000;
      if (every > 0 && recovery) {
        expiry = setInterval(expire, every);
        expiry.unref();
      }
    },
    stop() {
      for (const off of offs.splice(0)) off();
      clearInterval(expiry);
      expiry = undefined;
    },
  };
}
