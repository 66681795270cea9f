/**
 * Audio between the call leg (unicast: L16 at 8 kHz, 20 ms frames) and the bot (its agent's format).
 * One AudioPath per call: it holds the resamplers' state and an odd trailing byte of L16 from the bot,
 * so frame and message edges never click or shift samples.
 */
import type { AudioFormat } from '../domain/agents.ts';
import { l16ToUlaw, ulawToL16 } from '../media/g711.ts';
import { StreamResampler } from './stream-resampler.ts';

export const FRAME_MS = 20;
/**
 * Bytes of one 20 ms L16 frame at 8 kHz: what FreeSWITCH's unicast carries. Never the channel's raw PCMU
 * (`flags: native`): FreeSWITCH 1.10 then writes our frames with the session's read codec, and its unicast
 * thread holds that codec's mutex while the RTP write waits for the next 20 ms tick, so the channel's read
 * loop starves and the caller's audio stops reaching the bot (measured on the real switch: 7 of 10
 * concurrent calls lost it within a second; bench/switch-bot.bench.ts).
 */
export const LEG_FRAME_BYTES = 320;

export interface MediaFormat {
  encoding: 'audio/l16' | 'audio/x-mulaw';
  sample_rate: number;
  channels: 1;
}

export function describeFormat(f: AudioFormat): MediaFormat {
  if (f === 'pcmu_8k') return { encoding: 'audio/x-mulaw', sample_rate: 8000, channels: 1 };
  return { encoding: 'audio/l16', sample_rate: f === 'l16_8k' ? 8000 : f === 'l16_16k' ? 16000 : 24000, channels: 1 };
}

export interface AudioPath {
  /** One leg frame → bytes in the bot's format. */
  toBot(frame: Buffer): Buffer;
  /** Bytes in the bot's format (any length) → bytes in the leg's encoding. */
  fromBot(bytes: Buffer): Buffer;
}

export function createAudioPath(bot: AudioFormat): AudioPath {
  if (bot === 'pcmu_8k') return { toBot: (f) => l16ToUlaw(f), fromBot: (b) => ulawToL16(b) };
  const rate = describeFormat(bot).sample_rate;
  const up = rate === 8000 ? null : new StreamResampler(8000, rate);
  const down = rate === 8000 ? null : new StreamResampler(rate, 8000);
  let carry: number | null = null;
  return {
    toBot(frame) {
      return up ? samplesToBytes(up.process(bytesToSamples(frame))) : frame;
    },
    fromBot(bytes) {
      let b = bytes;
      if (carry !== null) b = Buffer.concat([Buffer.from([carry]), b]);
      carry = b.length % 2 === 1 ? b[b.length - 1]! : null;
      if (carry !== null) b = b.subarray(0, b.length - 1);
      return down ? samplesToBytes(down.process(bytesToSamples(b))) : b;
    },
  };
}

export function bytesToSamples(b: Uint8Array): Int16Array {
  const n = b.length >> 1;
  if (b.byteOffset % 2 === 0) return new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + n * 2));
  const out = new Int16Array(n);
  const view = new DataView(b.buffer, b.byteOffset, n * 2);
  for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

export function samplesToBytes(s: Int16Array): Buffer {
  return Buffer.from(s.buffer, s.byteOffset, s.byteLength);
}
