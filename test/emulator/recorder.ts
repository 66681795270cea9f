/** Every byte both ways, per socket read/write, in the transcripts' direction convention. */
import { EslParser, type EslFrame } from '../../src/esl/parser.ts';

export interface RecordedChunk {
  /** `in` = FreeSWITCH (emulator) → server, `out` = server → FreeSWITCH. */
  readonly dir: 'in' | 'out';
  readonly data: Buffer;
  readonly atMs: number;
  /** performance.now() when it was read or written (orders the chunks of a call's sockets). */
  readonly at: number;
  /** Which socket of the call (0: the dialplan's); set in a CallRecorder's view. */
  readonly socket?: number;
}

interface Timed<T> {
  readonly at: number;
  readonly value: T;
}

/** What a recorder offers; a CallRecorder offers the same over all sockets of a call. */
export interface RecorderView {
  readonly chunks: readonly RecordedChunk[];
  bytes(dir: 'in' | 'out'): Buffer;
  commands(): string[];
  frames(): EslFrame[];
  toJsonl(): string;
}

export class Recorder implements RecorderView {
  readonly chunks: RecordedChunk[] = [];
  readonly t0 = performance.now();

  record(dir: 'in' | 'out', data: Buffer): void {
    const at = performance.now();
    this.chunks.push({ dir, data: Buffer.from(data), atMs: at - this.t0, at });
  }

  bytes(dir: 'in' | 'out'): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === dir).map((c) => c.data));
  }

  /**
   * What the server sent, split into commands (`sendmsg\ncall-command: ...`). A command whose app
   * argument went as a text/plain body is shown as FreeSWITCH reads it: its header block plus an
   * `execute-app-arg: <body>` line, so tests match one form whatever the wire used.
   */
  commands(): string[] {
    return this.timedCommands().map((c) => c.value);
  }

  /** The commands, each with the time of the write that completed it. */
  timedCommands(): Array<Timed<string>> {
    const out: Array<Timed<string>> = [];
    let buffer: Buffer = Buffer.alloc(0);
    let at = 0;
    for (const c of this.chunks) {
      if (c.dir !== 'out') continue;
      buffer = Buffer.concat([buffer, c.data]);
      at = c.at;
      for (;;) {
        let start = 0;
        while (start < buffer.length && buffer[start] === 0x0a) start++;
        const end = buffer.indexOf('\n\n', start);
        if (end === -1) break;
        const head = buffer.subarray(start, end).toString('utf8');
        const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 2 + length) break;
        const body = buffer.subarray(end + 2, end + 2 + length).toString('utf8');
        buffer = buffer.subarray(end + 2 + length);
        const asArg = length > 0 && /^content-type: *text\/plain$/im.test(head) && !/^execute-app-arg:/im.test(head);
        out.push({ at, value: asArg ? `${head}\nexecute-app-arg: ${body}` : head });
      }
    }
    if (buffer.length > 0) out.push({ at, value: buffer.toString('utf8') });
    return out;
  }

  /** What the emulator sent, parsed with the production parser. */
  frames(): EslFrame[] {
    return this.timedFrames().map((f) => f.value);
  }

  timedFrames(): Array<Timed<EslFrame>> {
    const parser = new EslParser();
    return this.chunks.flatMap((c) => (c.dir === 'in' ? parser.feed(c.data).frames.map((value) => ({ at: c.at, value })) : []));
  }

  /** Same shape as the transcripts' .jsonl lines. */
  toJsonl(): string {
    return this.chunks
      .map((c) => JSON.stringify({ rel: c.atMs / 1000, dir: c.dir, len: c.data.length, data: c.data.toString('utf8') }))
      .join('\n');
  }
}

const byTime = <T extends { at: number }>(lists: readonly T[][]): T[] =>
  lists
    .flatMap((list, socket) => list.map((item, i) => ({ item, socket, i })))
    .sort((a, b) => a.item.at - b.item.at || a.socket - b.socket || a.i - b.i)
    .map((x) => x.item);

/**
 * A call's bytes over all its sockets, in time order (each socket parsed on its own: frames and commands
 * never mix). `Recorder`s of single sockets are on EmulatedCall.sockets.
 */
export class CallRecorder implements RecorderView {
  constructor(readonly recorders: () => readonly Recorder[]) {}

  /** Records on the first socket's recorder: an EmulatedCall's first socket records through here. */
  record(dir: 'in' | 'out', data: Buffer): void {
    this.recorders()[0]?.record(dir, data);
  }

  get chunks(): RecordedChunk[] {
    const all = this.recorders();
    const t0 = all[0]?.t0 ?? 0;
    return byTime(all.map((r, socket) => r.chunks.map((c) => ({ ...c, socket, atMs: c.at - t0 }))));
  }

  bytes(dir: 'in' | 'out'): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === dir).map((c) => c.data));
  }

  commands(): string[] {
    return byTime(this.recorders().map((r) => r.timedCommands())).map((c) => c.value);
  }

  frames(): EslFrame[] {
    return byTime(this.recorders().map((r) => r.timedFrames())).map((f) => f.value);
  }

  toJsonl(): string {
    return this.chunks
      .map((c) => JSON.stringify({ rel: c.atMs / 1000, socket: c.socket, dir: c.dir, len: c.data.length, data: c.data.toString('utf8') }))
      .join('\n');
  }
}
