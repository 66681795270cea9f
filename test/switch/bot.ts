/**
 * A bot for the switch-backed suite, speaking either dialect: it echoes the caller's audio (so the
 * caller hears the bot: its RTP carries the caller's own tone back), records the keys it gets, and on
 * a key transfers (`0` → extension 1001, `4` → queue 5001) or hangs up (`#`).
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface SwitchBot {
  url: string;
  digits: string[];
  mediaIn: () => number;
  starts: () => number;
  close(): Promise<void>;
}

export async function startSwitchBot(): Promise<SwitchBot> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const digits: string[] = [];
  let mediaIn = 0;
  let starts = 0;
  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => undefined);
    let streamSid = '';
    const send = (m: unknown) => ws.send(JSON.stringify(m));
    const onKey = (digit: string) => {
      digits.push(digit);
      if (digit === '0') send({ type: 'session.transfer', target: { type: 'extension', value: '1001' } });
      if (digit === '4') send({ type: 'session.transfer', target: { type: 'queue', value: '5001' } });
      if (digit === '#') send({ type: 'session.hangup', reason: 'caller pressed #' });
    };
    ws.on('message', (data) => {
      let m: Record<string, any>;
      try {
        m = JSON.parse(data.toString());
      } catch {
        return;
      }
      // Twilio dialect
      if (m.event === 'start') {
        starts++;
        streamSid = m.streamSid;
      } else if (m.event === 'media') {
        mediaIn++;
        send({ event: 'media', streamSid, media: { payload: m.media.payload } });
      } else if (m.event === 'dtmf') onKey(m.dtmf.digit);
      // Native dialect
      else if (m.type === 'start') starts++;
      else if (m.type === 'media') {
        mediaIn++;
        send({ type: 'response.audio.delta', delta: m.payload });
      } else if (m.type === 'dtmf') onKey(m.digit);
    });
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    digits,
    mediaIn: () => mediaIn,
    starts: () => starts,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
