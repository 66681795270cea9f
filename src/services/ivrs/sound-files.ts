import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, extname, resolve, sep } from 'node:path';
import { soundsDir, type Config } from '../../runtime/env.ts';
import { toMonoPcm16 } from '../../media/normalize-wav.ts';
import { stageGreeting, type SoundsConfig, type StagedGreeting } from './greeting.ts';

/**
 * Sound files of the sounds folder named by their file name alone ("IVR.wav"), as vendors name their
 * recordings and custom prompts. A name is a bare file name: no folders, nothing hidden.
 */
const SOUND_NAME_RE = /^[\w][\w.-]{0,127}\.wav$/i;

export const isSoundFileName = (name: string): boolean => SOUND_NAME_RE.test(name) && basename(name) === name;

/** The file's absolute path when `name` is a bare .wav name and the file is in the sounds folder, else null. */
export function soundFilePath(config: SoundsConfig, name: string): string | null {
  if (!isSoundFileName(name)) return null;
  const path = resolve(soundsDir(config), name);
  return existsSync(path) ? path : null;
}

/** The bare file name when `path` is a file directly in the sounds folder, else null (what soundFilePath resolved). */
export function soundFileName(config: SoundsConfig, path: string): string | null {
  const dir = resolve(soundsDir(config));
  return path.startsWith(dir + sep) && isSoundFileName(path.slice(dir.length + 1)) ? path.slice(dir.length + 1) : null;
}

/** The prompt name a greeting installed from a sound file records: its file name without ".wav". */
export const promptNameOf = (fileName: string): string => basename(fileName, extname(fileName));

export type GreetingFileResult = { staged: StagedGreeting; prompt: string } | { problem: string };

/**
 * Reads a sound file of the sounds folder and stages it as a greeting (mono 16-bit PCM at TTS_SAMPLE_RATE, as
 * synthesized greetings are); `problem` says why it cannot be used. Install it with `staged.install` and the
 * prompt name, in the transaction that needs it.
 */
export async function stageGreetingFile(config: SoundsConfig & Pick<Config, 'TTS_SAMPLE_RATE'>, name: string): Promise<GreetingFileResult> {
  if (!isSoundFileName(name)) return { problem: `"${name}" is not a sound file name (a .wav file of the sounds folder, e.g. "welcome.wav")` };
  const path = soundFilePath(config, name);
  if (!path) return { problem: `no sound file ${name} in the sounds folder` };
  let wav;
  try {
    wav = toMonoPcm16(await readFile(path), config.TTS_SAMPLE_RATE).wav;
  } catch (err) {
    return { problem: `${name} is not a usable WAV file: ${(err as Error).message}` };
  }
  return { staged: await stageGreeting(config, wav), prompt: promptNameOf(name) };
}
