import { describe, expect, it } from 'vitest';
import { resample } from '../../src/media/resample.ts';

const tone = (freq: number, rate: number, seconds: number, amp = 10_000) =>
  Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate)));

/** RMS of the middle half, away from the edges where the kernel runs off the signal. */
function rms(x: Int16Array): number {
  const a = Math.floor(x.length / 4);
  const b = Math.floor((3 * x.length) / 4);
  let s = 0;
  for (let i = a; i < b; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / (b - a));
}

describe('resample', () => {
  it('returns a copy when the rates match', () => {
    const x = tone(440, 8000, 0.1);
    const y = resample(x, 8000, 8000);
    expect(y).toEqual(x);
    expect(y).not.toBe(x);
  });

  it('scales the length by the rate ratio', () => {
    expect(resample(new Int16Array(22050), 22050, 8000)).toHaveLength(8000);
    expect(resample(new Int16Array(8000), 8000, 16000)).toHaveLength(16000);
    expect(resample(new Int16Array(24000), 24000, 16000)).toHaveLength(16000);
  });

  it('keeps a 1 kHz tone through 22050 → 8000 and 8000 → 16000', () => {
    const x = tone(1000, 22050, 0.5);
    const down = resample(x, 22050, 8000);
    expect(rms(down) / rms(x)).toBeGreaterThan(0.97);
    expect(rms(down) / rms(x)).toBeLessThan(1.03);
    // and it is still 1 kHz: compare with an ideal 8 kHz tone, allowing a small phase delay
    const ideal = tone(1000, 8000, 0.5);
    let err = 0;
    for (let i = 1000; i < 3000; i++) err += ((down[i] as number) - (ideal[i] as number)) ** 2;
    expect(Math.sqrt(err / 2000)).toBeLessThan(300);
    const up = resample(tone(1000, 8000, 0.5), 8000, 16000);
    expect(rms(up) / rms(tone(1000, 8000, 0.5))).toBeGreaterThan(0.97);
  });

  it('low-passes before downsampling: a 6 kHz tone does not alias into 2 kHz at 8 kHz', () => {
    const x = tone(6000, 22050, 0.5);
    expect(rms(resample(x, 22050, 8000)) / rms(x)).toBeLessThan(0.02);
    // Just above the new Nyquist is removed too, just below passes.
    expect(rms(resample(tone(4300, 22050, 0.5), 22050, 8000)) / rms(x)).toBeLessThan(0.05);
    expect(rms(resample(tone(3000, 22050, 0.5), 22050, 8000)) / rms(x)).toBeGreaterThan(0.95);
  });

  it('clamps instead of wrapping around at full scale', () => {
    const square = Int16Array.from({ length: 4000 }, (_, i) => (Math.floor(i / 40) % 2 ? 32767 : -32768));
    const y = resample(square, 22050, 8000);
    expect(Math.max(...y)).toBeLessThanOrEqual(32767);
    expect(Math.min(...y)).toBeGreaterThanOrEqual(-32768);
    // Gibbs overshoot would wrap to the opposite sign without clamping: no sign flips inside a plateau.
    expect(y[Math.round((60 * 8000) / 22050)]).toBeGreaterThan(20_000);
  });

  it('rejects non-positive rates', () => {
    expect(() => resample(new Int16Array(10), 0, 8000)).toThrow(RangeError);
  });
});
