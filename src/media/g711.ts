/**
 * G.711 μ-law (PCMU), as ITU-T G.711 / the classic Sun reference: 14-bit magnitude with a bias
 * of 0x84, 8 segments, bits inverted on the wire. Decoding uses a 256-entry table built once per
 * call of `ulawDecodeTable()`; encoding is branch-light arithmetic (fast enough for 500 streams).
 */
const BIAS = 0x84;
const CLIP = 32635;

/** One linear sample (-32768..32767) → one μ-law byte. */
export function linearToUlaw(sample: number): number {
  let s = sample | 0;
  const sign = s < 0 ? 0x80 : 0;
  if (sign) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  // Segment = position of the highest set bit above bit 7.
  const exponent = 31 - Math.clz32(s) - 7;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** One μ-law byte → one linear sample. */
export function ulawToLinear(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return u & 0x80 ? -magnitude : magnitude;
}

const DECODE = Int16Array.from({ length: 256 }, (_, i) => ulawToLinear(i));

/** μ-law bytes → little-endian L16 bytes (2× the length). */
export function ulawToL16(ulaw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(ulaw.length * 2);
  for (let i = 0; i < ulaw.length; i++) out.writeInt16LE(DECODE[ulaw[i]!]!, i * 2);
  return out;
}

/** Little-endian L16 bytes → μ-law bytes (half the length; a trailing odd byte is ignored). */
export function l16ToUlaw(l16: Uint8Array): Buffer {
  const n = l16.length >> 1;
  const out = Buffer.allocUnsafe(n);
  const view = new DataView(l16.buffer, l16.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = linearToUlaw(view.getInt16(i * 2, true));
  return out;
}

/** The μ-law byte for silence (linear 0). */
export const ULAW_SILENCE = 0xff;
