/**
 * A tiny kit for example bots: a WebSocket server that speaks both dialects the bridge offers
 * (native and Twilio Media Streams, detected from the first message) and gives a bot one simple
 * surface: events in (start, audio, dtmf, mark, stop, error) and actions out (audio, mark, clear,
 * transfer, hangup). Real bots would use their framework's serializer instead.
 */
import { WebSocketServer, type WebSocket } from 'ws';

export interface StreamStart {
  dialect: 'native' | 'twilio';
  streamId: string;
  callId: string;
  from: string;
  to: string;
  /** 'audio/l16' | 'audio/x-mulaw' */
  encoding: string;
  sampleRate: number;
  parameters: Record<string, unknown>;
}

export type BotEvent =
  | { kind: 'start'; start: StreamStart }
  | { kind: 'audio'; payload: Buffer }
  | { kind: 'dtmf'; digit: string }
  | { kind: 'mark'; name: string }
  | { kind: 'stop' }
  | { kind: 'error'; message: string };

export interface BotCall {
  readonly start: StreamStart | null;
  audio(payload: Buffer): void;
  mark(name: string): void;
  clear(): void;
  transfer(type: 'extension' | 'queue' | 'external' | 'ivr', value: string): void;
  hangup(reason?: string): void;
}

export interface BotServer {
  readonly port: number;
  close(): Promise<void>;
}

export function startBotServer(o: { port: number; host?: string }, onCall: (call: BotCall, event: BotEvent) => void): Promise<BotServer> {
  const wss = new WebSocketServer({ port: o.port, host: o.host ?? '127.0.0.1' });
  wss.on('connection', (ws: WebSocket) => {
    let start: StreamStart | null = null;
    const send = (m: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const twilio = (): boolean => start?.dialect === 'twilio';
    const call: BotCall = {
      get start() {
        return start;
      },
      audio: (p) => send(twilio() ? { event: 'media', streamSid: start?.streamId, media: { payload: p.toString('base64') } } : { type: 'response.audio.delta', delta: p.toString('base64') }),
      mark: (name) => send(twilio() ? { event: 'mark', streamSid: start?.streamId, mark: { name } } : { type: 'mark', name }),
      clear: () => send(twilio() ? { event: 'clear', streamSid: start?.streamId } : { type: 'clear' }),
      transfer: (type, value) => send({ type: 'session.transfer', target: { type, value } }),
      hangup: (reason) => send({ type: 'session.hangup', ...(reason ? { reason } : {}) }),
    };
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      let m: Record<string, any>;
      try {
        m = JSON.parse(data.toString()) as Record<string, any>;
      } catch {
        return;
      }
      const kind = String(m.type ?? m.event ?? '');
      if (kind === 'start' && m.event === 'start') {
        const s = m.start as Record<string, any>;
        start = { dialect: 'twilio', streamId: String(m.streamSid), callId: String(s.callSid), from: String(s.customParameters?.from ?? ''), to: String(s.customParameters?.to ?? ''), encoding: 'audio/x-mulaw', sampleRate: 8000, parameters: s.customParameters ?? {} };
        return onCall(call, { kind: 'start', start });
      }
      if (kind === 'start') {
        start = { dialect: 'native', streamId: String(m.stream_id), callId: String(m.call_id), from: String(m.from), to: String(m.to), encoding: String(m.media_format?.encoding), sampleRate: Number(m.media_format?.sample_rate), parameters: m.custom_parameters ?? {} };
        return onCall(call, { kind: 'start', start });
      }
      if (kind === 'media') return onCall(call, { kind: 'audio', payload: Buffer.from(String(m.media?.payload ?? m.payload ?? ''), 'base64') });
      if (kind === 'dtmf') return onCall(call, { kind: 'dtmf', digit: String(m.dtmf?.digit ?? m.digit) });
      if (kind === 'mark') return onCall(call, { kind: 'mark', name: String(m.mark?.name ?? m.name) });
      if (kind === 'stop') return onCall(call, { kind: 'stop' });
      if (kind === 'error') return onCall(call, { kind: 'error', message: String(m.message ?? m.error?.message) });
    });
  });
  return new Promise((resolve, reject) => {
    wss.once('error', reject);
    wss.once('listening', () => {
      const addr = wss.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : o.port,
        close: () =>
          new Promise<void>((r) => {
            for (const c of wss.clients) c.terminate();
            wss.close(() => r());
          }),
      });
    });
  });
}

/** `--name value` pairs from argv. */
export function args(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) out[a.slice(2)] = argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true';
  }
  return out;
}

export function isMain(url: string): boolean {
  return process.argv[1] !== undefined && new URL(url).pathname === process.argv[1];
}
