import { describe, expect, it } from 'vitest';
import { CallSignal, type CancelSignal } from '../../src/esl/call-signal.ts';

describe('CallSignal', () => {
  it('runs each listener once, in order, with the first reason; removed and late listeners are not called', () => {
    const errors: unknown[] = [];
    const s = new CallSignal((e) => errors.push(e));
    const seen: string[] = [];
    const a = (): void => void seen.push('a');
    const b = { handleEvent: () => void seen.push('b') };
    const c = (): void => void seen.push('c');
    s.addEventListener('abort', a, { once: true });
    s.addEventListener('abort', a); // the same listener twice counts once, as with EventTarget
    s.addEventListener('abort', () => {
      throw new Error('boom');
    });
    s.addEventListener('abort', b);
    s.addEventListener('abort', c);
    s.removeEventListener('abort', c);
    expect(s.aborted).toBe(false);
    s.abort('hung up');
    s.abort('closed');
    expect(s.aborted).toBe(true);
    expect(s.reason).toBe('hung up');
    expect(seen).toEqual(['a', 'b']); // a throwing listener does not stop the others
    expect(errors).toHaveLength(1);
    s.addEventListener('abort', c);
    s.abort('again');
    expect(seen).toEqual(['a', 'b']);
  });

  it('a real AbortSignal fits where a CancelSignal is taken', () => {
    const ac = new AbortController();
    const sig: CancelSignal = ac.signal;
    let n = 0;
    sig.addEventListener('abort', () => n++, { once: true });
    ac.abort(new Error('x'));
    expect(sig.aborted).toBe(true);
    expect(n).toBe(1);
  });
});
