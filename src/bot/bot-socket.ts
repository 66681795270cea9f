/**
 * Opening the bot's WebSocket, with every way it can fail named: refused, timed out (TCP or the
 * HTTP upgrade), handshake rejected (a non-101 answer, e.g. 401), or another error. One overall
 * timer bounds the whole attempt; the caller's signal (the call's, or any AbortSignal) cancels it.
 *
 * Frames we send carry an all-zero masking key, which lets ws skip masking (and the copy it needs)
 * on every message. Masking exists so that script in a browser cannot forge bytes that confuse
 * intermediaries; this client is our own server process sending messages it builds itself, and a
 * zero key is a valid key to every server.
 */
import WebSocket from 'ws';
import type { CancelSignal } from '../esl/call-signal.ts';

export type ConnectFailure = 'connect_refused' | 'connect_timeout' | 'handshake_rejected' | 'connect_error' | 'aborted';

export type ConnectResult = { ok: true; ws: WebSocket } | { ok: false; reason: ConnectFailure; detail: string };

export interface ConnectOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal: CancelSignal;
  /** Largest message accepted from the bot (bytes). */
  maxPayload: number;
}

/** Leaves ws's per-connection mask buffer as allocated: zeros. */
export const zeroMask = (): void => undefined;

export function connectBot(o: ConnectOptions): Promise<ConnectResult> {
  return new Promise((resolve) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(o.url, { headers: o.headers, handshakeTimeout: o.timeoutMs, maxPayload: o.maxPayload, perMessageDeflate: false, generateMask: zeroMask });
    } catch (err) {
      resolve({ ok: false, reason: 'connect_error', detail: err instanceof Error ? err.message : String(err) });
      return;
    }
    let settled = false;
    const settle = (r: ConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      ws.off('open', onOpen);
      ws.off('error', onError);
      ws.off('unexpected-response', onUnexpected);
      if (!r.ok && ws.readyState !== WebSocket.CLOSED) {
        // Terminating a socket still connecting emits `error` (then `close`): sink it, and remove the
        // sink by reference once closed, when the socket emits nothing more.
        const ignore = (): void => undefined;
        ws.on('error', ignore);
        ws.once('close', () => ws.off('error', ignore));
        ws.terminate();
      }
      resolve(r);
    };
    const onOpen = (): void => settle({ ok: true, ws });
    const onError = (err: Error & { code?: string }): void => {
      if (err.code === 'ECONNREFUSED') return settle({ ok: false, reason: 'connect_refused', detail: err.message });
      if (err.code === 'ETIMEDOUT' || /timed out/i.test(err.message)) return settle({ ok: false, reason: 'connect_timeout', detail: err.message });
      settle({ ok: false, reason: 'connect_error', detail: err.message });
    };
    const onUnexpected = (_req: unknown, res: { statusCode?: number }): void =>
      settle({ ok: false, reason: 'handshake_rejected', detail: `HTTP ${res.statusCode ?? '?'}` });
    const onAbort = (): void => settle({ ok: false, reason: 'aborted', detail: 'call ended while connecting' });
    const timer = setTimeout(() => settle({ ok: false, reason: 'connect_timeout', detail: `no connection within ${o.timeoutMs} ms` }), o.timeoutMs);
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onUnexpected);
    if (o.signal.aborted) onAbort();
    else o.signal.addEventListener('abort', onAbort, { once: true });
  });
}
