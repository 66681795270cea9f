/**
 * Is this wav speech or a tone? A spectral look at the telephone band (300–3400 Hz): speech spreads
 * its energy over many bands (formants, fricatives) and its strongest frequency moves from frame to
 * frame; a tone or a chime keeps its energy in one band and has one or two peaks.
 */
import { decodeWav } from '../../src/media/wav.ts';

/** Telephone-band edges in Hz: eight bands between 300 and 3400. */
export const BAND_EDGES = [300, 500, 750, 1000, 1400, 1800, 2300, 2800, 3400] as const;

export interface SpeechStats {
  sampleRate: number;
  durationMs: number;
  /** Frames louder than a tenth of the loudest (silence is left out). */
  activeFrames: number;
  /** Each band's share of the band-limited energy over the active frames (sums to 1). */
  bandShares: number[];
  /** Bands holding at least 2 % of the energy. */
  bandsWithEnergy: number;
  /** Distinct strongest frequencies over the active frames, rounded to 50 Hz. */
  distinctPeaks: number;
  /** Standard deviation of the strongest frequency over the active frames, in Hz. */
  peakSpreadHz: number;
}

function samplesOf(wav: Buffer): { pcm: Float64Array; rate: number } {
  const info = decodeWav(wav);
  if (info.format !== 1 || info.bitsPerSample !== 16 || info.channels !== 1) throw new Error('expected mono 16-bit PCM');
  const n = Math.floor(info.data.length / 2);
  const pcm = new Float64Array(n);
  for (let i = 0; i < n; i++) pcm[i] = info.data.readInt16LE(i * 2) / 32768;
  return { pcm, rate: info.sampleRate };
}

/** Spectral statistics of a mono 16-bit wav over 32 ms Hann-windowed frames (16 ms hop). */
export function analyzeSpeech(wav: Buffer): SpeechStats {
  const { pcm, rate } = samplesOf(wav);
  const size = Math.round(rate * 0.032);
  const hop = size >> 1;
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
  const binHz = rate / size;
  const firstBin = Math.ceil(BAND_EDGES[0] / binHz);
  const lastBin = Math.min(Math.floor(BAND_EDGES[8] / binHz), (size >> 1) - 1);
  const cos = Float64Array.from({ length: size }, (_, m) => Math.cos((2 * Math.PI * m) / size));
  const sin = Float64Array.from({ length: size }, (_, m) => Math.sin((2 * Math.PI * m) / size));

  const frames: { rms: number; spectrum: Float64Array }[] = [];
  for (let start = 0; start + size <= pcm.length; start += hop) {
    let energy = 0;
    const x = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      const v = pcm[start + i] as number;
      energy += v * v;
      x[i] = v * (window[i] as number);
    }
    const spectrum = new Float64Array(lastBin - firstBin + 1);
    for (let k = firstBin; k <= lastBin; k++) {
      let re = 0;
      let im = 0;
      for (let i = 0; i < size; i++) {
        const m = (k * i) % size;
        re += (x[i] as number) * (cos[m] as number);
        im -= (x[i] as number) * (sin[m] as number);
      }
      spectrum[k - firstBin] = re * re + im * im;
    }
    frames.push({ rms: Math.sqrt(energy / size), spectrum });
  }

  const loudest = Math.max(0, ...frames.map((f) => f.rms));
  const active = frames.filter((f) => loudest > 0 && f.rms >= loudest * 0.1);
  const bandEnergy = new Array<number>(BAND_EDGES.length - 1).fill(0);
  const peaks: number[] = [];
  for (const f of active) {
    let best = 0;
    for (let j = 0; j < f.spectrum.length; j++) {
      const hz = (firstBin + j) * binHz;
      const band = BAND_EDGES.findIndex((edge, b) => b < BAND_EDGES.length - 1 && hz >= edge && hz < (BAND_EDGES[b + 1] as number));
      if (band >= 0) bandEnergy[band] = (bandEnergy[band] as number) + (f.spectrum[j] as number);
      if ((f.spectrum[j] as number) > (f.spectrum[best] as number)) best = j;
    }
    peaks.push((firstBin + best) * binHz);
  }
  const total = bandEnergy.reduce((a, b) => a + b, 0) || 1;
  const bandShares = bandEnergy.map((e) => e / total);
  const mean = peaks.reduce((a, b) => a + b, 0) / (peaks.length || 1);
  const spread = Math.sqrt(peaks.reduce((a, p) => a + (p - mean) ** 2, 0) / (peaks.length || 1));
  return {
    sampleRate: rate,
    durationMs: Math.round((pcm.length / rate) * 1000),
    activeFrames: active.length,
    bandShares,
    bandsWithEnergy: bandShares.filter((s) => s >= 0.02).length,
    distinctPeaks: new Set(peaks.map((p) => Math.round(p / 50))).size,
    peakSpreadHz: spread,
  };
}

/** The assertions the tests share: true when the stats look like speech, with the reason when not. */
export function speechVerdict(s: SpeechStats): { speech: boolean; why: string } {
  const checks: Array<[boolean, string]> = [
    [s.activeFrames >= 10, `only ${s.activeFrames} active frames`],
    [s.bandsWithEnergy >= 5, `energy in ${s.bandsWithEnergy} of 8 bands`],
    [s.distinctPeaks >= 8, `${s.distinctPeaks} distinct peak frequencies`],
    [s.peakSpreadHz >= 100, `peak frequency spread ${Math.round(s.peakSpreadHz)} Hz`],
  ];
  const failed = checks.filter(([ok]) => !ok).map(([, why]) => why);
  return { speech: failed.length === 0, why: failed.join('; ') || 'speech' };
}
