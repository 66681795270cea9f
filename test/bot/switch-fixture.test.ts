/**
 * The emulator agrees with the real switch on an AI-agent call (fixtures captured by the switch-backed
 * suite: test/switch/fixtures/bot-native-hangup.jsonl, the first, sync socket, and .async.jsonl, the
 * second one the call moves to): on the first, the `socket … async full` app and, once it returns, its
 * reply then the events held meanwhile; on the second, answer app, DTMF subscription and unicast in one
 * write, the caller's keys as DTMF events, the bot's hang-up, CHANNEL_HANGUP, then the socket app
 * completes — no EXECUTE_COMPLETE for unicast, which is not an app.
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { callSignature, loadCallCaptures, recordedChunks } from '../switch/fixture-signature.ts';
import { DIALLED, startBotHarness, startTestBot, type BotHarness } from './helpers.ts';

const FIXTURE = resolve(import.meta.dirname, '../switch/fixtures/bot-native-hangup.jsonl');

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness(41400);
});
afterEach(async () => {
  await h.close();
});

it('bot-native-hangup.jsonl: keys reach the bot, the bot hangs up; same frames and commands on both sockets as the real switch', async () => {
  const real = callSignature(loadCallCaptures(FIXTURE));
  expect(real).toHaveLength(2);
  const bot = await startTestBot((ws, m) => {
    if (m.type === 'start') ws.send(JSON.stringify({ type: 'mark', name: 'hello' }));
    if (m.type === 'dtmf' && m.digit === '#') ws.send(JSON.stringify({ type: 'session.hangup' }));
  });
  await h.routeTo({ url: bot.url });
  const call = h.emu.placeCall({
    destination: DIALLED,
    callerIdNumber: '+919845000020',
    script: { steps: [{ when: { atMs: 300 }, do: { kind: 'dtmf', digits: '5' } }, { when: { atMs: 450 }, do: { kind: 'dtmf', digits: '#' } }] },
  });
  await call.done;
  await h.settle();
  await bot.close();
  const ours = callSignature(call.sockets.map((s) => recordedChunks(s.recorder)));
  expect(ours).toHaveLength(2);
  ours.forEach((socket, i) => {
    expect(socket.frames, `socket ${i + 1}: frames`).toEqual(real[i]!.frames);
    expect(socket.commands, `socket ${i + 1}: commands`).toEqual(real[i]!.commands);
  });
});
