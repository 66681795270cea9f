/**
 * The baseline: the least an outbound ESL server can do, on plain `net` and our frame parser.
 * - `quick`: `connect`, then `sendmsg` hangup, then `exit` (each after the previous reply).
 * - `menu`: the same wire path as the controller's two-level IVR without its logic: `connect`,
 *   `event plain ...`, play_and_get_digits; on its EXECUTE_COMPLETE a fixed second play_and_get_digits;
 *   on that one's, hangup; on CHANNEL_HANGUP, `exit`.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { EslParser, type EslFrame } from '../src/esl/parser.ts';

export type MinimalMode = 'quick' | 'menu';

const PAGD_ARG = '1 1 1 1000 none tone_stream://%(250,50,523) silence_stream://10 sb_digits [0-9*#]+ 3000';
const pagd = (): string =>
  `sendmsg\ncall-command: execute\nexecute-app-name: play_and_get_digits\nexecute-app-arg: ${PAGD_ARG}\nevent-lock: true\nEvent-UUID: ${randomUUID()}\n\n`;
const HANGUP = 'sendmsg\ncall-command: hangup\nhangup-cause: NORMAL_CLEARING\n\n';

export interface MinimalResponder {
  readonly server: Server;
  mode: MinimalMode;
  readonly open: () => number;
}

export async function startMinimalResponder(mode: MinimalMode): Promise<MinimalResponder> {
  const sockets = new Set<Socket>();
  const r: MinimalResponder = { server: createServer((s) => handle(s, r.mode)), mode, open: () => sockets.size };
  const handle = (socket: Socket, m: MinimalMode): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const parser = new EslParser();
    let replies = 0;
    let completes = 0;
    const send = (s: string): void => {
      if (!socket.destroyed && !socket.writableEnded) socket.write(s);
    };
    const onFrame = (f: EslFrame): void => {
      if (f.kind === 'command-reply') {
        replies++;
        if (m === 'quick') {
          if (replies === 1) send(HANGUP);
          else if (replies === 2) send('exit\n\n');
        } else if (replies === 1) send('event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP DTMF\n\n');
        else if (replies === 2) send(pagd());
      } else if (f.kind === 'event' && m === 'menu') {
        if (f.event.name === 'CHANNEL_EXECUTE_COMPLETE' && f.event.headers.Application === 'play_and_get_digits') {
          completes++;
          send(completes === 1 ? pagd() : HANGUP);
        } else if (f.event.name === 'CHANNEL_HANGUP') send('exit\n\n');
      }
    };
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = parser.feed(chunk);
      for (const f of frames) onFrame(f);
      if (error) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    send('connect\n\n');
  };
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  return r;
}
