/** A stall of the bridge's process mid-call: the caller's audio returns to real time instead of lagging forever. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALLED, sleep, startBotHarness, startTestBot, storedBotLeg, type BotHarness } from './helpers.ts';

let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  h = await startBotHarness(41300);
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

/** Blocks the event loop (timers, sockets, everything in this process) for `ms`, without spinning a core. */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('AI bridge after a stall', () => {
  it('a 200 ms stall: the ~10 frames whose time passed are skipped (bot leg skippedFromBot), play-out goes on in real time', async () => {
    // 4 s of bot audio sent at once, each 20 ms frame numbered in its first two bytes
    const bot = await startTestBot((ws, m) => {
      if (m.type !== 'start') return;
      const audio = Buffer.alloc(320 * 200);
      for (let i = 0; i < 200; i++) audio.writeUInt16LE(i + 1, i * 320);
      ws.send(JSON.stringify({ type: 'response.audio.delta', delta: audio.toString('base64') }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, audio_format: 'l16_8k' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const media = await call.unicastStarted();
    await sleep(300);
    const before = media.received.length;
    stall(200);
    await sleep(300);
    call.hangup();
    const summary = await call.done;
    await h.settle();

    const stats = (await storedBotLeg(h.api.deps.adb, summary.uuid))!.stats as Record<string, number>;
    // 200 ms = 10 ticks (a busy host may add a stall of its own: more skipped, never fewer)
    expect(stats.skippedFromBot).toBeGreaterThanOrEqual(8);
    expect(stats.skippedFromBot).toBeLessThanOrEqual(40);
    // the numbering only moves forward, and what it jumps over is exactly what was skipped
    const numbers = media.received.map((f) => f.bytes.readUInt16LE(0)).filter((n) => n > 0);
    const steps = numbers.slice(1).map((n, i) => n - numbers[i]!);
    expect(steps.every((d) => d >= 1)).toBe(true);
    expect(steps.reduce((sum, d) => sum + d - 1, 0)).toBe(stats.skippedFromBot);
    // the stall's frames go in a jump, not one at a time (a loaded machine may split the jump in two)
    expect(Math.max(...steps)).toBeGreaterThanOrEqual(5);
    // after the stall: one frame per tick again, not a burst of the backlog
    const after = media.received.slice(before + 1);
    const gaps = after.slice(1).map((f, i) => f.at - after[i]!.at);
    expect(gaps.filter((g) => g < 5).length).toBeLessThanOrEqual(8);
  });
});
