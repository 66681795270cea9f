/**
 * The emulator agrees with the real switch on an AI-agent call (fixture captured by the switch-backed
 * suite: test/switch/fixtures/bot-native-hangup.jsonl): answer app, DTMF subscription and unicast in
 * one write, the caller's keys as DTMF events, the bot's hang-up, CHANNEL_HANGUP, then the socket app
 * completes — no EXECUTE_COMPLETE for unicast, which is not an app.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { EslParser } from '../../src/esl/parser.ts';
import { frameSignature } from '../esl/transcripts.ts';
import { DIALLED, startBotHarness, startTestBot, type BotHarness } from './helpers.ts';

/** Channel uuids differ between runs (e.g. in the Unique-ID filter's reply). */
const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

const FIXTURE = resolve(import.meta.dirname, '../switch/fixtures/bot-native-hangup.jsonl');

let h: BotHarness;
beforeEach(async () => {
  h = await startBotHarness(41400);
});
afterEach(async () => {
  await h.close();
});

const frames = (chunks: Array<{ dir: string; data: string }>) => {
  const p = new EslParser();
  return chunks.flatMap((c) => (c.dir === 'in' ? p.feed(Buffer.from(c.data)).frames.map((f) => frameSignature(f).replace(UUID_RE, '<uuid>')) : []));
};
/** Commands by verb (sendmsg: its call-command and app), in order. */
const commands = (chunks: Array<{ dir: string; data: string }>) =>
  chunks
    .filter((c) => c.dir === 'out')
    .flatMap((c) => c.data.split('\n\n').filter((x) => x.trim() !== ''))
    .map((cmd) => {
      const lines = cmd.split('\n');
      if (!lines[0]!.startsWith('sendmsg')) return lines[0]!.replace(UUID_RE, '<uuid>');
      const h = (n: string) => lines.find((l) => l.startsWith(`${n}: `))?.slice(n.length + 2);
      return ['sendmsg', h('call-command'), h('execute-app-name')].filter(Boolean).join(' ');
    });

it('bot-native-hangup.jsonl: keys reach the bot, the bot hangs up; same frames and commands as the real switch', async () => {
  const real = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { dir: string; data: string });
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
  const ours = call.recorder.chunks.map((c) => ({ dir: c.dir, data: c.data.toString('utf8') }));
  expect(frames(ours)).toEqual(frames(real));
  expect(commands(ours)).toEqual(commands(real));
});
