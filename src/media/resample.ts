/**
 * Sample-rate conversion of mono 16-bit PCM with a Hann-windowed sinc kernel. When
 * downsampling, the kernel's cutoff sits just below the *output* Nyquist frequency, so
 * energy above it is filtered out instead of aliasing into the speech band.
 */
export function resample(input: Int16Array, fromRate: number, toRate: number, halfTaps = 16): Int16Array {
  if (!(fromRate > 0 && toRate > 0)) throw new RangeError('sample rates must be positive');
  if (fromRate === toRate) return input.slice();
  const ratio = toRate / fromRate;
  // Cutoff as a fraction of the input Nyquist frequency (5% guard band).
  const cutoff = Math.min(1, ratio) * 0.95;
  // Kernel half-width in input samples: wider when the cutoff is lower.
  const half = Math.ceil(halfTaps / cutoff);
  const out = new Int16Array(Math.floor(input.length * ratio));
  for (let i = 0; i < out.length; i++) {
    const t = i / ratio;
    const centre = Math.floor(t);
    let acc = 0;
    let norm = 0;
    for (let j = centre - half + 1; j <= centre + half; j++) {
      const x = t - j;
      if (Math.abs(x) >= half) continue;
      const px = Math.PI * cutoff * x;
      const k = (px === 0 ? 1 : Math.sin(px) / px) * (0.5 + 0.5 * Math.cos((Math.PI * x) / half));
      norm += k;
      if (j >= 0 && j < input.length) acc += (input[j] as number) * k;
    }
    const v = Math.round(acc / norm);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
