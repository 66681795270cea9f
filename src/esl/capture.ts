/**
 * ESL capture: every byte of one connection, as read and as written, one JSON line per read or
 * write (`{"t","rel","dir":"in"|"out"|"note","len","data"}`, the format of the captured transcripts
 * the emulator is built from). Off unless a capture directory is configured; for building fixtures
 * from the real switch, never for production traffic (it writes every event).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';

export function captureSocket(socket: Socket, dir: string, name: string): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.jsonl`);
  const t0 = performance.now();
  const line = (dir: 'in' | 'out' | 'note', data: string) => {
    const rel = (performance.now() - t0) / 1000;
    const entry = dir === 'note' ? { t: new Date().toISOString(), rel, dir, data } : { t: new Date().toISOString(), rel, dir, len: Buffer.byteLength(data), data };
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
  };
  line('note', `accepted connection from ${socket.remoteAddress}:${socket.remotePort}`);
  socket.on('data', (chunk: Buffer) => line('in', chunk.toString('utf8')));
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  socket.write = ((...args: unknown[]) => {
    const data = args[0];
    line('out', typeof data === 'string' ? data : Buffer.from(data as Uint8Array).toString('utf8'));
    return write(...args);
  }) as typeof socket.write;
  socket.once('close', () => line('note', 'closed'));
}
