/** Test bots and a harness: controller + emulator + AI bridge, one DID routed to an agent. */
import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Db, Tables } from '../../src/db/handle.ts';
import { startController, type ControllerHarness, type ControllerOptions } from '../helpers/controller.ts';
import { createBotBridge, DEFAULT_BOT_SETTINGS, type BotBridge } from '../../src/bot/bridge.ts';
import type { BotBridgeSettings } from '../../src/bot/leg-types.ts';
import { createMediaClock } from '../../src/bot/media-clock.ts';
import { createPortPool } from '../../src/bot/port-pool.ts';
import { testDialect } from '../helpers/test-db.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

export const DID = '+918065978001';
export const DIALLED = '918065978001';

export interface BotHarness extends ControllerHarness {
  bots: BotBridge;
  /** Route the DID to an agent (created from `agent`) or to a bare URL; publishes first. */
  routeTo(dest: { url: string } | { agent: Record<string, unknown> }): Promise<string>;
}

export async function startBotHarness(portBase: number, settings: Partial<BotBridgeSettings> = {}, controller: ControllerOptions = {}): Promise<BotHarness> {
  // Each file has its own 50 ports (41000–41849); the pg project runs the same files at the same time, 1000 above.
  const base = portBase + (testDialect() === 'postgres' ? 1000 : 0);
  const clock = createMediaClock();
  const bots = createBotBridge({
    logger: silentLogger(),
    ports: createPortPool(base, base + 49),
    clock,
    settings: { ...DEFAULT_BOT_SETTINGS, silenceTimeoutMs: 1500, closeTimeoutMs: 300, ...settings },
  });
  // Callers are looked up as contacts, as main.ts wires it.
  const h = await startController({ ...controller, bots, contacts: true, placedCalls: true });
  await h.req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: false });
  const ivr = await h.req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Main', extension: '7001', timeout: 1, max_retries: 1 });
  await h.req('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'extension', action_destination: '1001' }] });
  const did = await h.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  return {
    ...h,
    bots,
    async routeTo(dest) {
      let value: string;
      if ('url' in dest) value = dest.url;
      else value = (await h.req<{ id: string }>('POST', '/api/v1/ai-agents', { name: 'Bot', ...dest.agent })).id;
      await h.req('POST', `/api/v1/ivrs/${ivr.id}/publish`);
      await h.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'ai_agent', routing_destination: value });
      return value;
    },
    async close() {
      clock.stop();
      await h.close();
    },
  };
}

/** A call's log row by its channel uuid, read through the async handle (SQLite or PostgreSQL); fails the test when absent. */
export async function storedCallLog(adb: Db, uuid: string): Promise<Tables['callLogs']['$inferSelect']> {
  const [row] = await adb.select().from(adb.t.callLogs).where(eq(adb.t.callLogs.callUuid, uuid));
  expect(row, `call log for ${uuid}`).toBeDefined();
  return row!;
}

/** A call's bot leg by the call's channel uuid (undefined when it has none). */
export async function storedBotLeg(adb: Db, callUuid: string): Promise<Tables['botLegs']['$inferSelect'] | undefined> {
  const [row] = await adb.select().from(adb.t.botLegs).where(eq(adb.t.botLegs.callUuid, callUuid));
  return row;
}

export { endedCallLog } from '../helpers/placing.ts';

export interface Seen {
  at: number;
  msg: Record<string, any>;
}

export interface TestBot {
  url: string;
  seen: Seen[];
  /** resolves when the bot's socket closed */
  closed: Promise<number>;
  close(): Promise<void>;
  waitFor(pred: (m: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

/** A bot that records what it receives and reacts through `script` (ws = its side of the socket). */
export async function startTestBot(
  script: (ws: WebSocket, msg: Record<string, any>) => void = () => {},
  opts: {
    verify?: (info: { req: { headers: Record<string, unknown> } }, cb: (ok: boolean, code?: number) => void) => void;
    onConnect?: (ws: WebSocket) => void;
    /** false: the bot never answers WebSocket pings (a hung peer whose TCP is still up) */
    autoPong?: boolean;
  } = {},
): Promise<TestBot> {
  const seen: Seen[] = [];
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((r) => (resolveClosed = r));
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: opts.autoPong ?? true, ...(opts.verify ? { verifyClient: opts.verify as never } : {}) });
  wss.on('connection', (ws) => {
    ws.on('error', () => undefined);
    ws.on('close', (code) => resolveClosed(code));
    opts.onConnect?.(ws);
    ws.on('message', (d) => {
      let msg: Record<string, any>;
      try {
        msg = JSON.parse(d.toString());
      } catch {
        return;
      }
      seen.push({ at: performance.now(), msg });
      script(ws, msg);
    });
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const port = (wss.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    seen,
    closed,
    waitFor: (pred, timeoutMs = 3000) =>
      new Promise((resolve, reject) => {
        const t0 = Date.now();
        const poll = (): void => {
          const hit = seen.find((s) => pred(s.msg));
          if (hit) return resolve(hit.msg);
          if (Date.now() - t0 > timeoutMs) return reject(new Error('bot never saw the expected message'));
          setTimeout(poll, 5);
        };
        poll();
      }),
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}

/** A TCP server that accepts and never answers (a hung bot host). */
export async function startBlackHole(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A free TCP port with nothing listening on it. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return `ws://127.0.0.1:${port}`;
}

export function rms(l16: Buffer): number {
  let acc = 0;
  const n = l16.length >> 1;
  for (let i = 0; i < n; i++) acc += l16.readInt16LE(i * 2) ** 2;
  return Math.sqrt(acc / Math.max(1, n));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
