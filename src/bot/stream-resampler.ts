/**
 * Streaming sample-rate conversion for 20 ms frames (8 kHz ↔ 16/24 kHz). Same Hann-windowed
 * sinc as src/media/resample.ts, but it keeps the tail of the previous frame, so frame edges do
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
  /** input samples still needed, from global index #bufStart; #len of them are valid */
  #buf: Float64Array;
  #len: number;
  #bufStart: number;
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
    // Samples before the stream are silence: keeping them as zeros spares the tap loop a bounds check.
    this.#buf = new Float64Array(4 * this.#half + 512);
    this.#len = 2 * this.#half;
    this.#bufStart = -2 * this.#half;
  }

  /** Feed samples, get every output sample that can be computed so far (a new array each call). */
  process(input: Int16Array): Int16Array {
    if (this.#L === this.#M) return input;
    const L = this.#L;
    const M = this.#M;
    const half = this.#half;
    if (this.#len + input.length > this.#buf.length) {
      const bigger = new Float64Array(Math.max(2 * this.#buf.length, this.#len + input.length));
      bigger.set(this.#buf.subarray(0, this.#len));
      this.#buf = bigger;
    }
    const buf = this.#buf;
    buf.set(input, this.#len);
    this.#len += input.length;
    const end = this.#bufStart + this.#len;
    // output p needs input up to floor(p·M/L) + half, which must be < end
    const first = this.#produced;
    const stop = Math.max(first, Math.ceil(((end - half) * L) / M));
    const out = new Int16Array(stop - first);
    const taps = 2 * half;
    const weights = this.#weights;
    const offset = 1 - half - this.#bufStart;
    for (let p = first; p < stop; p++) {
      const num = p * M;
      const w = weights[num % L]!;
      const j = Math.floor(num / L) + offset;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += buf[j + k]! * w[k]!;
      out[p - first] = acc > 32767 ? 32767 : acc < -32768 ? -32768 : Math.round(acc);
    }
    this.#produced = stop;
    // Keep what the next outputs still need.
    const nextFirst = Math.floor((stop * M) / L) - half + 1;
    const drop = Math.max(0, Math.min(this.#len, nextFirst - this.#bufStart));
    if (drop > 0) {
      buf.copyWithin(0, drop, this.#len);
      this.#len -= drop;
      this.#bufStart += drop;
    }
    return out;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
