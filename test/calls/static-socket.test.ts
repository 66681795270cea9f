/**
 * Calls handed over on a sync (`static`) socket, as the product's dialplan does (`socket … full`): the
 * actions that need events while an app runs move the call to a second, async socket that FreeSWITCH
 * opens towards the same controller (CallChannel.goAsync, SocketHandoffs). Controller + emulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rawHeaderPairs, type EslFrame } from '../../src/esl/parser.ts';
import type { EmulatedSocket } from '../emulator/index.ts';
import { startController, type ControllerHarness } from '../helpers/controller.ts';
import { DIALLED, startBotHarness, startTestBot, type BotHarness, type TestBot } from '../bot/helpers.ts';
import { frameSignature } from '../esl/transcripts.ts';

let h: ControllerHarness | BotHarness | undefined;
let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await h?.close();
  h = undefined;
});

const signatures = (s: EmulatedSocket) => s.recorder.frames().map(frameSignature);
const verbs = (s: EmulatedSocket) => s.recorder.commands().map((c) => c.split('\n')[0]!);
const header = (command: string, name: string) => command.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
const socketMode = (f: EslFrame | undefined) => (f ? rawHeaderPairs(f.headerText) : []).find(([k]) => k === 'Socket-Mode')?.[1];

/** Resolves once `cond` holds (checked every 10 ms; the test's own timeout bounds it). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

/** performance.now() of the first chunk of a socket matching `pred`. */
function chunkAt(s: EmulatedSocket, dir: 'in' | 'out', pred: (text: string) => boolean): number {
  const c = s.recorder.chunks.find((x) => x.dir === dir && pred(x.data.toString('utf8')));
  expect(c, `a ${dir} chunk on the socket`).toBeDefined();
  return c!.at;
}

describe('a call on a sync (static) socket', () => {
  it('ai_agent: a second, async socket opens for the same channel; the caller\'s keys reach the bot there; the bot hangs up', async () => {
    const b = await startBotHarness(41600);
    h = b;
    bot = await startTestBot((ws, m) => {
      if (m.type === 'dtmf' && m.digit === '#') ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    await b.routeTo({ url: bot.url });
    const call = b.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    call.pressDigits('5#', 60);
    const summary = await call.done;
    await b.settle();

    expect(call.sockets.map((s) => s.mode)).toEqual(['static', 'async']);
    const [first, second] = call.sockets as [EmulatedSocket, EmulatedSocket];
    expect(socketMode(first.recorder.frames()[0])).toBe('static');
    expect(socketMode(second.recorder.frames()[0])).toBe('async');
    // The first socket only runs the socket app towards this same server, without event-lock (the
    // async socket's commands would wait behind it), then lets go of the channel.
    const socketApp = first.recorder.commands().find((c) => header(c, 'execute-app-name') === 'socket')!;
    expect(header(socketApp, 'execute-app-arg')).toBe(`127.0.0.1:${b.server.address().port} async full`);
    expect(header(socketApp, 'event-lock')).not.toBe('true');
    // The socket app ended with the call: its reply, the linger notice, then the reply of the getvar sent
    // with it; the first socket reads the channel data once (the cause) and lets go. It asked for no events.
    expect(verbs(first).slice(-3)).toEqual(['getvar _', 'connect', 'exit']);
    expect(first.recorder.frames().filter((f) => f.kind === 'event')).toEqual([]);
    // No execute on the sync socket carries event-lock (nothing is read while its app runs); on the async
    // one every execute does (a queued app must not run inside the one playing).
    const executes = (s: EmulatedSocket) => s.recorder.commands().filter((c) => header(c, 'call-command') === 'execute');
    expect(executes(first).length).toBeGreaterThan(0);
    expect(executes(first).filter((c) => header(c, 'event-lock') !== undefined)).toEqual([]);
    expect(executes(second).length).toBeGreaterThan(0);
    expect(executes(second).every((c) => header(c, 'event-lock') === 'true')).toBe(true);
    // The bot's media and keys are on the second socket: it asked for DTMF, the unicast ran there, and
    // the DTMF events never reached the first socket.
    const secondCommands = second.recorder.commands();
    expect(secondCommands.some((c) => c.startsWith('event plain') && c.includes('DTMF'))).toBe(true);
    expect(secondCommands.filter((c) => header(c, 'call-command') === 'unicast')).toHaveLength(1);
    expect(second.unicasts).toHaveLength(1);
    expect(first.unicasts).toHaveLength(0);
    expect(signatures(second).filter((s) => s === 'event DTMF')).toHaveLength(2);
    expect(signatures(first).some((s) => s === 'event DTMF')).toBe(false);
    expect(bot.seen.filter((s) => s.msg.type === 'dtmf').map((s) => s.msg.digit)).toEqual(['5', '#']);
    // The bot's hang-up went out on the second socket; the first, busy in the socket app all along, got
    // its reply only then (no events: it asked for none).
    expect(secondCommands.some((c) => header(c, 'call-command') === 'hangup')).toBe(true);
    expect(first.recorder.commands().some((c) => header(c, 'call-command') === 'hangup')).toBe(false);
    expect(signatures(first)[1]).toBe('reply +OK will linger 30 seconds');
    expect(signatures(first).slice(2)).toEqual([
      'reply +OK', // the socket app, done when the call ended
      'notice linger', // the channel is down: before the reply of the getvar sent with the app
      'reply -ERR command not found', // getvar _: unset, so FreeSWITCH's empty reply
      'reply +OK', // connect: the channel data, with the hangup cause
      'reply +OK bye',
      'notice disconnect',
    ]);
    expect(summary).toMatchObject({ hungUp: true, hangupCause: 'NORMAL_CLEARING' });
    expect(await b.callLog(summary.uuid)).toMatchObject({ disposition: 'bot_completed', leftAt: 'bot', dtmf: '5#' });
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'bot_hangup' });
  });

  it('a second bot leg (bot → IVR → bot): the first leg leaves its async socket, the second gets a fresh one with its own unicast', async () => {
    const b = await startBotHarness(41650);
    h = b;
    bot = await startTestBot((ws, m) => {
      if (m.type === 'dtmf' && m.digit === '9') ws.send(JSON.stringify({ type: 'session.transfer', target: { type: 'ivr', value: '7003' } }));
      if (m.type === 'dtmf' && m.digit === '#') ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    const agent = await b.req<{ id: string }>('POST', '/api/v1/ai-agents', {
      name: 'Echo', ws_url: bot.url, headers: {}, dialect: 'native', audio_format: 'l16_16k',
      system_prompt: null, language: 'en-IN', opening_text: null, connect_timeout_ms: 1000,
    });
    const menu = await b.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Bot Menu', extension: '7003', timeout: 2, max_retries: 1 });
    await b.req('PUT', `/api/v1/ivrs/${menu.id}/menu`, { options: [{ digit: '1', action_type: 'ai_agent', action_destination: agent.id }] });
    await b.routeTo({ url: bot.url });
    const call = b.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    // Keys go to the bot once its leg has started (its DTMF listener is on by then).
    const starts = () => bot!.seen.filter((x) => x.msg.type === 'start').length;
    await until(() => starts() === 1);
    call.pressDigits('9');
    // The menu's prompt on the first socket, then its option 1: the second bot leg.
    await until(() => call.first.recorder.commands().some((c) => header(c, 'execute-app-name') === 'play_and_get_digits'));
    call.pressDigits('1');
    await until(() => call.sockets.length === 3 && call.sockets[2]!.unicasts.length === 1 && starts() === 2);
    call.pressDigits('#');
    const summary = await call.done;
    await b.settle();

    expect(call.sockets.map((s) => s.mode)).toEqual(['static', 'async', 'async']);
    const [first, leg1, leg2] = call.sockets as [EmulatedSocket, EmulatedSocket, EmulatedSocket];
    // One unicast per socket session: each leg had its own, and the first ended with its socket.
    expect(leg1.unicasts).toHaveLength(1);
    expect(leg2.unicasts).toHaveLength(1);
    expect(first.unicasts).toHaveLength(0);
    // The first leg's socket was let go by the controller (exit) before the menu ran on the first socket.
    expect(verbs(leg1).at(-1)).toBe('exit');
    const socketApps = first.recorder.commands().filter((c) => header(c, 'execute-app-name') === 'socket');
    expect(socketApps).toHaveLength(2);
    expect(bot.seen.filter((x) => x.msg.type === 'start')).toHaveLength(2);
    expect(summary).toMatchObject({ hungUp: true });
    const log = await b.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'bot_completed', leftAt: 'bot' });
    const steps = log.path as Array<{ step?: string; type?: string; result?: string }>;
    expect(steps.filter((p) => p.step === 'action' && p.type === 'ai_agent').map((p) => p.result)).toEqual(['transfer', 'hangup']);
  });

  it('queue, the agent answers: the first socket gets `exit` as soon as the socket app completes; the hangup comes on the second; connected', async () => {
    const c = await startController();
    h = c;
    await c.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: false });
    await c.req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
    const did = await c.req<{ id: string }>('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
    await c.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'queue', routing_destination: '5001' });
    // Calls run on the published snapshot (which needs an IVR to publish).
    const ivr = await c.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
    await c.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'queue', action_destination: '5001' }] });
    await c.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
    const talkMs = 300;
    const call = c.emu.placeCall({
      destination: DIALLED,
      callerIdNumber: '9800000001',
      script: { callcenterAgent: { extension: '1001', answerAfterMs: 40, talkMs } },
    });
    const summary = await call.done;
    await c.settle();

    expect(call.sockets.map((s) => s.mode)).toEqual(['static', 'async']);
    const [first, second] = call.sockets as [EmulatedSocket, EmulatedSocket];
    // The queue ran on the second socket.
    expect(second.recorder.commands().some((x) => header(x, 'execute-app-name') === 'callcenter')).toBe(true);
    expect(first.recorder.commands().some((x) => header(x, 'execute-app-name') === 'callcenter')).toBe(false);
    // mod_callcenter bridged the caller: the socket app returned on the first socket, whose channel thread
    // the bridge needs, so the controller's very next command there is `exit`, at once.
    expect(verbs(first).slice(-3)).toEqual(['sendmsg', 'getvar _', 'exit']);
    // No events on the sync socket: the socket app's end is its reply (and the getvar's after it).
    expect(first.recorder.frames().filter((f) => f.kind === 'event')).toEqual([]);
    const exitAt = chunkAt(first, 'out', (t) => t.startsWith('exit'));
    const socketDone = first.recorder.chunks.filter((x) => x.dir === 'in' && x.at <= exitAt).at(-1)!.at;
    expect(exitAt).toBeGreaterThanOrEqual(socketDone);
    expect(exitAt - socketDone).toBeLessThan(talkMs / 2);
    // On the second socket: the callcenter completes (answered), both socket apps end, then nothing from
    // the controller until the talk ends with the hangup, which only this socket sees.
    const s2 = signatures(second);
    const completeAt = s2.indexOf('event CHANNEL_EXECUTE_COMPLETE callcenter');
    expect(s2.slice(completeAt, completeAt + 4)).toEqual([
      'event CHANNEL_EXECUTE_COMPLETE callcenter',
      'event CHANNEL_EXECUTE_COMPLETE socket',
      'event CHANNEL_EXECUTE_COMPLETE socket',
      'event CHANNEL_HANGUP',
    ]);
    expect(signatures(first)).not.toContain('event CHANNEL_HANGUP');
    const ccDone = chunkAt(second, 'in', (t) => t.includes('\nApplication: callcenter\n'));
    const hangupAt = chunkAt(second, 'in', (t) => t.includes('\nEvent-Name: CHANNEL_HANGUP\n'));
    expect(exitAt).toBeLessThan(hangupAt);
    expect(second.recorder.chunks.filter((x) => x.dir === 'out' && x.at > ccDone && x.at < hangupAt)).toEqual([]);
    expect(hangupAt - ccDone).toBeGreaterThanOrEqual(talkMs - 5);
    expect(verbs(second).at(-1)).toBe('exit');
    expect(summary).toMatchObject({ hungUp: true, hangupCause: 'NORMAL_CLEARING' });
    const log = await c.callLog(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '1001', hangupCause: 'NORMAL_CLEARING' });
    expect(Date.parse(log.endedAt!) - Date.parse(log.answeredAt!)).toBeGreaterThanOrEqual(talkMs);
  });
});
