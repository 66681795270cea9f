// Switches on different hosts: a call's unicast (the AI bridge's media) uses its own switch's address from
// SWITCH_MEDIA_IPS; a call from a switch not listed (or of unknown switch) uses BOT_SWITCH_MEDIA_IP.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DIALLED, sleep, startBotHarness, startTestBot, storedCallLog, type BotHarness } from '../bot/helpers.ts';

const B = { coreUuid: randomUUID(), switchname: 'fs-b' };
let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  // 127.0.0.2 is loopback too: the emulated switch b binds its unicast there.
  h = await startBotHarness(41700, { switchMediaIps: new Map([['b', '127.0.0.2']]) }, {
    identifySwitch: (headers) => (headers['Core-UUID'] === B.coreUuid ? 'b' : null),
  });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

it('the unicast of a call on switch b goes to b\'s own address; another call\'s to BOT_SWITCH_MEDIA_IP', async () => {
  const bot = await startTestBot();
  closers.push(() => bot.close());
  await h.routeTo({ url: bot.url });
  const onB = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001', switchIdentity: B });
  const elsewhere = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000002' });
  const [mediaB, mediaOther] = await Promise.all([onB.unicastStarted(), elsewhere.unicastStarted()]);
  expect(mediaB.params.localIp).toBe('127.0.0.2');
  expect(mediaOther.params.localIp).toBe('127.0.0.1');
  await sleep(100);
  onB.hangup();
  elsewhere.hangup();
  await Promise.all([onB.done, elsewhere.done]);
  await h.settle();
  expect((await storedCallLog(h.api.deps.adb, onB.uuid)).switchId).toBe('b');
  expect((await storedCallLog(h.api.deps.adb, elsewhere.uuid)).switchId).toBeNull();
});
