import { setTimeout as sleep } from 'node:timers/promises';
import { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { AppEnv } from '../../context.ts';
import { listLiveCalls, toLiveCallDto } from '../../../services/live-calls/live-calls.ts';
import { listLive, streamLive } from './routes.ts';

/** /api/v1/live-calls: calls in progress, as a list and as a server-sent event stream. */
export function liveCallRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listLive, async (c) => {
      const { adb, liveCalls, now } = c.get('deps');
      const at = now();
      return c.json({ calls: await listLiveCalls(adb, liveCalls, c.get('principal').orgId, at), at: at.toISOString() }, 200);
    })
    .openapi(streamLive, (c) => {
      const { adb, liveCalls, now, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      return streamSSE(c, async (stream) => {
        const gone = new AbortController();
        // Writes go out one after another, in the order the events came; a write to a closed stream is dropped.
        let writes = Promise.resolve();
        const send = (event: string, data: unknown) => {
          writes = writes.then(() => stream.writeSSE({ event, data: JSON.stringify(data) })).catch(() => gone.abort());
        };
        // A snapshot takes its turn among the writes: read when the updates queued before it are out, so
        // it already holds what they said, and the updates after it queue behind it.
        const snapshot = () => {
          writes = writes.then(async () => {
            const at = now();
            const calls = await listLiveCalls(adb, liveCalls, orgId, at);
            await stream.writeSSE({ event: 'snapshot', data: JSON.stringify({ calls, at: at.toISOString() }) });
          }).catch(() => gone.abort());
        };
        const off = liveCalls?.subscribe(orgId, (u) => send('update', { call_id: u.callId, event: u.event, call: u.call && toLiveCallDto(u.call) }));
        // The client going away removes the listener at once, not at the next refresh.
        stream.onAbort(() => {
          off?.();
          gone.abort();
        });
        try {
          snapshot();
          while (!gone.signal.aborted) {
            await sleep(config.LIVE_CALLS_REFRESH_MS, undefined, { signal: gone.signal }).catch(() => undefined);
            if (!gone.signal.aborted) snapshot();
          }
        } finally {
          off?.();
          await writes;
        }
      }) as never;
    });
}
