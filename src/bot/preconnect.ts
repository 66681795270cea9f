/**
 * Bot connections opened before the call is answered (an outbound bot call with `connect: immediate`):
 * the WebSocket handshake happens while the customer's phone rings, so the bot is ready the moment they
 * answer. Held by the call's id until its bot leg takes it, and closed when the call ends unanswered or
 * after `holdMs` (every wait has a bound).
 */
import WebSocket from 'ws';
import type { BotTarget } from '../domain/agents.ts';
import { connectBot, type ConnectResult } from './bot-socket.ts';

export interface Preconnects {
  /** Starts connecting to `target` for the call `key` (replacing one already held for it). */
  open(key: string, target: BotTarget, holdMs: number, maxPayload: number): void;
  /** The held connection of the call (once: it is the leg's from now on), or undefined. */
  take(key: string): Promise<ConnectResult> | undefined;
  /** Closes the call's held connection, if any (the call ended before a leg took it). */
  release(key: string): void;
  readonly size: number;
}

interface Held {
  result: Promise<ConnectResult>;
  abort: AbortController;
  timer: NodeJS.Timeout;
}

export function createPreconnects(): Preconnects {
  const held = new Map<string, Held>();

  const close = (r: ConnectResult): void => {
    if (!r.ok) return;
    r.ws.on('error', () => undefined);
    r.ws.terminate();
  };

  const release = (key: string): void => {
    const h = held.get(key);
    if (!h) return;
    held.delete(key);
    clearTimeout(h.timer);
    h.abort.abort();
    void h.result.then(close);
  };

  return {
    open(key, target, holdMs, maxPayload) {
      release(key);
      const abort = new AbortController();
      const result = connectBot({ url: target.wsUrl, headers: target.headers, timeoutMs: target.connectTimeoutMs, signal: abort.signal, maxPayload });
      const timer = setTimeout(() => release(key), holdMs);
      timer.unref();
      held.set(key, { result, abort, timer });
    },
    take(key) {
      const h = held.get(key);
      if (!h) return undefined;
      held.delete(key);
      clearTimeout(h.timer);
      // The bot may have closed while the phone rang: then this leg fails like a refused connection would.
      return h.result.then((r): ConnectResult => {
        if (!r.ok || r.ws.readyState === WebSocket.OPEN) return r;
        close(r);
        return { ok: false, reason: 'connect_error', detail: 'the bot closed the connection before the call was answered' };
      });
    },
    release,
    get size() {
      return held.size;
    },
  };
}
