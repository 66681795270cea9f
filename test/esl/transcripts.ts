/** Loading the captured FreeSWITCH sessions (../shared/esl-transcripts relative to the repo). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EslFrame } from '../../src/esl/parser.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TRANSCRIPT_DIR = path.resolve(repoRoot, '../shared/esl-transcripts');
export const haveTranscripts = existsSync(TRANSCRIPT_DIR);
/** Off CI (a laptop without the captures) the transcript tests skip; with CI=true they run and fail. */
export const skipWithoutTranscripts = !haveTranscripts && process.env.CI !== 'true';

/**
 * With CI=true a missing transcripts folder fails the suite (or test) that needs it, with this message,
 * instead of skipping it: as the real-switch suite does for a missing FreeSWITCH.
 */
export function requireTranscriptsInCi(what: string): void {
  if (!haveTranscripts && process.env.CI === 'true') {
    throw new Error(`${what}: ESL transcripts folder missing: ${TRANSCRIPT_DIR} (CI needs ../shared/esl-transcripts next to the repo)`);
  }
}

export interface Chunk {
  readonly dir: 'in' | 'out' | 'note';
  readonly data: string;
}

export function transcriptFiles(): string[] {
  if (!haveTranscripts) return [];
  return readdirSync(TRANSCRIPT_DIR).filter((f) => f.endsWith('.jsonl')).sort();
}

export function loadChunks(file: string): Chunk[] {
  return readFileSync(path.join(TRANSCRIPT_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Chunk);
}

export function findTranscript(prefix: string): string {
  const f = transcriptFiles().find((x) => x.startsWith(prefix));
  if (!f) throw new Error(`no transcript ${prefix}`);
  return f;
}

/** (kind, what) per frame: Event-Name (+Application) for events, reply text, disposition. */
export function frameSignature(frame: EslFrame): string {
  switch (frame.kind) {
    case 'event': {
      const app = frame.event.headers['Application'];
      const sub = frame.event.subclass;
      return `event ${frame.event.name}${app ? ` ${app}` : ''}${sub ? ` ${sub}` : ''}`;
    }
    case 'command-reply':
      return `reply ${frame.replyText.trim()}`;
    case 'api-response':
      return `api ${frame.body.trim()}`;
    case 'disconnect-notice':
      return `notice ${frame.disposition ?? '-'}`;
    case 'auth-request':
      return 'auth-request';
    case 'unknown':
      return `unknown ${frame.contentType ?? '-'}`;
  }
}
