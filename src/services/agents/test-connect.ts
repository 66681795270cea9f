/**
 * "Can we reach this bot?": opens the agent's WebSocket (its URL and stored headers) as a call would, and
 * closes it as soon as the handshake succeeds. Bounded by a timeout: it never waits longer than that.
 */
import WebSocket from 'ws';
import type { Db } from '../../db/handle.ts';
import { getAgent } from './agent-service.ts';

export interface ConnectProbe {
  ok: boolean;
  /** Handshake time when ok; time until the failure otherwise. */
  latency_ms: number;
  /** Why it failed (`Unexpected server response: 404`, `connect ECONNREFUSED …`, `no handshake within 3000 ms`); null when ok. */
  error: string | null;
}

/** Opens `url` with `headers` and reports how it went; resolves within `timeoutMs` (plus a timer's slack). */
export function probeWebSocket(url: string, headers: Record<string, string>, timeoutMs: number): Promise<ConnectProbe> {
  return new Promise((resolve) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let settled = false;
    const settle = (ok: boolean, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ok, latency_ms: elapsed(), error });
    };
    let ws: WebSocket;
    try {
      ws = new WebSocket(url, { headers, handshakeTimeout: timeoutMs, followRedirects: false });
    } catch (err) {
      resolve({ ok: false, latency_ms: 0, error: err instanceof Error ? err.message : String(err) });
      return;
    }
    const timer = setTimeout(() => {
      settle(false, `no handshake within ${timeoutMs} ms`);
      ws.terminate();
    }, timeoutMs);
    // Stays attached after the result: a late error of this socket must not become an unhandled 'error' event.
    ws.on('error', (err) => settle(false, err.message));
    ws.once('open', () => {
      settle(true, null);
      ws.close(1000, 'connection test');
    });
  });
}

/** Probes the org's agent `id` (404 when it is not the org's) with its connect timeout, or `timeoutMs` when given. */
export async function testConnectAgent(db: Db, orgId: string, id: string, timeoutMs?: number): Promise<ConnectProbe> {
  const agent = await getAgent(db, orgId, id);
  return probeWebSocket(agent.wsUrl, agent.headers, timeoutMs ?? agent.connectTimeoutMs);
}
