import { unansweredOutcome, type CallOutcome } from '../call/outcome.ts';
/**
 * Places calls over the inbound ESL connection (bgapi originate with our own Job-UUID and leg UUIDs),
 * follows them through CHANNEL_CREATE / ANSWER / BRIDGE / HANGUP_COMPLETE, keeps outbound_calls and
 * call_logs current, emits call events on the bus, records bridged calls, and hangs calls up.
 * One object per process (created in main.ts or a test); its only state is the map of live legs.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import type { EslEvent } from '../esl/event.ts';
import type { InboundClient } from '../esl/inbound-client.ts';
import { eq } from 'drizzle-orm';
import { callRecordings, organizations, outboundCalls } from '../db/schema/index.ts';
import { EslCommandError, EslClosedError } from '../esl/replies.ts';
import { endMaskingSession, maskingNumbers } from '../services/masking/store.ts';
import { extensionDial, externalDial, originateCommand, placedRunCommand, type OriginatePlan } from './originate-commands.ts';
import { isPlacedKind, type PlacedSpec } from '../services/calls/placed-spec.ts';
import { CallNotLiveError, SwitchUnavailableError, type CallControl, type NewCall } from '../services/calls/control.ts';
import {
  LIVE_STATUSES, answerCallLog, insertOutbound, finishCallLog, getOutbound, getOutboundInOrg, liveOutbound, setStatus, startCallLog, type OutboundRow,
} from '../services/calls/call-store.ts';

export type OriginateClient = Pick<InboundClient, 'connected' | 'api' | 'bgapi' | 'onEvent' | 'onState' | 'subscribe' | 'filter'>;

export interface CallControlOptions {
  db: Db;
  logger: Logger;
  bus: CallEventBus;
  inbound: OriginateClient | null;
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
  startedAt: string;
  answered: boolean;
  bridged: boolean;
  /** A flow/tts/bot call: once answered, the controller's session owns its call log and its call.hangup. */
  runsInController: boolean;
  bCause: string | null;
  path: Array<{ step: string; at: string }>;
}

/** How long a claimed row may wait for its originate before a recovery pass may end it. */
const CLAIM_GRACE_MS = 60_000;

export function createCallControl(o: CallControlOptions): CallControl {
  const now = o.now ?? (() => new Date());
  const log = o.logger.child({ component: 'originate' });
  const byUuid = new Map<string, Live>();
  const offs: Array<() => void> = [];
  const timeoutMs = o.commandTimeoutMs ?? 5_000;

  const requireSwitch = (): OriginateClient => {
    if (!o.inbound || !o.inbound.connected) throw new SwitchUnavailableError('FreeSWITCH is not connected; the call was not placed');
    return o.inbound;
  };

  const track = (row: OutboundRow, startedAt: string): Live => {
    const live: Live = {
      id: row.id, orgId: row.orgId, a: row.aLegUuid, b: row.bLegUuid, startedAt, answered: false, bridged: false, runsInController: isPlacedKind(row.kind), bCause: null, path: [],
    };
    byUuid.set(live.a, live);
    byUuid.set(live.b, live);
    return live;
  };

  const end = (live: Live, cause: string | null): void => {
    if (byUuid.get(live.a) !== live) return;
    byUuid.delete(live.a);
    byUuid.delete(live.b);
    const at = now().toISOString();
    const finalCause = !live.bridged && live.bCause ? live.bCause : cause;
    live.path.push({ step: 'hangup', at });
    o.onEnd?.(live.id);
    if (live.runsInController && live.answered) {
      // The session that ran the call finishes its row and announces its end (src/call/runner.ts).
      setStatus(o.db, live.id, 'ended', { endedAt: at, hangupCause: cause });
      return;
    }
    const row = getOutbound(o.db, live.id);
    // The one outcome vocabulary (src/call/outcome.ts): the second party answered, did not, or the first never did.
    // A flow/tts/bot call rings one party, the customer: that leg's cause says busy or no answer.
    const outcome: CallOutcome = live.bridged ? 'connected' : live.answered || live.runsInController ? unansweredOutcome(finalCause ?? '') : 'failed';
    setStatus(o.db, live.id, live.bridged ? 'ended' : 'failed', { endedAt: at, hangupCause: finalCause });
    finishCallLog(o.db, live.id, { endedAt: at, startedAt: live.startedAt, cause: finalCause, disposition: outcome, path: live.path });
    if (row?.maskingSessionId) endMaskingSession(o.db, row.maskingSessionId, 'ended', at);
    o.bus.emit({ type: 'call.hangup', callId: live.id, orgId: live.orgId, cause: finalCause, disposition: outcome, at });
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
          const row = getOutbound(o.db, live.id);
          if (row?.status === 'dialing') setStatus(o.db, live.id, 'ringing');
          o.bus.emit({ type: 'call.ringing', callId: live.id, orgId: live.orgId, did: row?.did ?? '', caller: row?.firstNumber ?? '', at });
        }
        return;
      case 'CHANNEL_ANSWER':
        live.path.push({ step: `${leg}_answered`, at });
        if (leg === 'a' && !live.answered) {
          live.answered = true;
          setStatus(o.db, live.id, 'answered', { answeredAt: at });
          if (live.runsInController) answerCallLog(o.db, live.id, at, null);
          o.bus.emit({ type: 'call.answered', callId: live.id, orgId: live.orgId, at });
        }
        return;
      case 'CHANNEL_BRIDGE':
        if (live.bridged) return;
        live.bridged = true;
        live.path.push({ step: 'bridged', at });
        setStatus(o.db, live.id, 'bridged', { bridgedAt: at });
        // For placed calls the log's "answered" means the two parties were connected.
        answerCallLog(o.db, live.id, at, getOutbound(o.db, live.id)?.extNo ?? null);
        o.bus.emit({ type: 'call.bridged', callId: live.id, orgId: live.orgId, otherLeg: live.b, at });
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
    if (!o.recordingsDir || !o.inbound) return;
    const dir = join(o.recordingsDir, live.orgId);
    const path = join(dir, `${live.id}.wav`);
    try {
      mkdirSync(dir, { recursive: true });
      await o.inbound.api(`uuid_record ${live.a} start ${path}`, { timeoutMs });
      o.db.insert(callRecordings).values({ orgId: live.orgId, callId: live.id, path }).run();
    } catch (err) {
      log.warn({ err, call: live.id }, 'recording did not start');
    }
  };

  const place = async (id: string): Promise<void> => {
    const row = getOutbound(o.db, id);
    if (!row) return;
    const inbound = requireSwitch();
    let first = row.firstNumber ?? '';
    let second = row.secondNumber ?? '';
    if (row.kind === 'masking' && row.maskingSessionId) {
      const pair = maskingNumbers(o.db, row.maskingSessionId);
      if (!pair) return setStatus(o.db, id, 'cancelled', { hangupCause: 'SESSION_ENDED' });
      [first, second] = [pair.first, pair.second];
    }
    if (isPlacedKind(row.kind)) return placeRun(row, inbound);
    const introPath = row.intro && o.renderIntro ? await o.renderIntro(row.intro, row.id).catch((err: unknown) => {
      log.warn({ err, call: id }, 'intro could not be rendered; calling without it');
      return null;
    }) : null;
    const startedAt = now().toISOString();
    const c2c = row.kind === 'click_to_call';
    const sipDomain = c2c ? o.db.select({ d: organizations.sipDomain }).from(organizations).where(eq(organizations.id, row.orgId)).get()?.d ?? '' : '';
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
    setStatus(o.db, id, 'dialing', { startedAt });
    startCallLog(o.db, row, startedAt);
    const live = track(row, startedAt);
    live.path.push({ step: 'originate', at: startedAt });
    dial(live, inbound, originateCommand(plan));
  };

  const dial = (live: Live, inbound: OriginateClient, command: string): void => {
    const id = live.id;
    inbound.bgapi(command, { timeoutMs: (o.ringTimeoutS + 10) * 1000 }).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof EslCommandError) return end(live, err.reason.split(/\s/)[0] || 'ORIGINATE_FAILED');
        if (err instanceof EslClosedError) {
          // The switch may still carry the call: the next connection's recovery decides.
          log.warn({ err, call: id }, 'switch connection lost during originate');
          return;
        }
        log.error({ err, call: id }, 'originate failed');
        void inbound.api(`uuid_kill ${live.a}`, { timeoutMs }).catch(() => undefined);
        end(live, 'ORIGINATE_TIMEOUT');
      },
    );
  };

  /** Dials the customer of a flow/tts/bot call; answered, the call comes to our call server. */
  const placeRun = async (row: OutboundRow, inbound: OriginateClient): Promise<void> => {
    const startedAt = now().toISOString();
    setStatus(o.db, row.id, 'dialing', { startedAt });
    startCallLog(o.db, row, startedAt);
    const live = track(row, startedAt);
    live.path.push({ step: 'originate', at: startedAt });
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
    dial(live, inbound, command);
  };

  /** A tts call's message is rendered on use (at dial time) and kept on the row for the session to play. */
  const readySpec = async (row: OutboundRow): Promise<boolean> => {
    const spec = row.spec as PlacedSpec | null;
    if (!spec) return false;
    if (spec.kind !== 'tts') return true;
    if (!o.renderTemplate) return false;
    const audio = await o.renderTemplate(row.orgId, spec.templateId, spec.variables);
    o.db.update(outboundCalls).set({ spec: { ...spec, audio } }).where(eq(outboundCalls.id, row.id)).run();
    return true;
  };

  /** After (re)connecting: adopt live rows whose channel still exists; end the others (never redial). */
  const recover = async (): Promise<void> => {
    const inbound = o.inbound;
    if (!inbound) return;
    for (const row of liveOutbound(o.db)) {
      // Stored and claimed but not dialled yet: another instance (the dialer, the scheduler) is placing it now.
      if (row.status === 'dialing' && row.startedAt === null && now().getTime() - Date.parse(row.updatedAt) < CLAIM_GRACE_MS && !byUuid.has(row.aLegUuid)) continue;
      let exists = false;
      try {
        exists = (await inbound.api(`uuid_exists ${row.aLegUuid}`, { timeoutMs })).text.trim() === 'true';
      } catch (err) {
        log.warn({ err, call: row.id }, 'uuid_exists failed during recovery');
        continue;
      }
      const live = byUuid.get(row.aLegUuid) ?? track(row, row.startedAt ?? now().toISOString());
      live.answered = row.answeredAt !== null;
      live.bridged = row.bridgedAt !== null;
      if (!exists) end(live, row.status === 'dialing' ? 'INTERRUPTED' : 'LOST_TRACK');
    }
  };

  return {
    get connected() {
      return o.inbound?.connected ?? false;
    },
    async create(call) {
      const scheduled = call.scheduledAt != null;
      if (!scheduled) requireSwitch();
      const row = insertOutbound(o.db, call, scheduled ? 'scheduled' : 'dialing');
      if (!scheduled) await place(row.id);
      return getOutbound(o.db, row.id)!;
    },
    place,
    async hangup(orgId, id, callUuid) {
      const row = getOutboundInOrg(o.db, orgId, id);
      if (row?.status === 'scheduled') {
        setStatus(o.db, id, 'cancelled', { hangupCause: 'CANCELLED' });
        return 'cancelled';
      }
      const uuid = row ? row.aLegUuid : callUuid;
      if (!uuid || (row && !LIVE_STATUSES.includes(row.status as never))) throw new CallNotLiveError('Call has already ended');
      const inbound = requireSwitch();
      try {
        await inbound.api(`uuid_kill ${uuid} NORMAL_CLEARING`, { timeoutMs });
      } catch (err) {
        if (err instanceof EslCommandError) {
          const live = byUuid.get(uuid);
          if (live) end(live, 'NORMAL_CLEARING');
          throw new CallNotLiveError('Call has already ended');
        }
        throw new SwitchUnavailableError(`FreeSWITCH did not answer: ${(err as Error).message}`);
      }
      return 'hungup';
    },
    start() {
      if (!o.inbound || offs.length > 0) return;
      const inbound = o.inbound;
      offs.push(inbound.onEvent(onEvent));
      offs.push(inbound.onState((s) => {
        if (s === 'connected') void recover().catch((err: unknown) => log.error({ err }, 'recovery failed'));
      }));
      // Only the calls we placed (both legs carry sb_call_id): every other call's channel events stay in
      // FreeSWITCH instead of being copied, serialized and sent to us.
      void inbound.filter('variable_sb_call_id', '/./', { timeoutMs })
        .then(() => inbound.subscribe(['CHANNEL_CREATE', 'CHANNEL_ANSWER', 'CHANNEL_BRIDGE', 'CHANNEL_HANGUP_COMPLETE'], { timeoutMs }))
        .catch((err: unknown) => log.debug({ err }, 'event subscription deferred to the next connection'));
      if (inbound.connected) void recover().catch((err: unknown) => log.error({ err }, 'recovery failed'));
    },
    stop() {
      for (const off of offs.splice(0)) off();
    },
  };
}
