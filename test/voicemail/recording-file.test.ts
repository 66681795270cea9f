import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src/media/wav.ts';
import { inspectWav, waitForStableSize } from '../../src/call/recording-file.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-vm-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectWav', () => {
  it('reads the duration from the header of a finished recording', async () => {
    const path = join(dir, 'a.wav');
    writeFileSync(path, encodeWav(new Int16Array(12_000), 8000));
    expect(await inspectWav(path)).toEqual({ bytes: 44 + 24_000, dataBytes: 24_000, durationMs: 1500 });
  });

  it('a header-only file (hangup at once) has no audio; a missing or foreign file is null', async () => {
    const empty = join(dir, 'empty.wav');
    writeFileSync(empty, encodeWav(new Int16Array(0), 8000));
    expect(await inspectWav(empty)).toMatchObject({ bytes: 44, dataBytes: 0, durationMs: 0 });
    expect(await inspectWav(join(dir, 'none.wav'))).toBeNull();
    const text = join(dir, 'text.wav');
    writeFileSync(text, 'not audio at all, just text');
    expect(await inspectWav(text)).toBeNull();
  });

  it('trusts the file length when the header still says 0 (a file cut short) or more than there is', async () => {
    const path = join(dir, 'open.wav');
    const wav = encodeWav(new Int16Array(16_000), 16_000);
    wav.writeUInt32LE(0, 40);
    writeFileSync(path, wav);
    expect(await inspectWav(path)).toMatchObject({ dataBytes: 32_000, durationMs: 1000 });
    wav.writeUInt32LE(10_000_000, 40);
    writeFileSync(path, wav);
    expect(await inspectWav(path)).toMatchObject({ dataBytes: 32_000, durationMs: 1000 });
  });
});

describe('waitForStableSize', () => {
  it('returns once the file stops growing, and -1 for no file', async () => {
    const path = join(dir, 'growing.wav');
    writeFileSync(path, Buffer.alloc(44));
    const grow = setInterval(() => appendFileSync(path, Buffer.alloc(320)), 20);
    setTimeout(() => clearInterval(grow), 150);
    const size = await waitForStableSize(path, { timeoutMs: 3000, pollMs: 60 });
    clearInterval(grow);
    expect(size).toBeGreaterThan(44);
    expect(size % 320).toBe(44 % 320);
    expect(await waitForStableSize(join(dir, 'none.wav'), { timeoutMs: 500, pollMs: 20 })).toBe(-1);
  });
});
