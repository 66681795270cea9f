/** The AI bridge's failure paths: the caller never sits in dead air (apology + fallback within 2 s). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPortUrl, DIALLED, sleep, startBlackHole, startBotHarness, startTestBot, storedBotLeg, type BotHarness } from './helpers.ts';

let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  h = await startBotHarness(41100, { silenceTimeoutMs: 400, maxBufferMs: 1000 });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

const legOf = (callUuid: string) => storedBotLeg(h.api.deps.adb, callUuid);
const APOLOGY = 'execute-app-arg: tone_stream://%(300,100,392)';

/** Places a call, returns how long after the ai_agent answer the apology started, and the summary. */
async function failingCall(fallback = false) {
  const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001', script: { bridge: 'answer' } });
  const summary = await call.done;
  await h.settle();
  const cmds = call.recorder.commands();
  const log = await h.callLog(summary.uuid);
  expect(cmds.some((c) => c.includes(APOLOGY))).toBe(true);
  if (fallback) expect(cmds.some((c) => c.includes('execute-app-name: bridge') && c.includes('user/1001@'))).toBe(true);
  else expect(summary.hangupCause).toBe('NORMAL_CLEARING');
  return { call, summary, log, leg: (await legOf(summary.uuid))! };
}

describe('AI bridge failures', () => {
  it('connect refused → apology, then the agent fallback (extension 1001)', async () => {
    await h.routeTo({ agent: { ws_url: await closedPortUrl(), fallback_destination: { type: 'extension', value: '1001' } } });
    const t0 = Date.now();
    const { leg, log } = await failingCall(true);
    expect(leg).toMatchObject({ endReason: 'connect_refused' });
    // The fallback decides the outcome: extension 1001 answered.
    expect(log).toMatchObject({ disposition: 'connected', answeredBy: '1001', leftAt: 'talk' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('connect timed out (host accepts TCP, never answers the upgrade) → apology, hangup', async () => {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    await h.routeTo({ agent: { ws_url: hole.url, connect_timeout_ms: 500 } });
    const t0 = Date.now();
    const { leg, log } = await failingCall();
    expect(leg).toMatchObject({ endReason: 'connect_timeout' });
    expect(log.disposition).toBe('bot_failed');
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('handshake rejected (HTTP 401) → apology, hangup; the agent headers were sent', async () => {
    let auth: unknown;
    const bot = await startTestBot(undefined, {
      verify: (info, cb) => {
        auth = info.req.headers.authorization;
        cb(false, 401);
      },
    });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, headers: { Authorization: 'Bearer nope' } } });
    const { leg } = await failingCall();
    expect(leg).toMatchObject({ endReason: 'handshake_rejected', endDetail: 'HTTP 401' });
    expect(auth).toBe('Bearer nope');
  });

  it('bot silent (connects, never sends anything) → apology after the silence timeout', async () => {
    const bot = await startTestBot();
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const { leg } = await failingCall();
    expect(leg).toMatchObject({ endReason: 'bot_silent' });
    expect(leg.durationMs).toBeGreaterThanOrEqual(390);
    expect(leg.durationMs).toBeLessThan(1500);
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'bot_error' });
  });

  it('bot closes mid-call → apology at once, hangup', async () => {
    const bot = await startTestBot(undefined, {
      onConnect: (ws) => {
        ws.send(JSON.stringify({ type: 'mark', name: 'hello' }));
        setTimeout(() => ws.close(1011), 250);
      },
    });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const { leg } = await failingCall();
    expect(leg).toMatchObject({ endReason: 'bot_closed', endDetail: 'bot closed the socket (code 1011)' });
  });

  it('bot floods audio faster than real time: bounded buffer, excess dropped, the caller still gets 20 ms pacing', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') {
        const burst = Buffer.alloc(320 * 50, 0x22).toString('base64'); // 1 s per message
        for (let i = 0; i < 10; i++) ws.send(JSON.stringify({ type: 'response.audio.delta', delta: burst }));
      }
    });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, audio_format: 'l16_8k' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const media = await call.unicastStarted();
    await sleep(1600);
    call.hangup();
    const summary = await call.done;
    await h.settle();
    const stats = (await legOf(summary.uuid))!.stats as Record<string, number>;
    // 10 s sent, 1 s buffered: 450 dropped, fewer by the frames that played while the burst was still
    // arriving (a busy machine spreads the burst over a few play-out ticks).
    expect(stats.droppedFromBot).toBeLessThanOrEqual(450);
    expect(stats.droppedFromBot).toBeGreaterThanOrEqual(440);
    const frames = media.received;
    // Play-out is paced by the caller's frames (one back per frame the switch sends, nothing before the
    // first), not by the bot's flood: never more frames back than the caller sent, whatever the flood. At
    // the hangup the last caller frames may still wait in our socket (a loaded CI machine left 3), so the
    // lower bound allows a 200 ms stall. Counted, not timed.
    expect(frames.length).toBeLessThanOrEqual(media.sent);
    expect(frames.length).toBeGreaterThanOrEqual(media.sent - 10);
    // The 1 s kept (50 frames) plays out: all of it on an idle machine; a loaded one starts the play-out
    // later, and the hangup (1.6 s after the stream) may cut its last frames (CI once saw 48).
    expect(frames.filter((f) => f.bytes.readInt16LE(0) === 0x2222).length).toBeGreaterThanOrEqual(40);
  });

  it('caller hangs up: the bot gets stop (caller_hangup) and its socket is closed', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') ws.send(JSON.stringify({ type: 'mark', name: 'x' }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    await sleep(100);
    call.hangup();
    const summary = await call.done;
    await h.settle();
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'caller_hangup' });
    expect(await bot.closed).toBe(1000);
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'caller_hangup' });
    expect(h.bots.ports.inUse).toBe(0);
  });

  it('no bridge configured → apology and fallback, as before', async () => {
    await h.close();
    const { startController } = await import('../helpers/controller.ts');
    const plain = await startController();
    h = { ...plain, bots: h.bots, routeTo: h.routeTo } as BotHarness;
    const ivr = await plain.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
    await plain.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
    await plain.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
    const did = await plain.req<{ id: string }>('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
    await plain.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ai_agent', routing_destination: 'ws://127.0.0.1:1/x' });
    const call = plain.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const summary = await call.done;
    await plain.settle();
    expect(call.recorder.commands().some((c) => c.includes(APOLOGY))).toBe(true);
    expect(await plain.callLog(summary.uuid)).toMatchObject({ disposition: 'bot_failed', leftAt: 'prompt' });
  });
});
