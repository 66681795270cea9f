import type { CallEvent } from '../domain/call-events.ts';
import type { PathStep } from '../call/session.ts';
import { retryLimits } from '../call/walker.ts';
import type { ConfigSnapshot } from '../publish/snapshot.ts';
import type { ChannelObserver } from './simulated-channel.ts';
import type { PromptInfo } from './prompt-names.ts';
import type { SimulationEnd, SimulationEvent } from './types.ts';

export interface Trace extends ChannelObserver {
  /** An event the call announced on its (private) bus: a menu selection names what the last input chose. */
  callEvent(e: CallEvent): void;
  /** The events, closed with the end. */
  finish(end: SimulationEnd): SimulationEvent[];
}

type Input = Extract<SimulationEvent, { type: 'input' }>;
type Retry = Extract<SimulationEvent, { type: 'timeout' | 'invalid' }>;

/**
 * Builds the simulation's events from what the channel sees (prompts, keys) and the steps the walker adds to the
 * call's path, read at each command so the two keep the order the call had.
 */
export function createTrace(o: { snapshot: ConfigSnapshot; path: () => readonly PathStep[]; promptInfo: (file: string) => PromptInfo }): Trace {
  const events: SimulationEvent[] = [];
  let seen = 0;
  let ivrId: string | undefined;
  let lastInput: Input | undefined;
  let lastRetry: Retry | undefined;
  const inMenu = () => (ivrId === undefined ? {} : { ivrId });

  const step = (p: PathStep): void => {
    switch (p.step) {
      case 'ivr':
        ivrId = p.ivrId;
        events.push({ type: 'menu', ivrId: p.ivrId, name: p.name });
        return;
      case 'timeout':
      case 'invalid': {
        const ivr = o.snapshot.ivrs[p.ivrId];
        const limits = ivr ? retryLimits(ivr) : { maxTimeouts: 0, maxInvalids: 0 };
        lastRetry = p.step === 'timeout'
          ? { type: 'timeout', ivrId: p.ivrId, count: p.count, max: limits.maxTimeouts, exhausted: false }
          : { type: 'invalid', ivrId: p.ivrId, digits: p.digits ?? '', count: p.count, max: limits.maxInvalids, exhausted: false };
        if (p.step === 'invalid' && lastInput) lastInput.accepted = false;
        events.push(lastRetry);
        return;
      }
      case 'exhausted':
        if (lastRetry) lastRetry.exhausted = true;
        return;
      case 'loop_limit':
        events.push({ type: 'action', ivrId: p.ivrId, action: 'loop_limit', destination: null });
        return;
      case 'action':
        events.push({ type: 'action', ...inMenu(), action: p.type, destination: p.value, ...(p.result !== undefined ? { result: p.result } : {}) });
        return;
      // The DID (the result names it), the keys (the channel reported them) and a placed call's start.
      case 'did':
      case 'digits':
      case 'placed':
        return;
    }
  };

  const flush = (): void => {
    const path = o.path();
    while (seen < path.length) step(path[seen++]!);
  };

  return {
    command: flush,
    prompt(file) {
      const info = o.promptInfo(file);
      events.push({ type: 'prompt', ...inMenu(), name: info.name, file, ...(info.text !== undefined ? { text: info.text } : {}) });
    },
    input(keys, digits) {
      lastInput = { type: 'input', ...inMenu(), keys, digits, accepted: digits !== '' };
      events.push(lastInput);
    },
    callEvent(e) {
      flush();
      if (e.type === 'ivr.selection' && lastInput) {
        lastInput.action = e.action;
        lastInput.destination = e.destination;
      }
    },
    finish(end) {
      flush();
      events.push({ type: 'end', ...end });
      return events;
    },
  };
}
