/**
 * The AI bridge end to end: API → publish → emulator (real ESL bytes and real UDP unicast at
 * 20 ms) → controller → bot WebSocket, with the example bots and recording test bots.
 */
import { l16ToUlaw } from '../../src/media/g711.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEchoBot } from '../../examples/echo-bot.ts';
import { startMenuBot } from '../../examples/menu-bot.ts';
import { toneFrame } from '../emulator/unicast.ts';
import { DIALLED, percentile, rms, sleep, startBotHarness, startTestBot, storedBotLeg, storedCallLog, type BotHarness } from './helpers.ts';

let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  h = await startBotHarness(41000);
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

const legOf = (callUuid: string) => storedBotLeg(h.api.deps.adb, callUuid);
const logOf = (callUuid: string) => storedCallLog(h.api.deps.adb, callUuid);

describe('AI bridge: audio', () => {
  it('echo bot (native, L16 16 kHz): the caller hears their own tone back, paced at 20 ms; nothing is left behind', async () => {
    const bot = await startEchoBot({ port: 0 });
    closers.push(() => bot.close());
    await h.routeTo({ url: `ws://127.0.0.1:${bot.port}` });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const media = await call.unicastStarted();
    expect(media.params.native).toBe(false);
    await sleep(700);
    call.hangup();
    const summary = await call.done;
    await h.settle();

    const frames = media.received;
    expect(frames.length).toBeGreaterThan(25);
    expect(frames.every((f) => f.bytes.length === 320)).toBe(true);
    const gaps = frames.slice(1).map((f, i) => f.at - frames[i]!.at);
    expect(percentile(gaps, 50)).toBeGreaterThan(15);
    expect(percentile(gaps, 50)).toBeLessThan(25);
    // One late timer on a busy test machine is not a pacing fault: most frames are 20 ms apart.
    expect(percentile(gaps, 90)).toBeLessThan(45);
    // After a few frames of silence the echo arrives: the same 400 Hz tone (8 → 16 → 8 kHz), RMS ≈ 4208.
    const loud = frames.filter((f) => rms(f.bytes) > 1000);
    expect(loud.length).toBeGreaterThan(15);
    expect(rms(loud.at(-2)!.bytes)).toBeGreaterThan(3800);
    expect(rms(loud.at(-2)!.bytes)).toBeLessThan(4600);

    const log = await logOf(summary.uuid);
    expect(log).toMatchObject({ disposition: 'bot_completed', leftAt: 'bot' });
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'caller_hangup', dialect: 'native', agentId: null });
    expect(h.events.map((e) => e.type)).toEqual(['call.ringing', 'call.answered', 'bot.connected', 'bot.ended', 'call.hangup']);
    expect(h.bots.active).toBe(0);
    expect(h.bots.ports.inUse).toBe(0);
  });

  it('Twilio dialect on a PCMU channel: unicast stays L16 (never `flags: native`), the μ-law the bot gets comes back intact', async () => {
    const bot = await startEchoBot({ port: 0 });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: `ws://127.0.0.1:${bot.port}`, dialect: 'twilio', audio_format: 'pcmu_8k' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const media = await call.unicastStarted();
    // Native unicast starves FreeSWITCH 1.10's read loop under load (src/bot/audio-format.ts LEG_FRAME_BYTES).
    expect(media.params.native).toBe(false);
    expect(call.recorder.commands().some((c) => c.includes('call-command: unicast') && c.includes('flags: native'))).toBe(false);
    await sleep(500);
    call.hangup();
    await call.done;
    await h.settle();
    // The caller's L16 tone → μ-law to the bot → echoed → L16 to the caller: the same μ-law frames.
    const sent = new Set(Array.from({ length: 40 }, (_, i) => l16ToUlaw(toneFrame(i, false)).toString('hex')));
    const echoed = media.received.filter((f) => f.bytes.some((b) => b !== 0));
    expect(echoed.length).toBeGreaterThan(10);
    expect(echoed.every((f) => f.bytes.length === 320 && sent.has(l16ToUlaw(f.bytes).toString('hex')))).toBe(true);
  });
});

describe('AI bridge: control', () => {
  it('menu bot: key 0 → the bot transfers to extension 1001 through the IVR bridge code; unicast stops', async () => {
    const bot = await startMenuBot({ port: 0, extension: '1001', tone: true });
    closers.push(() => bot.close());
    await h.routeTo({ url: `ws://127.0.0.1:${bot.port}` });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001', script: { bridge: 'answer' } });
    const media = await call.unicastStarted();
    await sleep(200);
    call.pressDigits('0');
    const summary = await call.done;
    await h.settle();
    expect(call.recorder.commands().some((c) => c.includes('execute-app-name: bridge') && c.includes('user/1001@'))).toBe(true);
    // The bot's leg ran on its own async socket; leaving it (before the bridge, which runs on the call's
    // first socket) ends the park and the unicast with it.
    expect(media.stoppedBy).toBe('socket-closed');
    expect(call.sockets.map((s) => s.mode)).toEqual(['static', 'async']);
    expect(call.sockets[1]!.recorder.commands().at(-1)).toMatch(/^exit/);
    expect(call.sockets[0]!.recorder.commands().some((c) => c.includes('execute-app-name: bridge'))).toBe(true);
    const log = await logOf(summary.uuid);
    expect(log).toMatchObject({ disposition: 'connected', leftAt: 'talk', answeredBy: '1001', dtmf: '0' });
    const steps = log.path as Array<{ step: string; type?: string; result?: string }>;
    expect(steps.find((p) => p.type === 'ai_agent')?.result).toBe('transfer');
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'transfer', transferTarget: { type: 'extension', value: '1001' }, dtmf: '0' });
    // The prompt was heard before the transfer.
    expect(media.received.filter((f) => rms(f.bytes) > 500).length).toBeGreaterThan(5);
  });

  it('menu bot: # → the bot hangs up the call', async () => {
    const bot = await startMenuBot({ port: 0, extension: '1001', tone: true });
    closers.push(() => bot.close());
    await h.routeTo({ url: `ws://127.0.0.1:${bot.port}` });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    await sleep(150);
    call.pressDigits('#');
    const summary = await call.done;
    await h.settle();
    expect(summary.hangupCause).toBe('NORMAL_CLEARING');
    expect(await logOf(summary.uuid)).toMatchObject({ disposition: 'bot_completed', leftAt: 'bot' });
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'hangup', endDetail: 'caller pressed #' });
  });

  it('marks echo when the audio before them has played; clear drops the buffer within a frame and echoes pending marks', async () => {
    const second = (n: number) => Buffer.alloc(n * 320, 0x11).toString('base64');
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') {
        ws.send(JSON.stringify({ type: 'response.audio.delta', delta: second(100) })); // 2 s at 8 kHz L16
        ws.send(JSON.stringify({ type: 'mark', name: 'long' }));
        setTimeout(() => ws.send(JSON.stringify({ type: 'clear' })), 200);
        setTimeout(() => {
          ws.send(JSON.stringify({ type: 'media', payload: second(5) })); // 100 ms
          ws.send(JSON.stringify({ type: 'mark', name: 'short' }));
        }, 300);
      }
      if (m.type === 'mark' && m.name === 'short') ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, audio_format: 'l16_8k' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const media = await call.unicastStarted();
    await call.done;
    await h.settle();
    const marks = bot.seen.filter((s) => s.msg.type === 'mark');
    expect(marks.map((s) => [s.msg.name, s.msg.cleared])).toEqual([['long', true], ['short', false]]);
    const start = bot.seen.find((s) => s.msg.type === 'start')!.at;
    expect(marks[0]!.at - start).toBeGreaterThan(180);
    expect(marks[0]!.at - start).toBeLessThan(300);
    // 'short' waits for its 100 ms of audio after 300 ms (a busy machine's late frames come in a burst: 350).
    expect(marks[1]!.at - start).toBeGreaterThan(350);
    // Bot audio reached the caller: 0x1111 samples, about 9 frames before the clear (play-out starts with the
    // switch's first frame, 20 ms after unicast, and follows its frames) + 5 after, never 100.
    const botFrames = media.received.filter((f) => f.bytes.readInt16LE(0) === 0x1111).length;
    expect(botFrames).toBeGreaterThan(7);
    expect(botFrames).toBeLessThan(30);
    expect(bot.seen.at(-1)!.msg).toMatchObject({ type: 'stop', reason: 'bot_hangup' });
  });

  it('an invalid message gets an error back and the call goes on; a transfer to an unknown extension is refused', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start') {
        ws.send('not json');
        ws.send(JSON.stringify({ type: 'response.audio.delta', delta: '***' }));
        ws.send(JSON.stringify({ type: 'session.transfer', target: { type: 'extension', value: '9999' } }));
      }
      if (m.type === 'error' && bot.seen.filter((s) => s.msg.type === 'error').length === 3) ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    const summary = await call.done;
    await h.settle();
    const errors = bot.seen.filter((s) => s.msg.type === 'error').map((s) => s.msg);
    expect(errors[0]).toMatchObject({ message: 'message is not valid JSON' });
    expect(errors[1]).toMatchObject({ message: 'invalid message', details: [{ path: 'delta', message: 'must be base64' }] });
    expect(errors[2]).toMatchObject({ message: 'no enabled extension 9999' });
    expect(await legOf(summary.uuid)).toMatchObject({ endReason: 'hangup' });
    expect(((await legOf(summary.uuid))!.stats as Record<string, number>).invalidMessages).toBe(2);
  });

  it('native start carries the route; DTMF reaches the bot and the call log', async () => {
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'dtmf' && m.digit === '7') ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    closers.push(() => bot.close());
    const agentId = await h.routeTo({ agent: { ws_url: bot.url, system_prompt: 'Be brief.', language: 'hi-IN', opening_text: 'Namaste', audio_format: 'l16_24k' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    await sleep(100);
    call.pressDigits('57', 60);
    const summary = await call.done;
    await h.settle();
    const start = bot.seen[0]!.msg;
    expect(start).toMatchObject({
      type: 'start', seq: 1, from: '+919800000001', to: '+918065978001', did: '+918065978001', org_id: h.org.orgId, agent_id: agentId,
      media_format: { encoding: 'audio/l16', sample_rate: 24000, channels: 1, frame_ms: 20 },
      custom_parameters: { system_prompt: 'Be brief.', language: 'hi-IN', opening_text: 'Namaste' },
    });
    const media = bot.seen.filter((s) => s.msg.type === 'media')[2]!.msg;
    expect(Buffer.from(media.payload, 'base64').length).toBe(960); // 20 ms at 24 kHz
    expect(bot.seen.filter((s) => s.msg.type === 'dtmf').map((s) => [s.msg.digit, s.msg.duration_ms])).toEqual([['5', 160], ['7', 160]]);
    expect((await logOf(summary.uuid)).dtmf).toBe('57');
  });

  it('start carries the caller\'s saved contact: nested in native custom_parameters, flat contact_* in Twilio customParameters', async () => {
    const contact = await h.req<{ id: string }>('POST', '/api/v1/contacts', { name: 'John Doe', phone: '09800000001', variables: { order_id: 'ORD12345' } });
    const bot = await startTestBot((ws, m) => {
      if (m.type === 'start' || m.event === 'start') ws.send(JSON.stringify({ type: 'session.hangup' }));
    });
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url } });
    await h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' }).done;
    await h.settle();
    expect(bot.seen[0]!.msg).toMatchObject({
      type: 'start', custom_parameters: { contact: { id: contact.id, name: 'John Doe', variables: { order_id: 'ORD12345' } } },
    });

    await h.routeTo({ agent: { ws_url: bot.url, dialect: 'twilio' } });
    await h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' }).done;
    await h.settle();
    const twilioStart = bot.seen.map((s) => s.msg).find((m) => m.event === 'start')!;
    expect(twilioStart.start.customParameters).toMatchObject({ contact_id: contact.id, contact_name: 'John Doe', contact_order_id: 'ORD12345' });

    // An unknown caller: no contact.
    await h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000002' }).done;
    await h.settle();
    const unknown = bot.seen.map((s) => s.msg).filter((m) => m.event === 'start').at(-1)!;
    expect(Object.keys(unknown.start.customParameters)).not.toContain('contact_id');
  });

  it('Twilio dialect: connected, start (customParameters from/to, mediaFormat), media, dtmf, stop with sequenceNumber', async () => {
    const bot = await startTestBot();
    closers.push(() => bot.close());
    await h.routeTo({ agent: { ws_url: bot.url, dialect: 'twilio' } });
    const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
    await call.unicastStarted();
    await sleep(120);
    call.pressDigits('1');
    await sleep(60);
    call.hangup();
    await call.done;
    await h.settle();
    const msgs = bot.seen.map((s) => s.msg);
    expect(msgs[0]).toEqual({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    expect(msgs[1]).toMatchObject({
      event: 'start', sequenceNumber: '1',
      start: { callSid: expect.any(String), tracks: ['inbound'], customParameters: { from: '+919800000001', to: '+918065978001' }, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    });
    expect(msgs[1]!.streamSid).toMatch(/^MZ[0-9a-f]{32}$/);
    expect(msgs[2]).toMatchObject({ event: 'media', sequenceNumber: '2', media: { track: 'inbound', chunk: '1', timestamp: '0' }, streamSid: msgs[1]!.streamSid });
    expect(Buffer.from(msgs[2]!.media.payload, 'base64').length).toBe(160);
    expect(msgs.find((m) => m.event === 'dtmf')).toMatchObject({ dtmf: { track: 'inbound_track', digit: '1' } });
    expect(msgs.at(-1)).toMatchObject({ event: 'stop', stop: { callSid: msgs[1]!.start.callSid } });
    const seqs = msgs.slice(1).map((m) => Number(m.sequenceNumber));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await bot.closed).toBe(1000);
  });
});
