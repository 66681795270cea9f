/**
 * The AI bench's bot: echoes every audio frame it gets, at once. Twilio dialect (`media` events, base64
 * PCMU) from the product's bridge; raw binary frames from the baseline relay (bench/switch/relay.ts).
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface EchoBot {
  readonly url: string;
  /** sessions opened (Twilio `start` events or relay sockets) */
  sessions(): number;
  close(): Promise<void>;
}

export async function startEchoBot(): Promise<EchoBot> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  let sessions = 0;
  wss.on('connection', (ws: WebSocket) => {
    ws.on('error', () => undefined);
    let counted = false;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        if (!counted) (counted = true), sessions++;
        ws.send(data, { binary: true });
        return;
      }
      const text = data.toString();
      if (text.includes('"event":"media"')) {
        const m = JSON.parse(text) as { streamSid: string; media: { payload: string } };
        ws.send(JSON.stringify({ event: 'media', streamSid: m.streamSid, media: { payload: m.media.payload } }));
      } else if (text.includes('"event":"start"')) sessions++;
    });
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    sessions: () => sessions,
    close: () =>
      new Promise<void>((r) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => r());
      }),
  };
}
