/**
 * A bot for the switch-backed suite, speaking either dialect: it echoes the caller's audio (so the
 * caller hears the bot: its RTP carries the caller's own tone back), records the keys it gets, and on
 * a key transfers (`0` → extension 1001, `4` → queue 5001, `9` → the IVR 7003) or hangs up (`#`).
 * `mediaBySession()` counts the audio frames each session (in start order) received.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface SwitchBot {
  url: string;
  digits: string[];
  mediaIn: () => number;
  starts: () => number;
  mediaBySession: () => number[];
  close(): Promise<void>;
}

export async function startSwitchBot(): Promise<SwitchBot> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const digits: string[] = [];
  let mediaIn = 0;
  let starts = 0;
  const perSession: number[] = [];
  wss.on('connection', (ws: WebSocket) => {
    let session = -1;
    ws.on('error', () => undefined);
    let streamSid = '';
    const send = (m: unknown) => ws.send(JSON.stringify(m));
    const onKey = (digit: string) => {
      digits.push(digit);
      if (digit === '0') send({ type: 'session.transfer', target: { type: 'extension', value: '1001' } });
      if (digit === '4') send({ type: 'session.transfer', target: { type: 'queue', value: '5001' } });
      if (digit === '9') send({ type: 'session.transfer', target: { type: 'ivr', value: '7003' } });
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
        session = starts++;
        perSession[session] = 0;
        streamSid = m.streamSid;
      } else if (m.event === 'media') {
        mediaIn++;
        if (session >= 0) perSession[session]!++;
        send({ event: 'media', streamSid, media: { payload: m.media.payload } });
      } else if (m.event === 'dtmf') onKey(m.dtmf.digit);
      // Native dialect
      else if (m.type === 'start') {
        session = starts++;
        perSession[session] = 0;
      } else if (m.type === 'media') {
        mediaIn++;
        if (session >= 0) perSession[session]!++;
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
    mediaBySession: () => [...perSession],
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
