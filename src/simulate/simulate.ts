import { eq } from 'drizzle-orm';
import type { Db as AsyncDb } from '../db/handle.ts';
import type { Config } from '../runtime/env.ts';
import type { Logger } from '../runtime/logger.ts';
import { createCallEventBus } from '../domain/call-events.ts';
import { timeOrderedUuid } from '../db/time-ordered-id.ts';
import { normalizeE164 } from '../services/numbers/phone.ts';
import { DEFAULT_VOICEMAIL_GREETING } from '../services/voicemail/greeting.ts';
import { createCallRegistry } from '../call/registry.ts';
import { newSession, runRoute, settleOutcome } from '../call/runner.ts';
import { routeDid } from '../call/route.ts';
import { runIvr } from '../call/walker.ts';
import { callSettings } from '../call/settings.ts';
import { voicemailCallDeps } from '../call/voicemail-deps.ts';
import type { CallDeps, CallSession, PathStep } from '../call/session.ts';
import { simulatedChannel, type HandOff } from './simulated-channel.ts';
import { NO_CALL_LOG, NO_STORAGE, simulatedBots } from './quiet-deps.ts';
import { createTrace } from './trace.ts';
import { promptNames } from './prompt-names.ts';
import { parseRequest } from './request.ts';
import { resolveTarget } from './target.ts';
import type { SimulationEnd, SimulationRequest, SimulationResult } from './types.ts';

export interface SimulatorDeps {
  /** What the simulator reads (the snapshot or the draft, greetings) and the voicemail action's box. */
  adb: AsyncDb;
  config: Config;
  logger: Logger;
  now: () => Date;
}

/**
 * Walks a call to a DID (or from an IVR) of organization `orgId` through the published snapshot or the draft,
 * with the caller's keys, exactly as the controller would: the call layer's own session, walker (runIvr /
 * routeDid) and action handlers, over a simulated channel (simulated-channel.ts) and deps that keep, send and
 * open nothing. No call log, no webhook, no bridge, no bot connection, no voicemail.
 * Throws ValidationError (bad request) and NotFoundError (nothing to walk).
 */
export async function simulateCall(deps: SimulatorDeps, orgId: string, request: SimulationRequest): Promise<SimulationResult> {
  const req = parseRequest(request);
  const at = req.at ?? deps.now();
  const target = await resolveTarget(deps, orgId, req, at);
  const { snapshot, start } = target;
  const cc = deps.config.DEFAULT_COUNTRY_CODE;
  const caller = normalizeE164(req.caller, cc) ?? req.caller;
  const did = 'did' in start ? start.did.number : '';

  let session: CallSession | null = null;
  const trace = createTrace({
    snapshot,
    path: () => session?.record.path ?? [],
    promptInfo: promptNames(snapshot, await voicemailGreetings(deps.adb, orgId)),
  });
  const sim = simulatedChannel({ did, caller, keys: req.keys, observer: trace });
  const bus = createCallEventBus();
  bus.subscribe((e) => trace.callEvent(e));
  const callDeps: CallDeps = {
    adb: deps.adb,
    logger: deps.logger.child({ component: 'simulator' }),
    bus,
    registry: createCallRegistry(),
    callLogs: NO_CALL_LOG,
    snapshots: { lookupDid: () => null },
    settings: callSettings(deps.config),
    now: () => at,
    bots: simulatedBots(sim),
    voicemail: voicemailCallDeps(deps.config),
    storage: NO_STORAGE,
  };
  const s = newSession(sim.channel, callDeps, { callId: timeOrderedUuid(at.getTime()), did, caller, orgId, snapshot });
  session = s;

  await runRoute(s, () => ('did' in start ? routeDid(s, start.did) : runIvr(s, start.ivrId)));
  const outcome = settleOutcome(s);
  // As the runner ends a call nothing hung up yet.
  if (!sim.channel.signal.aborted) await sim.channel.hangup('NORMAL_CLEARING');

  const end = endOf(sim.handOff(), s.record.path, outcome, s.stage);
  return {
    source: req.source,
    did: did || null,
    ivrId: 'ivrId' in start ? start.ivrId : (s.record.path.find((p) => p.step === 'ivr')?.ivrId ?? null),
    version: target.version,
    events: trace.finish(end),
    ivrPath: s.record.path,
    end,
    unusedKeys: sim.unusedKeys(),
    problems: target.problems,
  };
}

/** Where the call ended: the hand-off, named by the action that made it (the path's last action step). */
function endOf(h: HandOff | null, path: readonly PathStep[], outcome: SimulationEnd['outcome'], leftAt: SimulationEnd['leftAt']): SimulationEnd {
  const last = path.findLast((p) => p.step === 'action');
  const action = last?.step === 'action' ? last : undefined;
  const at = { outcome, leftAt };
  switch (h?.kind) {
    case 'bridge':
      return { kind: action?.type ?? 'bridge', destination: action?.value ?? null, ...at };
    case 'queue':
    case 'voicemail':
      return { kind: h.kind, destination: action?.value ?? null, ...at };
    case 'bot':
      return { kind: 'ai_agent', destination: action?.value ?? h.target, ...at };
    case 'caller_hangup':
      return { kind: 'caller_hangup', destination: null, ...at };
    case 'hangup':
      return { kind: outcome === 'callback_requested' ? 'callback' : 'hangup', destination: null, ...at, cause: h.cause };
    case undefined:
      return { kind: 'hangup', destination: null, ...at };
  }
}

/** The organization's voicemail greetings on disk, by file, with the text each was rendered from. */
async function voicemailGreetings(db: AsyncDb, orgId: string): Promise<Map<string, string>> {
  const { extensions } = db.t;
  const rows = await db.select({ file: extensions.voicemailGreetingFile, text: extensions.voicemailGreeting }).from(extensions)
    .where(eq(extensions.orgId, orgId));
  return new Map(rows.flatMap((r) => (r.file ? [[r.file, r.text ?? DEFAULT_VOICEMAIL_GREETING] as const] : [])));
}
