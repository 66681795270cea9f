/**
 * A bot leg leaves nothing behind on its sockets: every listener it put on the media (UDP) socket and
 * the bot's WebSocket is removed by reference when the leg ends, however it ends. (The leg used to
 * leave its `error` listener on the WebSocket, plus an anonymous one added while closing, and on the UDP
 * socket an anonymous `error` listener and the `close` callback, which dgram adds with on(), not once().)
 */
import type { Socket } from 'node:dgram';
import type WebSocket from 'ws';
import type * as Dgram from 'node:dgram';
import type * as BotSocketModule from '../../src/bot/bot-socket.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DIALLED, sleep, startBotHarness, startTestBot, type BotHarness } from './helpers.ts';

const made = vi.hoisted(() => ({ udp: [] as Socket[], ws: [] as WebSocket[] }));

vi.mock('node:dgram', async (importOriginal) => {
  const dgram = await importOriginal<typeof Dgram>();
  const createSocket = ((...args: Parameters<typeof dgram.createSocket>) => {
    const socket = dgram.createSocket(...args);
    // The leg's media socket (the emulator makes its own for unicast).
    if (new Error().stack?.includes('src/bot/leg.ts')) made.udp.push(socket);
    return socket;
  }) as typeof dgram.createSocket;
  return { ...dgram, default: { ...dgram, createSocket }, createSocket };
});

vi.mock('../../src/bot/bot-socket.ts', async (importOriginal) => {
  const real = await importOriginal<typeof BotSocketModule>();
  return {
    ...real,
    connectBot: async (o: Parameters<typeof real.connectBot>[0]) => {
      const r = await real.connectBot(o);
      if (r.ok) made.ws.push(r.ws);
      return r;
    },
  };
});

let h: BotHarness;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  made.udp.length = 0;
  made.ws.length = 0;
  h = await startBotHarness(41500, { silenceTimeoutMs: 400, closeTimeoutMs: 200 });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await h.close();
});

/** Every event name with a listener still on it. */
const leftovers = (e: { eventNames(): Array<string | symbol> }) => e.eventNames().map(String);

async function callThrough(script: Parameters<typeof startTestBot>[0], opts: Parameters<typeof startTestBot>[1] = {}, hangupAfterMs?: number) {
  const bot = await startTestBot(script, opts);
  closers.push(() => bot.close());
  await h.routeTo({ url: bot.url });
  const call = h.emu.placeCall({ destination: DIALLED, callerIdNumber: '9800000001' });
  await call.unicastStarted();
  if (hangupAfterMs !== undefined) {
    await sleep(hangupAfterMs);
    call.hangup();
  }
  await call.done;
  await h.settle();
  expect(h.bots.active).toBe(0);
  expect(made.udp).toHaveLength(1);
  expect(made.ws).toHaveLength(1);
  return { udp: made.udp[0]!, ws: made.ws[0]! };
}

describe('bot leg listeners', () => {
  it('caller hangs up (the bot closes the socket): no listener left on the WebSocket or the UDP socket', async () => {
    const { udp, ws } = await callThrough((sock, m) => {
      if (m.type === 'start') sock.send(JSON.stringify({ type: 'mark', name: 'x' }));
    }, {}, 100);
    expect(ws.readyState).toBe(3); // CLOSED
    expect(leftovers(ws)).toEqual([]);
    expect(leftovers(udp)).toEqual([]);
  });

  it('the bot closes mid-call: nothing left behind', async () => {
    const { udp, ws } = await callThrough((sock, m) => {
      if (m.type === 'start') setTimeout(() => sock.close(1011, 'bye'), 50);
    });
    expect(leftovers(ws)).toEqual([]);
    expect(leftovers(udp)).toEqual([]);
  });

  it('the bot never answers the closing handshake (terminated after closeTimeoutMs): nothing left behind', async () => {
    const { udp, ws } = await callThrough(
      (sock, m) => {
        if (m.type === 'start') sock.send(JSON.stringify({ type: 'mark', name: 'x' }));
      },
      // The bot's side never completes the close: its socket is paused, so our close frame is never read.
      { onConnect: (sock) => void sock.once('message', () => (sock as unknown as { _socket: { pause(): void } })._socket.pause()) },
      100,
    );
    expect(ws.readyState).toBe(3);
    expect(leftovers(ws)).toEqual([]);
    expect(leftovers(udp)).toEqual([]);
  });
});
