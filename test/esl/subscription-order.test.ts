/**
 * A call's async socket subscribes to its two event types only after its Unique-ID filter, in the write
 * after the connect reply (docs/esl.md, fact 13). A caller who hangs up before FreeSWITCH reads that write
 * leaves no CHANNEL_HANGUP on the socket, only the linger notice: the session then reads the hangup from
 * the channel (a second `connect`, answered from the socket's own session), and every wait ends with the
 * real cause. A sync socket (the dialplan's) asks for no events at all (fact 22): the same notice and
 * `connect` are how it learns of every hangup.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CALL_SETUP_COMMANDS, openEslChannel } from '../../src/call/esl-channel.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';
import type { EmulatedCall } from '../emulator/index.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Hangs the caller up the moment the controller writes `marker`, before the emulator reads it. */
function hangUpOnWrite(call: EmulatedCall, marker: string, cause: string): void {
  const record = call.recorder.record.bind(call.recorder);
  let done = false;
  call.recorder.record = (dir, data) => {
    record(dir, data);
    if (done || dir !== 'out' || !data.includes(marker)) return;
    done = true;
    call.hangup(cause);
  };
}

/** How one tone a call played ended: complete, hangup or the error's name; the cause; how long it took. */
interface Seen {
  kind: string;
  cause: string | null;
  hungUp: boolean;
  ms: number;
}

/** A controller that plays `tone` on each call and hands what it saw to `into`. */
function playOnce(tone: string, into: (seen: Seen) => void): (s: OutboundSession) => Promise<void> {
  return async (s) => {
    const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 60_000 });
    const t0 = performance.now();
    const res = await channel.execute('playback', tone).catch((err: Error) => err);
    into({ kind: res instanceof Error ? res.name : res.completed ? 'complete' : 'hangup', cause: channel.hangupCause(), hungUp: s.hungUp, ms: performance.now() - t0 });
  };
}

/** A controller that hangs each call up with USER_BUSY at once; the call, and the cause its channel ended with. */
async function ownHangup(): Promise<{ call: EmulatedCall; cause: () => string | null }> {
  let cause: string | null = null;
  h = await startHarness(async (s: OutboundSession) => {
    const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 60_000 });
    await channel.hangup('USER_BUSY');
    cause = channel.hangupCause();
  }, { afterConnect: CALL_SETUP_COMMANDS });
  return { call: h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' }), cause: () => cause };
}

describe('a hangup before the socket subscribed to it', () => {
  it('the linger notice, then a second connect: the pending app ends as a hangup with the real cause', async () => {
    let seen: Seen | undefined;
    h = await startHarness(playOnce('tone_stream://%(1000,0,440)', (x) => (seen = x)), { afterConnect: CALL_SETUP_COMMANDS });
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', socketMode: 'async' });
    hangUpOnWrite(call, 'filter Unique-ID', 'ORIGINATOR_CANCEL');
    await call.done;
    await h.server.idle();

    const commands = call.recorder.commands().map((c) => c.split('\n')[0]!);
    // Subscribed after the hangup: the switch sent no CHANNEL_HANGUP, only the linger notice.
    expect(call.recorder.frames().some((f) => f.kind === 'event' && f.event.name === 'CHANNEL_HANGUP')).toBe(false);
    expect(call.recorder.frames().some((f) => f.kind === 'disconnect-notice' && f.disposition === 'linger')).toBe(true);
    expect(commands.filter((c) => c === 'connect')).toHaveLength(2);
    expect(seen).toMatchObject({ kind: 'hangup', cause: 'ORIGINATOR_CANCEL', hungUp: true });
    // Not the app's own timeout (a minute): about one second after the notice.
    expect(seen!.ms).toBeLessThan(5_000);
    expect(commands.at(-1)).toBe('exit');
  });

  it('a hangup at the connect: its linger notice, read with the connect reply before the session existed, still counts', async () => {
    let seen: { cause: string | null; ms: number } | undefined;
    h = await startHarness(async (s: OutboundSession) => {
      const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 60_000 });
      const t0 = performance.now();
      await channel.execute('playback', 'tone_stream://%(1000,0,440)');
      seen = { cause: channel.hangupCause(), ms: performance.now() - t0 };
    }, { afterConnect: CALL_SETUP_COMMANDS });
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    // The caller leaves as the switch replies to `linger`: its notice follows that reply at once. (Before
    // `linger` is read, FreeSWITCH closes the socket instead: mod_event_socket's read loop.)
    const record = call.recorder.record.bind(call.recorder);
    call.recorder.record = (dir, data) => {
      record(dir, data);
      if (dir === 'in' && data.includes('will linger')) call.hangup('NORMAL_CLEARING');
    };
    await call.done;
    await h.server.idle();
    expect(seen?.cause).toBe('NORMAL_CLEARING');
    expect(seen!.ms).toBeLessThan(5_000);
  });

  it('a hangup after the subscription comes as CHANNEL_HANGUP: one connect only', async () => {
    let cause: string | null = null;
    h = await startHarness(async (s: OutboundSession) => {
      const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 60_000 });
      await channel.execute('playback', 'tone_stream://%(1000,0,440)').catch(() => undefined);
      cause = channel.hangupCause();
    }, { afterConnect: CALL_SETUP_COMMANDS });
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      socketMode: 'async',
      script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'hangup' } }] },
    });
    await call.done;
    await h.server.idle();
    expect(cause).toBe('NORMAL_CLEARING');
    expect(call.recorder.commands().filter((c) => c === 'connect')).toHaveLength(1);
  });
});

describe('a sync socket: no events at all', () => {
  it('a caller who hangs up during an app: its reply, the linger notice before the getvar read with it, one connect: a hangup with the real cause, at once', async () => {
    let seen: Seen | undefined;
    h = await startHarness(playOnce('tone_stream://%(20000,0,440)', (x) => (seen = x)), { afterConnect: CALL_SETUP_COMMANDS });
    const call = h.emu.placeCall({
      destination: '918065978001',
      callerIdNumber: '9800000001',
      script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'hangup', cause: 'ORIGINATOR_CANCEL' } }] },
    });
    await call.done;
    await h.server.idle();
    const commands = call.recorder.commands().map((c) => c.split('\n')[0]!);
    expect(commands).toEqual(['connect', 'linger 30', 'sendmsg', 'getvar _', 'connect', 'exit']);
    const kinds = call.recorder.frames().map((f) => (f.kind === 'command-reply' ? `reply ${f.replyText.trim()}` : f.kind === 'disconnect-notice' ? `notice ${f.disposition}` : f.kind));
    expect(kinds.slice(2, 5)).toEqual(['reply +OK', 'notice linger', 'reply -ERR command not found']);
    expect(call.recorder.frames().filter((f) => f.kind === 'event')).toEqual([]);
    // No wait for a CHANNEL_HANGUP that cannot come: the tone was 20 s (2 s at the harness's time scale).
    expect(seen).toMatchObject({ kind: 'hangup', cause: 'ORIGINATOR_CANCEL', hungUp: true });
    expect(seen!.ms).toBeLessThan(1_000);
  });

  it('a caller who hangs up between commands: the notice alone ends the call\'s waits, with the cause read once', async () => {
    let cause: string | null = null;
    h = await startHarness(async (s: OutboundSession) => {
      const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 60_000 });
      await channel.waitForHangup(30_000);
      cause = channel.hangupCause();
    }, { afterConnect: CALL_SETUP_COMMANDS });
    const call = h.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001' });
    const record = call.recorder.record.bind(call.recorder);
    call.recorder.record = (dir, data) => {
      record(dir, data);
      if (dir === 'in' && data.includes('will linger')) setTimeout(() => call.hangup('NORMAL_CLEARING'), 20);
    };
    const t0 = performance.now();
    await call.done;
    await h.server.idle();
    expect(cause).toBe('NORMAL_CLEARING');
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(call.recorder.commands().map((c) => c.split('\n')[0]!)).toEqual(['connect', 'linger 30', 'connect', 'exit']);
  });

  it('our own hangup: its reply comes before the linger notice, so the cause is ours; no event, no connect, nothing read back', async () => {
    const { call, cause: causeOf } = await ownHangup();
    const summary = await call.done;
    await h!.server.idle();
    expect(causeOf()).toBe('USER_BUSY');
    expect(summary.hangupCause).toBe('USER_BUSY');
    expect(call.recorder.commands().map((c) => c.split('\n')[0]!)).toEqual(['connect', 'linger 30', 'sendmsg', 'exit']);
    const kinds = call.recorder.frames().map((f) => (f.kind === 'command-reply' ? `reply ${f.replyText.trim()}` : f.kind === 'disconnect-notice' ? `notice ${f.disposition}` : f.kind));
    expect(kinds.slice(2, 4)).toEqual(['reply +OK', 'notice linger']);
    expect(call.recorder.frames().filter((f) => f.kind === 'event')).toEqual([]);
  });

  it('the caller hung up as we did: the linger notice before our hangup\'s reply says they were first; one connect reads their cause', async () => {
    const { call, cause: causeOf } = await ownHangup();
    hangUpOnWrite(call, 'call-command: hangup', 'ORIGINATOR_CANCEL');
    const summary = await call.done;
    await h!.server.idle();
    expect(summary.hangupCause).toBe('ORIGINATOR_CANCEL');
    expect(causeOf()).toBe('ORIGINATOR_CANCEL');
    expect(call.recorder.commands().map((c) => c.split('\n')[0]!)).toEqual(['connect', 'linger 30', 'sendmsg', 'connect', 'exit']);
    const kinds = call.recorder.frames().map((f) => (f.kind === 'command-reply' ? `reply ${f.replyText.trim()}` : f.kind === 'disconnect-notice' ? `notice ${f.disposition}` : f.kind));
    expect(kinds.slice(2, 4)).toEqual(['notice linger', 'reply +OK']);
  });
});

describe('events of other calls', () => {
  /** Two calls at once, each playing three tones (20 s, then 2 s twice: 1 s and 100 ms at the harness's time scale); the uuids of the events each call's socket got. */
  async function twoCalls(afterConnect: readonly string[], open: (s: OutboundSession) => (app: string, arg: string) => Promise<unknown>, socketMode: 'static' | 'async' = 'async') {
    h = await startHarness(async (s: OutboundSession) => {
      const run = open(s);
      for (let i = 0; i < 3; i++) await run('playback', `tone_stream://%(${i === 0 ? 20_000 : 2_000},0,440)`);
    }, { afterConnect });
    const calls = [0, 1].map(() => h!.emu.placeCall({ destination: '918065978001', callerIdNumber: '9800000001', socketMode }));
    await Promise.all(calls.map((c) => c.done));
    await h.server.idle();
    return calls.map((c) => ({
      own: c.uuid,
      seen: new Set(c.first.recorder.frames().flatMap((f) => (f.kind === 'event' ? [f.event.uniqueId] : []))),
    }));
  }

  it('a socket subscribed before its filter gets them (the emulator delivers every channel\'s events to every socket, as the switch does)', async () => {
    // Subscribed with connect; the filter only after the first tone (a slow round trip, as under load).
    const got = await twoCalls(['linger 30', 'event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP'], (s) => {
      let filtered = false;
      return async (app, arg) => {
        await s.execute(app, arg);
        if (!filtered) await s.filter('Unique-ID', s.uuid);
        filtered = true;
      };
    });
    // Both first tones ran at once: the call whose tone ended last, still unfiltered, got the other's
    // completion (the other one may have filtered in time).
    expect(got.some((g) => [...g.seen].some((u) => u !== g.own))).toBe(true);
  });

  it('the product\'s order (linger with connect; filter, then subscription) lets none through', async () => {
    const got = await twoCalls(CALL_SETUP_COMMANDS, (s) => {
      const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 5_000 });
      return (app, arg) => channel.execute(app, arg);
    });
    for (const g of got) expect([...g.seen]).toEqual([g.own]);
  });

  it('the dialplan\'s sync socket asks for none: no event reaches it, its own or another call\'s', async () => {
    const got = await twoCalls(CALL_SETUP_COMMANDS, (s) => {
      const channel = openEslChannel(s, { commandTimeoutMs: 1_000, executeTimeoutMs: 5_000 });
      return (app, arg) => channel.execute(app, arg);
    }, 'static');
    for (const g of got) expect([...g.seen]).toEqual([]);
  });
});

