/** WebSocket keepalive: a bot that stops answering pings is a failed bot (apology + fallback); one that answers stays. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALLED, sleep, startBotHarness, startTestBot, storedBotLeg, storedCallLog, type BotHarness } from './helpers.ts';

const PING_MS = 150;
const PONG_TIMEOUT_MS = 250;

let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  h = await startBotHarness(41800, { pingIntervalMs: PING_MS, pingTimeoutMs: PONG_TIMEOUT_MS, silenceTimeoutMs: 5000 });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

const legOf = (callUuid: string) => storedBotLeg(h.api.deps.adb, callUuid);
const APOLOGY = 'execute-app-arg: tone_stream://%(300,100,392)';
const isFallback = (c: string) => c.includes('execute-app-name: bridge') && c.includes('user/1001@');

describe('AI bridge keepalive', () => {
  it('a bot that stops answering pings → bot_unresponsive, apology and the agent fallback within 2 s of detection', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') ws.send(JSON.stringify({ type: 'mark', name: 'hello' })); // alive at first, then hung
    }, { autoPong: false });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, fallback_destination: { type: 'extension', value: '1001' } } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001', script: { bridge: 'answer' } });
    let fallbackAt = 0;
    const watch = setInterval(() => {
      if (!fallbackAt && call.recorder.commands().some(isFallback)) fallbackAt = Date.now();
    }, 5);
    const summary = await call.done;
    clearInterval(watch);
    await h.settle();

    const leg = (await legOf(summary.uuid))!;
    expect(leg).toMatchObject({ endReason: 'bot_unresponsive', endDetail: `no pong within ${PONG_TIMEOUT_MS} ms of a WebSocket ping` });
    // first ping after one interval, declared dead one pong timeout later
    expect(leg.durationMs).toBeGreaterThanOrEqual(PING_MS + PONG_TIMEOUT_MS - 20);
    expect(leg.durationMs).toBeLessThan(PING_MS + PONG_TIMEOUT_MS + 1000);
    const detectedAt = Date.parse(leg.startedAt) + leg.durationMs;
    expect(fallbackAt).toBeGreaterThan(0);
    expect(fallbackAt - detectedAt).toBeLessThan(2000);
    const cmds = call.recorder.commands();
    expect(cmds.some((c) => c.includes(APOLOGY))).toBe(true);
    expect(await storedCallLog(h.api.deps.adb, summary.uuid)).toMatchObject({ disposition: 'connected', answeredBy: '1001', leftAt: 'talk' });
    // the bot is told, and its socket does not outlive the leg
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'bot_error' });
    await bot.closed;
    expect(h.bots.active).toBe(0);
    expect(h.bots.ports.inUse).toBe(0);
  });

  it('a bot that answers pings (and sends nothing else) keeps the call through many ping intervals', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') ws.send(JSON.stringify({ type: 'mark', name: 'hello' }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    await sleep(PING_MS * 6);
    call.hangup();
    const summary = await call.done;
    await h.settle();
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'caller_hangup' });
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'caller_hangup' });
  });
});
