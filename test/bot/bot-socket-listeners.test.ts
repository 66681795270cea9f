/**
 * A failed connection attempt leaves no listener on the WebSocket it gave up on: the error sink added
 * while terminating it is removed by reference once the socket has closed.
 */
import { createServer } from 'node:http';
import type * as WsModule from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectBot } from '../../src/bot/bot-socket.ts';
import { closedPortUrl, startBlackHole } from './helpers.ts';

const made = vi.hoisted(() => ({ ws: [] as WsModule.WebSocket[] }));

vi.mock('ws', async (importOriginal) => {
  const real = await importOriginal<typeof WsModule>();
  class Recorded extends real.WebSocket {
    constructor(...args: ConstructorParameters<typeof real.WebSocket>) {
      super(...args);
      made.ws.push(this);
    }
  }
  return { ...real, default: Recorded, WebSocket: Recorded };
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  made.ws.length = 0;
  for (const c of closers.splice(0)) await c();
});

/** Waits for the socket's `close`, then returns every event name that still has a listener. */
async function leftoversAfterClose(): Promise<string[]> {
  expect(made.ws).toHaveLength(1);
  const ws = made.ws[0]!;
  if (ws.readyState !== ws.CLOSED) await new Promise((r) => ws.once('close', r));
  await new Promise((r) => setImmediate(r));
  return ws.eventNames().map(String);
}

const base = { headers: {}, timeoutMs: 300, maxPayload: 1 << 20 };

describe('connectBot failure listeners', () => {
  it('refused: nothing left on the socket', async () => {
    const r = await connectBot({ ...base, url: await closedPortUrl(), signal: new AbortController().signal });
    expect(r).toMatchObject({ ok: false, reason: 'connect_refused' });
    expect(await leftoversAfterClose()).toEqual([]);
  });

  it('handshake rejected (401): nothing left on the socket', async () => {
    const server = createServer((_req, res) => res.writeHead(401).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    const r = await connectBot({ ...base, url: `ws://127.0.0.1:${port}`, signal: new AbortController().signal });
    expect(r).toMatchObject({ ok: false, reason: 'handshake_rejected' });
    expect(await leftoversAfterClose()).toEqual([]);
  });

  it('timed out and aborted: nothing left on the socket', async () => {
    const hole = await startBlackHole();
    closers.push(() => hole.close());
    const timedOut = await connectBot({ ...base, url: hole.url, signal: new AbortController().signal });
    expect(timedOut).toMatchObject({ ok: false, reason: 'connect_timeout' });
    expect(await leftoversAfterClose()).toEqual([]);

    made.ws.length = 0;
    const ac = new AbortController();
    const pending = connectBot({ ...base, timeoutMs: 5_000, url: hole.url, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, reason: 'aborted' });
    expect(await leftoversAfterClose()).toEqual([]);
  });
});
