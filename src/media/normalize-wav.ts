import { decodeWav, encodeWav } from './wav.ts';
import { resample } from './resample.ts';

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

export interface NormalizedWav {
  wav: Buffer;
  sampleRate: number;
  samples: number;
  durationMs: number;
}

/** Reads one channel-interleaved frame's samples as floats in [-1, 1]. */
function readSample(data: Buffer, offset: number, bits: number, float: boolean): number {
  if (float) return bits === 64 ? data.readDoubleLE(offset) : data.readFloatLE(offset);
  switch (bits) {
    case 8: return (data.readUInt8(offset) - 128) / 128;
    case 16: return data.readInt16LE(offset) / 32768;
    case 24: return data.readIntLE(offset, 3) / 8388608;
    case 32: return data.readInt32LE(offset) / 2147483648;
    default: throw new Error(`unsupported bits per sample: ${bits}`);
  }
}

/**
 * Whatever WAV an engine produced (any rate, mono or stereo, 8/16/24/32-bit PCM or float),
 * returns mono 16-bit PCM at `targetRate`, the format FreeSWITCH plays without transcoding.
 * Throws on input that is not a usable WAV.
 */
export function toMonoPcm16(wav: Buffer, targetRate: number): NormalizedWav {
  const info = decodeWav(wav);
  // WAVE_FORMAT_EXTENSIBLE is read as integer PCM (what every engine we use writes).
  const float = info.format === IEEE_FLOAT;
  if (info.format !== PCM && info.format !== IEEE_FLOAT && info.format !== EXTENSIBLE) {
    throw new Error(`unsupported WAV format ${info.format} (need PCM or float)`);
  }
  if (info.channels < 1 || info.sampleRate <= 0) throw new Error('WAV has no channels or no sample rate');
  const width = info.bitsPerSample / 8;
  const frameBytes = width * info.channels;
  const frames = Math.floor(info.data.length / frameBytes);
  if (frames === 0) throw new Error('WAV contains no audio');

  let pcm: Int16Array = new Int16Array(frames);
  const alreadyPcm16Mono = info.format === PCM && info.bitsPerSample === 16 && info.channels === 1;
  for (let f = 0; f < frames; f++) {
    if (alreadyPcm16Mono) {
      pcm[f] = info.data.readInt16LE(f * 2);
      continue;
    }
    let sum = 0;
    for (let ch = 0; ch < info.channels; ch++) sum += readSample(info.data, f * frameBytes + ch * width, info.bitsPerSample, float);
    const v = Math.round((sum / info.channels) * 32767);
    pcm[f] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  if (info.sampleRate !== targetRate) pcm = resample(pcm, info.sampleRate, targetRate);
  return {
    wav: encodeWav(pcm, targetRate),
    sampleRate: targetRate,
    samples: pcm.length,
    durationMs: Math.round((pcm.length / targetRate) * 1000),
  };
}
