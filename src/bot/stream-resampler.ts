/**
 * Streaming sample-rate conversion for 20 ms frames (8 kHz ↔ 16/24 kHz). Same Hann-windowed
 * sinc as src/audio/resample.ts, but it keeps the tail of the previous frame, so frame edges do
 * not click, and the weights are precomputed per phase (rational ratio L/M), so a frame costs a
 * few multiply-adds per output sample. When downsampling, the cutoff sits just below the output
 * Nyquist frequency (a proper low-pass: no aliasing into the speech band). Delay: `half` input
 * samples (≤ 1.6 ms).
 */
export class StreamResampler {
  readonly #L: number;
  readonly #M: number;
  readonly #half: number;
  readonly #weights: Float64Array[];
  #buf = new Int16Array(0);
  /** global index of #buf[0] */
  #bufStart = 0;
  #produced = 0;

  constructor(
    readonly fromRate: number,
    readonly toRate: number,
    halfTaps = 12,
  ) {
    const g = gcd(fromRate, toRate);
    this.#L = toRate / g;
    this.#M = fromRate / g;
    const cutoff = Math.min(1, toRate / fromRate) * 0.95;
    this.#half = Math.ceil(halfTaps / cutoff);
    this.#weights = [];
    for (let p = 0; p < this.#L; p++) {
      const w = new Float64Array(2 * this.#half);
      let norm = 0;
      for (let k = 0; k < w.length; k++) {
        const x = p / this.#L + this.#half - 1 - k;
        const px = Math.PI * cutoff * x;
        const v = Math.abs(x) >= this.#half ? 0 : (px === 0 ? 1 : Math.sin(px) / px) * (0.5 + 0.5 * Math.cos((Math.PI * x) / this.#half));
        w[k] = v;
        norm += v;
      }
      for (let k = 0; k < w.length; k++) w[k]! /= norm;
      this.#weights.push(w);
    }
  }

  /** Feed samples, get every output sample that can be computed so far. */
  process(input: Int16Array): Int16Array {
    if (this.#L === this.#M) return input;
    const buf = new Int16Array(this.#buf.length + input.length);
    buf.set(this.#buf);
    buf.set(input, this.#buf.length);
    const end = this.#bufStart + buf.length;
    const out: number[] = [];
    for (;;) {
      const num = this.#produced * this.#M;
      const c = Math.floor(num / this.#L);
      if (c + this.#half >= end) break;
      const w = this.#weights[num % this.#L]!;
      let acc = 0;
      const first = c - this.#half + 1;
      for (let k = 0; k < w.length; k++) {
        const j = first + k - this.#bufStart;
        if (j >= 0) acc += buf[j]! * w[k]!;
      }
      out.push(acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc));
      this.#produced++;
    }
    // Keep what the next outputs still need.
    const nextFirst = Math.floor((this.#produced * this.#M) / this.#L) - this.#half + 1;
    const drop = Math.max(0, Math.min(buf.length, nextFirst - this.#bufStart));
    this.#buf = buf.slice(drop);
    this.#bufStart += drop;
    return Int16Array.from(out);
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
