/** EslConnection / outbound server against the emulator and a silent raw peer. */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EslConnection } from '../../src/esl/connection.ts';
import { EslClosedError, EslCommandError, EslTimeoutError } from '../../src/esl/replies.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { nextNotice, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const c of cleanups.splice(0)) await c();
});

/** A raw peer we fully control: returns our connection and the server-side socket. */
async function rawPair(): Promise<{ conn: EslConnection; peer: Socket }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const port = (server.address() as { port: number }).port;
  const conn = new EslConnection(connect({ host: '127.0.0.1', port }), { logger: silentLogger(), commandTimeoutMs: 100 });
  const peer = await accepted;
  cleanups.push(async () => {
    conn.destroy();
    peer.destroy();
    await conn.closed;
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { conn, peer };
}

describe('EslConnection (raw peer)', () => {
  it('times out a command, and a late reply is consumed by the right slot', async () => {
    const { conn, peer } = await rawPair();
    await expect(conn.command('myevents', undefined, { timeoutMs: 30 })).rejects.toBeInstanceOf(EslTimeoutError);
    const second = conn.command('linger');
    peer.write('Content-Type: command/reply\nReply-Text: +OK Events Enabled\n\n');
    peer.write('Content-Type: command/reply\nReply-Text: +OK will linger\n\n');
    await expect(second).resolves.toMatchObject({ ok: true, text: 'will linger' });
  });

  it('rejects every pending command with EslClosedError when the socket closes', async () => {
    const { conn, peer } = await rawPair();
    const a = conn.command('myevents', undefined, { timeoutMs: 5_000 });
    const b = conn.api('status', { timeoutMs: 5_000 });
    const exec = conn.execute('playback', 'x', { timeoutMs: 5_000 });
    peer.destroy();
    await expect(a).rejects.toBeInstanceOf(EslClosedError);
    await expect(b).rejects.toBeInstanceOf(EslClosedError);
    await expect(exec).rejects.toBeInstanceOf(EslClosedError);
    await conn.closed;
    await expect(conn.command('myevents')).rejects.toBeInstanceOf(EslClosedError);
  });

  it('turns -ERR into EslCommandError and refuses newline injection', async () => {
    const { conn, peer } = await rawPair();
    const p = conn.command('sendmsg nope');
    peer.write('Content-Type: command/reply\nReply-Text: -ERR invalid session id [nope]\n\n');
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EslCommandError);
    expect((err as EslCommandError).reason).toBe('invalid session id [nope]');
    await expect(conn.command('api status\n\nexit')).rejects.toMatchObject({ name: 'EslInvalidCommandError' });
  });

  it('honours an AbortSignal', async () => {
    const { conn } = await rawPair();
    const ac = new AbortController();
    const p = conn.command('myevents', undefined, { signal: ac.signal, timeoutMs: 5_000 });
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'EslAbortError' });
  });

  it('an abort rejects exactly the commands waiting with that signal; later replies still go to the right slot', async () => {
    const { conn, peer } = await rawPair();
    const first = new AbortController();
    const second = new AbortController();
    const answered = conn.command('linger', undefined, { signal: first.signal, timeoutMs: 5_000 });
    peer.write('Content-Type: command/reply\nReply-Text: +OK will linger\n\n');
    await expect(answered).resolves.toMatchObject({ ok: true });
    const a = conn.command('myevents', undefined, { signal: first.signal, timeoutMs: 5_000 });
    const b = conn.command('filter Unique-ID x', undefined, { signal: second.signal, timeoutMs: 5_000 });
    const c = conn.command('nolinger', undefined, { signal: first.signal, timeoutMs: 5_000 });
    const d = conn.command('noevents', undefined, { timeoutMs: 5_000 });
    first.abort();
    await expect(a).rejects.toMatchObject({ name: 'EslAbortError', command: 'myevents' });
    await expect(c).rejects.toMatchObject({ name: 'EslAbortError', command: 'nolinger' });
    peer.write('Content-Type: command/reply\nReply-Text: +OK a\n\n');
    peer.write('Content-Type: command/reply\nReply-Text: +OK b\n\n');
    peer.write('Content-Type: command/reply\nReply-Text: +OK c\n\n');
    peer.write('Content-Type: command/reply\nReply-Text: +OK d\n\n');
    await expect(b).resolves.toMatchObject({ text: 'b' });
    await expect(d).resolves.toMatchObject({ text: 'd' });
    second.abort();
    await expect(conn.command('myevents', undefined, { signal: first.signal })).rejects.toMatchObject({ name: 'EslAbortError' });
  });
});

describe('EslConnection: what an execute costs the switch', () => {
  /** What the peer read, as text, once `n` bytes arrived. */
  const read = (peer: Socket, until: (text: string) => boolean): Promise<string> =>
    new Promise((resolve) => {
      let text = '';
      peer.on('data', (d: Buffer) => {
        text += d.toString('utf8');
        if (until(text)) resolve(text);
      });
    });
  const event = (headers: Record<string, string>): string => {
    const body = Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n\n';
    return `Content-Length: ${Buffer.byteLength(body)}\nContent-Type: text/event-plain\n\n${body}`;
  };

  it('a long argument goes as a text/plain body, a short one as execute-app-arg; the Event-UUID is short', async () => {
    const { conn, peer } = await rawPair();
    const long = '1 1 1 3000 none /data/sounds/greeting_ivr_317dda47-ba1d-4f58-8946-43ec43182e94.wav silence_stream://10 sb_digits [0-9*#]+ 3000';
    const got = read(peer, (t) => t.includes(long) && t.includes('execute-app-arg: 300'));
    void conn.execute('play_and_get_digits', long, { uuid: 'chan-a', timeoutMs: 5_000 }).catch(() => undefined);
    void conn.execute('sleep', '300', { uuid: 'chan-a', timeoutMs: 5_000 }).catch(() => undefined);
    const [first = '', second = ''] = (await got).split('sendmsg chan-a\n').filter(Boolean);
    expect(first).toContain('content-type: text/plain\n');
    expect(first).not.toContain('execute-app-arg');
    expect(first).toContain(`content-length: ${Buffer.byteLength(long)}\n\n${long}`);
    expect(second).toContain('execute-app-arg: 300\n');
    expect(second).not.toContain('content-type');
    const ids = [...(await got).matchAll(/Event-UUID: (\S+)/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(12);
  });

  it('completes an execute only on an event of its own channel, whatever the Application-UUID', async () => {
    const { conn, peer } = await rawPair();
    const sent = read(peer, (t) => t.includes('Event-UUID: '));
    let done = false;
    const exec = conn.execute('answer', undefined, { uuid: 'chan-a', timeoutMs: 5_000 }).finally(() => (done = true));
    const id = /Event-UUID: (\S+)/.exec(await sent)![1]!;
    peer.write('Content-Type: command/reply\nReply-Text: +OK\n\n');
    // Another channel's app with the same id (another connection's count): not ours.
    peer.write(event({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Unique-ID': 'chan-b', 'Application-UUID': id, Application: 'answer' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    peer.write(event({ 'Event-Name': 'CHANNEL_EXECUTE_COMPLETE', 'Unique-ID': 'chan-a', 'Application-UUID': id, Application: 'answer' }));
    await expect(exec).resolves.toMatchObject({ kind: 'complete' });
  });

  it('refuses a newline in a body argument as in a header one', async () => {
    const { conn } = await rawPair();
    await expect(conn.execute('playback', `${'x'.repeat(40)}\nsendmsg`, { uuid: 'chan-a', timeoutMs: 100 })).rejects.toThrow(/newline/);
  });
});

describe('outbound server + emulator', () => {
  it('correlates executes by Application-UUID', async () => {
    h = await startHarness(async (s) => {
      await s.myevents();
      const [a, b] = await Promise.all([s.execute('set', 'a=1'), s.execute('set', 'b=2')]);
      expect(a.kind === 'complete' && a.event.headers['Application-Data']).toBe('a=1');
      expect(b.kind === 'complete' && b.event.headers['Application-Data']).toBe('b=2');
      await s.hangup();
    });
    await h.emu.placeCall({ destination: '1', callerIdNumber: '2' }).done;
  });

  it('resolves an execute with a hangup result when the caller hangs up mid-app', async () => {
    let result: unknown;
    h = await startHarness(async (s) => {
      await s.myevents();
      const t0 = Date.now();
      result = await s.execute('playback', 'tone_stream://%(60000,0,440)');
      expect(Date.now() - t0).toBeLessThan(500);
      expect(s.hungUp).toBe(true);
    });
    await h.emu.placeCall({
      destination: '1',
      callerIdNumber: '2',
      script: { steps: [{ when: { onApp: 'playback', afterMs: 10 }, do: { kind: 'hangup' } }] },
    }).done;
    expect(result).toMatchObject({ kind: 'hangup', cause: 'NORMAL_CLEARING' });
  });

  it('survives ECONNRESET and keeps serving other calls', async () => {
    const errors: unknown[] = [];
    h = await startHarness(async (s) => {
      await s.myevents();
      try {
        await s.execute('playback', 'tone_stream://%(60000,0,440)');
        await s.hangup();
      } catch (e) {
        errors.push(e);
      }
    });
    await h.emu.placeCall({
      destination: '1',
      callerIdNumber: '2',
      script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'drop' } }] },
    }).done;
    await h.server.idle();
    expect(errors[0]).toBeInstanceOf(EslClosedError);
    expect(h.server.sessions()).toHaveLength(0);
    const ok = await h.emu.placeCall({ destination: '1', callerIdNumber: '2', script: { steps: [{ when: { onApp: 'playback', afterMs: 100 }, do: { kind: 'hangup' } }] } }).done;
    expect(ok.hungUp).toBe(true);
  });

  it('drops only the connection that sends malformed frames', async () => {
    const seen: Array<{ dest: string; outcome: string }> = [];
    h = await startHarness(async (s) => {
      await s.myevents();
      try {
        await s.execute('playback', 'tone_stream://%(2000,0,440)');
        seen.push({ dest: s.channel.destinationNumber, outcome: 'played' });
        await s.hangup();
      } catch (e) {
        seen.push({ dest: s.channel.destinationNumber, outcome: (e as Error).name });
      }
    });
    const bad = (variant: 'bad-content-length' | 'garbage-header' | 'truncated-body', dest: string) =>
      h!.emu.placeCall({ destination: dest, callerIdNumber: 'x', script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'malformed', variant } }] } });
    const good = h.emu.placeCall({ destination: 'good', callerIdNumber: 'x' });
    const odd = h.emu.placeCall({ destination: 'odd', callerIdNumber: 'x', script: { steps: [{ when: { onApp: 'playback', afterMs: 5 }, do: { kind: 'malformed', variant: 'bad-escape' } }] } });
    await Promise.all([bad('bad-content-length', 'b1').done, bad('garbage-header', 'b2').done, bad('truncated-body', 'b3').done, good.done, odd.done]);
    await h.server.idle();
    const byDest = Object.fromEntries(seen.map((x) => [x.dest, x.outcome]));
    expect(byDest).toEqual({ b1: 'EslClosedError', b2: 'EslClosedError', b3: 'EslClosedError', good: 'played', odd: 'played' });
    expect(h.server.sessions()).toHaveLength(0);
  });

  it('leaves no listener behind after 100 executes', async () => {
    let counts: number[] = [];
    h = await startHarness(async (s) => {
      await s.myevents();
      const snapshot = (): number[] => [s.conn.listenerCount('event'), s.conn.listenerCount('close'), s.conn.pendingCount.executes, s.conn.pendingCount.replies];
      const before = snapshot();
      for (let i = 0; i < 100; i++) {
        const r = await s.execute('set', `v${i}=${i}`, { signal: s.signal });
        expect(r.kind).toBe('complete');
      }
      counts = [...before, ...snapshot()];
      await s.hangup();
    });
    await h.emu.placeCall({ destination: '1', callerIdNumber: '2' }).done;
    expect(counts.slice(0, 4)).toEqual(counts.slice(4));
    expect(counts[2]).toBe(0);
  });

  it('linger + exit handshake: +OK bye, disconnect notice, close; registry empty', async () => {
    let session: OutboundSession | undefined;
    h = await startHarness(async (s) => {
      session = s;
      await s.myevents();
      await s.linger();
      const notice = nextNotice(s, 'linger');
      await s.hangup('USER_BUSY');
      expect((await notice).headers['Linger-Time']).toBe('-1');
    });
    const call = h.emu.placeCall({ destination: '1', callerIdNumber: '2' });
    const summary = await call.done;
    expect(summary).toMatchObject({ hungUp: true, hangupCause: 'USER_BUSY', closedBy: 'emulator' });
    expect(call.recorder.commands().slice(-1)).toEqual(['exit']);
    expect(session?.disconnectNotice?.disposition).toBe('disconnect');
    await h.server.idle();
    expect(h.server.sessions()).toHaveLength(0);
    expect(h.server.connectionCount).toBe(0);
  });

  it('linger N: the emulator closes by itself N (scaled) seconds after hangup', async () => {
    h = await startHarness(async (s) => {
      await s.linger(2);
      await s.hangup();
      await s.closed;
    });
    const call = h.emu.placeCall({ destination: '1', callerIdNumber: '2' });
    await call.done;
    expect(call.recorder.commands()).not.toContain('exit');
    expect(call.recorder.frames().at(-1)).toMatchObject({ kind: 'disconnect-notice', disposition: 'disconnect' });
  });

  it('times out connect when FreeSWITCH never answers it', async () => {
    let called = false;
    h = await startHarness(async () => {
      called = true;
    }, { connectTimeoutMs: 50 });
    const summary = await h.emu.placeCall({ destination: '1', callerIdNumber: '2', script: { ignoreConnect: true } }).done;
    expect(summary.closedBy).toBe('server');
    expect(called).toBe(false);
  });
});

describe('emulator apps', () => {
  async function run(onCall: (s: OutboundSession) => Promise<void>, script = {}): Promise<void> {
    h = await startHarness(onCall);
    await h.emu.placeCall({ destination: '1', callerIdNumber: '2', script }).done;
  }

  it('bridge: busy without continue_on_fail hangs the caller up (fact 9)', async () => {
    await run(async (s) => {
      await s.myevents();
      const r = await s.execute('bridge', 'sofia/internal/busy@127.0.0.1:5091');
      expect(r).toMatchObject({ kind: 'hangup', cause: 'USER_BUSY' });
      expect(r.event.headers['variable_originate_disposition']).toBe('USER_BUSY');
    }, { bridge: 'busy' });
  });

  it('bridge: continue_on_fail keeps the caller; dispositions per outcome', async () => {
    await run(async (s) => {
      await s.myevents();
      await s.execute('set', 'continue_on_fail=true');
      for (const [dest, disp] of [['busy', 'USER_BUSY'], ['nobody', 'NORMAL_TEMPORARY_FAILURE'], ['late', 'NO_ANSWER'], ['ok', 'SUCCESS']] as const) {
        const r = await s.execute('bridge', `sofia/internal/${dest}@x`);
        expect(r.kind).toBe('complete');
        expect(r.event.headers['variable_originate_disposition']).toBe(disp);
      }
      await s.hangup();
    }, { bridge: (d: string) => (d.includes('busy') ? 'busy' : d.includes('nobody') ? 'not-listening' : d.includes('late') ? 'no-answer' : 'answer') });
  });

  it('playback honours playback_terminators; DTMF events reach the session', async () => {
    const digits: string[] = [];
    await run(async (s) => {
      await s.myevents();
      s.onEvent((e) => e.name === 'DTMF' && digits.push(e.headers['DTMF-Digit'] ?? ''));
      await s.execute('set', 'playback_terminators=#');
      const t0 = Date.now();
      const r = await s.execute('playback', 'tone_stream://%(60000,0,440)');
      expect(Date.now() - t0).toBeLessThan(1_000);
      expect(r.kind === 'complete' && r.event.headers['variable_playback_terminator_used']).toBe('#');
      await s.hangup();
    }, { steps: [{ when: { onApp: 'playback', afterMs: 10 }, do: { kind: 'dtmf', digits: '1#', gapMs: 5 } }] });
    expect(digits).toEqual(['1', '#']);
  });

  it('play_and_get_digits: no input → read_result=failure after all tries', async () => {
    await run(async (s) => {
      await s.myevents();
      const r = await s.execute('play_and_get_digits', '1 1 2 30 # silence_stream://100 silence_stream://100 choice [1-4] 30');
      expect(r.kind === 'complete' && r.event.headers['variable_read_result']).toBe('failure');
      expect(r.kind === 'complete' && r.event.headers['variable_choice']).toBeUndefined();
      await s.hangup();
    });
  });

  it('callcenter: member-queue-start/end only when subscribed; BREAK_OUT on hangup', async () => {
    const actions: string[] = [];
    await run(async (s) => {
      await s.myevents();
      await s.subscribeCustom(['callcenter::info']);
      s.onEvent((e) => e.subclass === 'callcenter::info' && actions.push(`${e.headers['CC-Action']}:${e.headers['CC-Cancel-Reason'] ?? ''}`));
      const r = await s.execute('callcenter', '5001@default');
      expect(r.kind).toBe('hangup');
      await s.waitForEvent((e) => e.headers['CC-Action'] === 'member-queue-end', { timeoutMs: 1_000 }).catch(() => undefined);
    }, { steps: [{ when: { onApp: 'callcenter', afterMs: 20 }, do: { kind: 'hangup' } }] });
    expect(actions).toEqual(['member-queue-start:', 'member-queue-end:BREAK_OUT']);
  });

  it('transfer: the socket stays attached and sees the new extension (fact 10)', async () => {
    const apps: string[] = [];
    await run(async (s) => {
      await s.myevents();
      await s.linger();
      s.onEvent((e) => e.name === 'CHANNEL_EXECUTE' && apps.push(e.headers['Application'] ?? ''));
      const notice = nextNotice(s, 'linger');
      await s.execute('transfer', 'xfer_target XML public');
      await notice;
    }, { transferDialplan: () => [['answer'], ['playback', 'silence_stream://100'], ['hangup', 'NORMAL_CLEARING']] });
    expect(apps).toEqual(['transfer', 'answer', 'playback', 'hangup']);
  });

  it('sendmsg to another uuid gets -ERR invalid session id', async () => {
    await run(async (s) => {
      const err = await s.conn.sendmsg('00000000-0000-0000-0000-000000000000', [['call-command', 'hangup']]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EslCommandError);
      expect((err as EslCommandError).reason).toBe('invalid session id [00000000-0000-0000-0000-000000000000]');
      await s.hangup();
    });
  });
});
