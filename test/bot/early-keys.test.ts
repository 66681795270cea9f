/**
 * A key the caller presses the instant the bot's stream starts reaches the bot. The switch can send that
 * DTMF event in the same read as its reply to `unicast`: the leg must already hold it then, not start
 * listening only once its stream is set up (CI caught a lost first key under load).
 */
import { afterEach, expect, it } from 'vitest';
import { Recorder } from '../emulator/recorder.ts';
import { DIALLED, startBotHarness, startTestBot, type BotHarness, type TestBot } from './helpers.ts';

let h: BotHarness | undefined;
let bot: TestBot | undefined;
const record = Recorder.prototype.record;
afterEach(async () => {
  Recorder.prototype.record = record;
  await bot?.close();
  bot = undefined;
  await h?.close();
  h = undefined;
});

it('a key pressed as the unicast starts (its DTMF event in the same read as the unicast reply) reaches the bot', async () => {
  const b = await startBotHarness(41700);
  h = b;
  bot = await startTestBot((ws, m) => {
    if (m.type === 'dtmf' && m.digit === '#') ws.send(JSON.stringify({ type: 'session.hangup' }));
  });
  await b.routeTo({ url: bot.url });
  const call = b.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
  // When the controller writes the unicast, the emulator answers it at once; the key follows in the same
  // turn of the event loop, before the controller reads: both arrive in one read.
  let pressed = false;
  Recorder.prototype.record = function (this: Recorder, dir, data) {
    record.call(this, dir, data);
    if (pressed || dir !== 'out' || !data.includes('call-command: unicast')) return;
    pressed = true;
    // The DTMF event itself (pressDigits waits for a timer, which would let the controller read first).
    setImmediate(() => call.channel.emit('DTMF', [['DTMF-Digit', '7'], ['DTMF-Duration', '1280'], ['DTMF-Source', 'RTP']], { withVariables: false }));
  };
  await call.unicastStarted();
  await bot.waitFor((m) => m.type === 'dtmf' && m.digit === '7', 3_000).catch(() => undefined);
  call.pressDigits('#');
  await call.done;
  await b.settle();
  expect(pressed).toBe(true);
  expect(bot.seen.filter((s) => s.msg.type === 'dtmf').map((s) => s.msg.digit)).toEqual(['7', '#']);
});
