import { open, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** A RIFF/WAVE file as FreeSWITCH left it: how much audio it holds. */
export interface RecordedWav {
  bytes: number;
  /** PCM bytes after the header. */
  dataBytes: number;
  durationMs: number;
}

const HEADER_READ = 4096;

/**
 * Reads a recording's header (the first few KB, never the audio): the audio is what follows the
 * `data` chunk. The chunk's declared size is trusted only when the file is that long (a file closed
 * by a hangup may still carry the size written at open). null: missing, or not a PCM wav.
 */
export async function inspectWav(path: string): Promise<RecordedWav | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await fh.stat();
    const buf = Buffer.alloc(Math.min(HEADER_READ, size));
    await fh.read(buf, 0, buf.length, 0);
    if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return null;
    let off = 12;
    let byteRate = 0;
    while (off + 8 <= buf.length) {
      const id = buf.toString('ascii', off, off + 4);
      const chunk = buf.readUInt32LE(off + 4);
      const body = off + 8;
      if (id === 'fmt ' && body + 16 <= buf.length) {
        const channels = buf.readUInt16LE(body + 2);
        const rate = buf.readUInt32LE(body + 4);
        const bits = buf.readUInt16LE(body + 14);
        byteRate = rate * channels * Math.max(1, bits / 8);
      } else if (id === 'data') {
        if (byteRate === 0) return null;
        const available = size - body;
        const dataBytes = chunk === 0 || chunk === 0xffffffff || chunk > available ? available : chunk;
        return { bytes: size, dataBytes, durationMs: Math.floor((dataBytes * 1000) / byteRate) };
      }
      off = body + chunk + (chunk % 2);
    }
    return null;
  } finally {
    await fh.close();
  }
}

/**
 * Waits (bounded) until the file stops growing: after a hangup FreeSWITCH finishes and closes the
 * recording a moment after the channel is gone. Resolves with the last size seen (-1: no file).
 */
export async function waitForStableSize(path: string, o: { timeoutMs: number; pollMs: number }): Promise<number> {
  const deadline = Date.now() + o.timeoutMs;
  let last = -2;
  for (;;) {
    const size = await stat(path).then((s) => s.size, () => -1);
    if (size === last || Date.now() >= deadline) return size;
    last = size;
    await delay(o.pollMs);
  }
}
