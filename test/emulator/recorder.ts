/** Every byte both ways, per socket read/write, in the transcripts' direction convention. */
import { EslParser, type EslFrame } from '../../src/esl/parser.ts';

export interface RecordedChunk {
  /** `in` = FreeSWITCH (emulator) → server, `out` = server → FreeSWITCH. */
  readonly dir: 'in' | 'out';
  readonly data: Buffer;
  readonly atMs: number;
}

export class Recorder {
  readonly chunks: RecordedChunk[] = [];
  readonly #t0 = Date.now();

  record(dir: 'in' | 'out', data: Buffer): void {
    this.chunks.push({ dir, data: Buffer.from(data), atMs: Date.now() - this.#t0 });
  }

  bytes(dir: 'in' | 'out'): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === dir).map((c) => c.data));
  }

  /** What the server sent, split into commands (`sendmsg\ncall-command: ...`). */
  commands(): string[] {
    return this.bytes('out')
      .toString('utf8')
      .split('\n\n')
      .filter((c) => c.length > 0);
  }

  /** What the emulator sent, parsed with the production parser. */
  frames(): EslFrame[] {
    return new EslParser().feed(this.bytes('in')).frames;
  }

  /** Same shape as the transcripts' .jsonl lines. */
  toJsonl(): string {
    return this.chunks
      .map((c) => JSON.stringify({ rel: c.atMs / 1000, dir: c.dir, len: c.data.length, data: c.data.toString('utf8') }))
      .join('\n');
  }
}
