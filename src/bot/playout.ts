/**
 * The caller-bound audio of one stream: a bounded FIFO of 20 ms frames with the bot's marks
 * interleaved. The media clock takes one frame per tick (silence when empty, so the caller's
 * RTP never stops and a burst never reaches FreeSWITCH). `clear` drops everything at once.
 */
export interface Tick {
  /** Audio frame or silence; always exactly one frame. */
  frame: Buffer;
  /** true when the frame came from the bot (not filler silence). */
  audio: boolean;
  /** Marks whose preceding audio has now all been sent. */
  marks: string[];
}

export class Playout {
  readonly #frameBytes: number;
  readonly #maxFrames: number;
  readonly #silence: Buffer;
  #frames: Buffer[] = [];
  #head = 0;
  /** frames played so far (absolute) */
  #played = 0;
  #partial: Buffer | null = null;
  /** ticks the partial frame has waited with nothing else queued */
  #partialAge = 0;
  #marks: Array<{ name: string; at: number }> = [];
  dropped = 0;

  constructor(frameBytes: number, maxFrames: number, silenceByte: number) {
    this.#frameBytes = frameBytes;
    this.#maxFrames = maxFrames;
    this.#silence = Buffer.alloc(frameBytes, silenceByte);
  }

  get buffered(): number {
    return this.#frames.length - this.#head;
  }

  get empty(): boolean {
    return this.buffered === 0 && this.#partial === null && this.#marks.length === 0;
  }

  /** Append audio (any length). Returns how many frames were dropped because the buffer was full. */
  push(bytes: Buffer): number {
    const data = this.#partial ? Buffer.concat([this.#partial, bytes]) : bytes;
    this.#partial = null;
    let dropped = 0;
    let off = 0;
    for (; off + this.#frameBytes <= data.length; off += this.#frameBytes) {
      if (this.buffered >= this.#maxFrames) dropped++;
      else this.#frames.push(data.subarray(off, off + this.#frameBytes));
    }
    if (off < data.length) this.#partial = Buffer.from(data.subarray(off));
    this.#partialAge = 0;
    this.dropped += dropped;
    return dropped;
  }

  /** A mark after everything queued so far (a partial frame is padded with silence). */
  mark(name: string): void {
    this.#flushPartial();
    this.#marks.push({ name, at: this.#played + this.buffered });
  }

  /** Barge-in: drop all queued audio; returns the marks that will now never be reached. */
  clear(): string[] {
    this.#frames = [];
    this.#head = 0;
    this.#partial = null;
    const names = this.#marks.map((m) => m.name);
    this.#marks = [];
    return names;
  }

  /** The frame for this tick. */
  next(): Tick {
    let frame = this.#silence;
    let audio = false;
    if (this.buffered === 0 && this.#partial && ++this.#partialAge >= 2) {
      // Nothing more came for a tick: do not hold the last partial frame back forever.
      this.#flushPartial();
    }
    if (this.buffered > 0) {
      frame = this.#frames[this.#head]!;
      this.#frames[this.#head++] = this.#silence;
      this.#played++;
      audio = true;
      if (this.#head > 512) {
        this.#frames = this.#frames.slice(this.#head);
        this.#head = 0;
      }
    }
    let marks: string[] = [];
    if (this.#marks.length > 0 && this.#marks[0]!.at <= this.#played) {
      const due = this.#marks.filter((m) => m.at <= this.#played);
      this.#marks = this.#marks.filter((m) => m.at > this.#played);
      marks = due.map((m) => m.name);
    }
    return { frame, audio, marks };
  }

  #flushPartial(): void {
    if (!this.#partial) return;
    const padded = Buffer.from(this.#silence);
    this.#partial.copy(padded);
    this.#partial = null;
    if (this.buffered < this.#maxFrames) this.#frames.push(padded);
    else this.dropped++;
  }
}
