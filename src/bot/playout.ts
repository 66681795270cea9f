/**
 * The caller-bound audio of one stream: a bounded FIFO of 20 ms frames with the bot's marks
 * interleaved. The media clock takes one frame per tick (silence when empty, so the caller's
 * RTP never stops and a burst never reaches FreeSWITCH). `clear` drops everything at once.
 * After a stall of the clock, `next(missed)` skips the frames that should have played meanwhile
 * (their marks are still reported, in order), so play-out returns to real time. What it could not
 * skip yet is owed for a couple of ticks: a bot pacing in real time sent that audio during the
 * stall, and it is read from the socket only after the clock's first tick.
 */

/** Ticks a skip debt stays owed (the stall's backlog of bot messages is read within one). */
const DEBT_TICKS = 2;

export interface Tick {
  /** Audio frame or silence; always exactly one frame. */
  frame: Buffer;
  /** true when the frame came from the bot (not filler silence). */
  audio: boolean;
  /** Marks whose preceding audio has now all been sent. */
  marks: readonly string[];
}

const NO_MARKS: readonly string[] = Object.freeze([]);

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
  /** frames dropped because the buffer was full */
  dropped = 0;
  /** frames skipped because their time passed while the clock stalled */
  skipped = 0;
  /** frames still to skip after a stall, and ticks since it was incurred */
  #debt = 0;
  #debtAge = 0;

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
      if (this.#debt > 0) {
        this.#debt--;
        this.#played++;
        this.skipped++;
      } else if (this.buffered >= this.#maxFrames) dropped++;
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
    this.#debt = 0;
    const names = this.#marks.map((m) => m.name);
    this.#marks = [];
    return names;
  }

  /** The frame for this tick; `missed` = ticks lost in a stall just before it (their frames are skipped). */
  next(missed = 0): Tick {
    let frame = this.#silence;
    let audio = false;
    if (this.buffered === 0 && this.#partial && ++this.#partialAge >= 2) {
      // Nothing more came for a tick: do not hold the last partial frame back forever.
      this.#flushPartial();
    }
    if (this.#debt > 0 && ++this.#debtAge > DEBT_TICKS) this.#debt = 0;
    if (missed > 0) this.#skip(missed);
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
    let marks = NO_MARKS;
    if (this.#marks.length > 0 && this.#marks[0]!.at <= this.#played) {
      const due = this.#marks.filter((m) => m.at <= this.#played);
      this.#marks = this.#marks.filter((m) => m.at > this.#played);
      marks = due.map((m) => m.name);
    }
    return { frame, audio, marks };
  }

  /** Drop up to `n` frames as if they had played (marks before them come due on this tick). */
  #skip(n: number): void {
    const k = Math.min(n, this.buffered);
    this.#debt = n - k;
    this.#debtAge = 0;
    for (let i = 0; i < k; i++) this.#frames[this.#head + i] = this.#silence;
    this.#head += k;
    this.#played += k;
    this.skipped += k;
    if (this.buffered === 0) {
      this.#frames = [];
      this.#head = 0;
    }
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
