/**
 * Server-sent events over fetch, so the request carries the session's header (EventSource cannot send one,
 * and an API key never goes into a URL). Reconnects with a growing pause until stopped.
 */
import type { Api } from './api.ts';

export interface SseEvent {
  event: string;
  data: string;
}

export interface SseHandlers {
  onEvent(e: SseEvent): void;
  /** `denied`: the credential was refused (401/403); it does not try again. */
  onState(state: 'connecting' | 'open' | 'closed' | 'denied'): void;
}

/** Splits a text stream into events (blank-line separated; `event:` and `data:` lines). */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'event') event = value;
      else if (name === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return { events, rest };
}

/** Follows `path` until the returned stop() is called. */
export function followEvents(api: Api, path: string, handlers: SseHandlers): () => void {
  const abort = new AbortController();
  let pauseMs = 500;

  const once = async () => {
    handlers.onState('connecting');
    const res = await api.raw(path, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
    if (res.status === 401 || res.status === 403) {
      abort.abort();
      handlers.onState('denied');
      return;
    }
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    handlers.onState('open');
    pauseMs = 500;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const parsed = parseSse(buffer + decoder.decode(value, { stream: true }));
      buffer = parsed.rest;
      for (const e of parsed.events) handlers.onEvent(e);
    }
  };

  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        await once();
      } catch {
        // dropped or refused: try again after a pause
      }
      if (abort.signal.aborted) break;
      handlers.onState('closed');
      await new Promise((r) => setTimeout(r, pauseMs));
      pauseMs = Math.min(pauseMs * 2, 15_000);
    }
  };
  void loop();
  return () => abort.abort();
}
