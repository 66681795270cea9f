/**
 * The calls this instance runs now, as the call event bus tells them: who is calling which DID, which menu
 * they are in, what they pressed and whom they are with. One tracker per process (main.ts makes it on the
 * bus); calls on other instances come from their call log rows (live-calls.ts).
 */
import type { CallEvent, CallEventBus } from '../../domain/call-events.ts';

export type LiveCallState = 'ringing' | 'answered' | 'in_menu' | 'transferred' | 'bridged' | 'bot';

/** One call in progress, as the bus has told it so far. */
export interface TrackedCall {
  callId: string;
  orgId: string;
  did: string | null;
  caller: string | null;
  contactName: string | null;
  startedAt: string;
  answeredAt: string | null;
  state: LiveCallState;
  /** The menu the caller is in (the last selection's IVR, or the IVR it led to). */
  ivrId: string | null;
  /** Every key pressed so far. */
  digits: string;
  lastSelection: { ivrId: string; digits: string; action: string; destination: string | null } | null;
  /** Whom the caller is with or being sent to: `queue 5001@…`, `extension 1001`, `AI agent <id>`. */
  with: string | null;
  updatedAt: string;
}

/** A change to one call: `call` is its state after the event, or null once it hung up. */
export interface LiveCallUpdate {
  callId: string;
  call: TrackedCall | null;
  event: CallEvent['type'];
}

export type LiveCallListener = (update: LiveCallUpdate) => void;

export interface LiveCallTracker {
  /** The org's calls in progress, oldest first. */
  list(orgId: string): TrackedCall[];
  /** Every change to the org's calls; returns the unsubscribe. */
  subscribe(orgId: string, listener: LiveCallListener): () => void;
  /** Listeners the org has now (what a test checks after a client goes away). */
  listenerCount(orgId?: string): number;
  /** Stops listening to the bus. */
  close(): void;
}

/** Subscribes to the bus; a call whose hangup never came is dropped after `maxAgeMs` (default 4 h). */
export function createLiveCallTracker(bus: CallEventBus, opts: { maxAgeMs?: number; now?: () => Date } = {}): LiveCallTracker {
  const maxAgeMs = opts.maxAgeMs ?? 4 * 3_600_000;
  const now = opts.now ?? (() => new Date());
  const calls = new Map<string, TrackedCall>();
  const listeners = new Map<string, Set<LiveCallListener>>();
  // Calls whose hangup never came leave on a list, or on a new call at most once a minute: never a growing map.
  let sweptAt = 0;
  const sweep = () => {
    const nowMs = now().getTime();
    sweptAt = nowMs;
    for (const [id, c] of calls) if (Date.parse(c.startedAt) < nowMs - maxAgeMs) calls.delete(id);
  };

  const apply = (e: CallEvent): TrackedCall | null | undefined => {
    if (e.type === 'call.ringing') {
      if (now().getTime() - sweptAt > 60_000) sweep();
      const call: TrackedCall = {
        callId: e.callId, orgId: e.orgId!, did: e.did || null, caller: e.caller || null, contactName: e.contact?.name ?? null,
        startedAt: e.at, answeredAt: null, state: 'ringing', ivrId: null, digits: '', lastSelection: null, with: null, updatedAt: e.at,
      };
      calls.set(e.callId, call);
      return call;
    }
    const call = calls.get(e.callId);
    if (e.type === 'call.hangup') {
      calls.delete(e.callId);
      return call ? null : undefined;
    }
    if (!call) return undefined;
    call.updatedAt = e.at;
    switch (e.type) {
      case 'call.answered':
        call.answeredAt = e.at;
        if (call.state === 'ringing') call.state = 'answered';
        break;
      case 'call.dtmf':
        call.digits += e.digits;
        break;
      case 'ivr.selection':
        call.lastSelection = { ivrId: e.ivrId, digits: e.digits, action: e.action, destination: e.destination };
        call.ivrId = e.action === 'ivr' && e.destination ? e.destination : e.ivrId;
        call.state = 'in_menu';
        break;
      case 'call.transferred':
        call.state = 'transferred';
        call.with = `${e.kind} ${e.target}`;
        break;
      case 'call.bridged':
        call.state = 'bridged';
        call.with ??= e.otherLeg || null;
        break;
      case 'bot.connected':
        call.state = 'bot';
        call.with = `AI agent ${e.agentId ?? e.streamId}`;
        break;
      case 'bot.ended':
        call.state = call.answeredAt ? 'answered' : call.state;
        break;
      case 'voicemail.new':
        break;
    }
    return call;
  };

  const unsubscribe = bus.subscribe((e) => {
    if (!e.orgId) return;
    const result = apply(e);
    if (result === undefined) return;
    const update: LiveCallUpdate = { callId: e.callId, call: result && { ...result }, event: e.type };
    // One listener failing does not keep the update from the others; the bus reports the first failure.
    let failure: Error | undefined;
    for (const l of listeners.get(e.orgId) ?? []) {
      try {
        l(update);
      } catch (err) {
        failure ??= err instanceof Error ? err : new Error(String(err));
      }
    }
    if (failure) throw failure;
  });

  return {
    list(orgId) {
      sweep();
      const out: TrackedCall[] = [];
      for (const c of calls.values()) if (c.orgId === orgId) out.push({ ...c });
      return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    },
    subscribe(orgId, listener) {
      const set = listeners.get(orgId) ?? new Set();
      listeners.set(orgId, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(orgId);
      };
    },
    listenerCount(orgId) {
      if (orgId !== undefined) return listeners.get(orgId)?.size ?? 0;
      let n = 0;
      for (const s of listeners.values()) n += s.size;
      return n;
    },
    close: () => {
      unsubscribe();
    },
  };
}
