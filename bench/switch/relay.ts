/**
 * The AI bench's baseline (a child process, so its CPU is its own): a bare UDP↔WebSocket relay between
 * FreeSWITCH's `unicast` and the echo bot. `unicast` is an ESL command, not a dialplan application, so
 * the relay also takes the dialplan's `socket` (outbound ESL) with the least a call needs: `connect`, one
 * `sendmsg` starting unicast (L16, as the bridge has it) toward its UDP port from a FreeSWITCH port of its
 * choosing, one running `park`; no events, no replies read. One UDP socket; each FreeSWITCH source port gets its own WebSocket,
 * and the raw 20 ms frames go over it as binary messages, and back, as they come: no JSON, no base64, no
 * resampling, no pacing, no play-out buffer. Argument: the bot's URL. Prints `PORT <udp> <esl>`.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import WebSocket from 'ws';

const botUrl = process.argv[2];
if (!botUrl) throw new Error('usage: relay.js <bot ws url>');
const udp = createSocket('udp4');
const streams = new Map<number, WebSocket>();

udp.on('message', (frame, from) => {
  let ws = streams.get(from.port);
  if (!ws) {
    const socket = new WebSocket(botUrl);
    ws = socket;
    streams.set(from.port, socket);
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => udp.send(data, from.port, from.address));
    socket.on('error', () => undefined);
    socket.on('close', () => streams.delete(from.port));
  }
  if (ws.readyState === WebSocket.OPEN) ws.send(frame);
});
udp.on('error', () => undefined);

let nextPort = 0;
const esl = createServer((conn) => {
  conn.on('error', () => undefined);
  conn.resume();
  const fsPort = 50000 + (nextPort++ % 3000) * 2;
  conn.write('connect\n\n');
  conn.write(
    `sendmsg\ncall-command: unicast\nlocal-ip: 127.0.0.1\nlocal-port: ${fsPort}\nremote-ip: 127.0.0.1\n` +
      `remote-port: ${udp.address().port}\ntransport: udp\n\n`,
  );
  conn.write('sendmsg\ncall-command: execute\nexecute-app-name: park\n\n');
});
udp.bind(0, '127.0.0.1', () => {
  esl.listen(0, '127.0.0.1', () => {
    const a = esl.address();
    process.stdout.write(`PORT ${udp.address().port} ${typeof a === 'object' && a ? a.port : 0}\n`);
  });
});
// A stream whose frames stopped (the call ended) closes its socket.
const lastSeen = new Map<number, number>();
udp.on('message', (_f, from) => lastSeen.set(from.port, Date.now()));
setInterval(() => {
  for (const [port, at] of lastSeen) {
    if (Date.now() - at < 2000) continue;
    lastSeen.delete(port);
    streams.get(port)?.close();
  }
}, 1000).unref();
