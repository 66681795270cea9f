/**
 * A bot that speaks a generated prompt (espeak-ng when installed, else a chime), transfers the
 * caller to an extension on 0, hangs up on #, and stops talking (barge-in `clear`) on any other key.
 *   npx tsx examples/menu-bot.ts --port 9002 --extension 1001 [--text "..."] [--tone]
 */
import { l16ToUlaw } from '../src/media/g711.ts';
import { createEspeakEngine } from '../src/media/espeak-engine.ts';
import { createToneEngine } from '../src/media/tone-engine.ts';
import { toMonoPcm16 } from '../src/media/normalize-wav.ts';
import { decodeWav } from '../src/media/wav.ts';
import { args, isMain, startBotServer, type BotServer, type StreamStart } from './bot-kit.ts';

export interface MenuBotOptions {
  port: number;
  host?: string;
  extension: string;
  text?: string;
  /** skip espeak-ng (tests): a chime stands in for speech */
  tone?: boolean;
}

const DEFAULT_TEXT = 'Hello. Press zero to speak to a person, or hash to hang up.';

/** The prompt in the stream's format, in 100 ms chunks (sent at once: faster than real time, as bots do). */
async function speak(text: string, start: StreamStart, tone: boolean): Promise<Buffer[]> {
  const rate = start.sampleRate === 24000 ? 16000 : start.sampleRate;
  const req = { text, language: 'en-IN', voice: '', sampleRate: rate };
  let wav: Buffer;
  try {
    ({ wav } = await (tone ? createToneEngine() : createEspeakEngine()).synthesize(req));
  } catch {
    ({ wav } = await createToneEngine().synthesize(req));
  }
  const pcm = decodeWav(toMonoPcm16(wav, start.sampleRate).wav).data;
  const audio = start.encoding === 'audio/x-mulaw' ? l16ToUlaw(pcm) : Buffer.from(pcm);
  const chunk = start.encoding === 'audio/x-mulaw' ? 800 : (start.sampleRate / 10) * 2;
  const out: Buffer[] = [];
  for (let i = 0; i < audio.length; i += chunk) out.push(audio.subarray(i, i + chunk));
  return out;
}

export function startMenuBot(o: MenuBotOptions): Promise<BotServer> {
  return startBotServer(o, (call, e) => {
    if (e.kind === 'start') {
      void speak(o.text ?? DEFAULT_TEXT, e.start, o.tone ?? false).then((chunks) => {
        for (const c of chunks) call.audio(c);
        call.mark('prompt-end');
      });
    } else if (e.kind === 'dtmf') {
      if (e.digit === '0') {
        call.clear();
        call.transfer('extension', o.extension);
      } else if (e.digit === '#') {
        call.clear();
        call.hangup('caller pressed #');
      } else {
        call.clear();
      }
    }
  });
}

if (isMain(import.meta.url)) {
  const a = args();
  const bot = await startMenuBot({ port: Number(a.port ?? 9002), host: a.host, extension: a.extension ?? '1001', text: a.text, tone: a.tone === 'true' });
  process.stdout.write(`menu bot listening on ws://${a.host ?? '127.0.0.1'}:${bot.port} (0 → extension ${a.extension ?? '1001'}, # → hang up)\n`);
}
