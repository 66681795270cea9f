import type { CallChannel, ChannelEvent, ExecResult } from '../../src/call/channel.ts';

export type FakeStep = { app: string; arg: string | undefined };
/** Decides what each app does: a result, or 'hangup' (the caller hangs up during it). */
export type FakeBehaviour = (app: string, arg: string | undefined, n: number) => Partial<ExecResult> | 'hangup' | undefined;

/** An in-memory CallChannel for fast unit tests of the call layer (the emulator covers real bytes). */
export function fakeChannel(opts: { destination: string; caller?: string; behaviour?: FakeBehaviour }) {
  const abort = new AbortController();
  const steps: FakeStep[] = [];
  const listeners = new Set<(e: ChannelEvent) => void>();
  let cause: string | null = null;
  let released = false;
  const hangUp = (c: string) => {
    if (cause) return;
    cause = c;
    abort.abort();
  };
  const channel: CallChannel = {
    uuid: `fake-${Math.random().toString(16).slice(2)}`,
    destinationNumber: opts.destination,
    callerIdNumber: opts.caller ?? '+919800000001',
    callerIdName: 'Caller',
    variables: {},
    signal: abort.signal,
    hangupCause: () => cause,
    async execute(app, arg) {
      steps.push({ app, arg });
      if (cause) return { completed: false, response: undefined, variables: {}, headers: {} };
      const r = opts.behaviour?.(app, arg, steps.length);
      if (r === 'hangup') {
        hangUp('NORMAL_CLEARING');
        return { completed: false, response: undefined, variables: {}, headers: {} };
      }
      return { completed: true, response: r?.response ?? '+OK', variables: r?.variables ?? {}, headers: {} };
    },
    async waitForHangup(timeoutMs) {
      if (cause) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        abort.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
    },
    async subscribe() {},
    onEvent(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async hangup(c) {
      steps.push({ app: 'hangup', arg: c });
      hangUp(c);
    },
    async release() {
      released = true;
    },
  };
  return {
    channel,
    steps,
    apps: () => steps.map((s) => s.app),
    emitEvent: (e: ChannelEvent) => listeners.forEach((l) => l(e)),
    listenerCount: () => listeners.size,
    released: () => released,
    cause: () => cause,
  };
}

/** Behaviour helper: answer play_and_get_digits calls with these inputs in order ('' = timeout). */
export function pressing(inputs: string[], others: FakeBehaviour = () => undefined): FakeBehaviour {
  let i = 0;
  return (app, arg, n) => {
    if (app === 'play_and_get_digits') {
      if (i >= inputs.length) return 'hangup';
      const d = inputs[i++]!;
      return d === '' ? { variables: {} } : { variables: { sb_digits: d } };
    }
    return others(app, arg, n);
  };
}
