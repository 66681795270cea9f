/**
 * What two ESL conversations must share to count as the same call: the frames FreeSWITCH sent (events with
 * their application, replies, notices, in order) and the commands the controller sent (the verb; for a
 * sendmsg its call-command and app). Channel uuids differ between runs and are masked.
 */
import { readFileSync } from 'node:fs';
import { EslParser } from '../../src/esl/parser.ts';
import { frameSignature } from '../esl/transcripts.ts';

export interface CapturedChunk {
  dir: 'in' | 'out' | 'note';
  data: string;
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** A capture (ESL_CAPTURE_DIR's JSON lines). */
export function loadCapture(file: string): CapturedChunk[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CapturedChunk);
}

export function framesOf(chunks: ReadonlyArray<{ dir: string; data: string }>): string[] {
  const parser = new EslParser();
  return chunks.flatMap((c) => (c.dir === 'in' ? parser.feed(Buffer.from(c.data)).frames.map((f) => frameSignature(f).replace(UUID_RE, '<uuid>')) : []));
}

export function commandsOf(chunks: ReadonlyArray<{ dir: string; data: string }>): string[] {
  return chunks
    .filter((c) => c.dir === 'out')
    .flatMap((c) => c.data.split('\n\n').filter((x) => x.trim() !== ''))
    .map((cmd) => {
      const lines = cmd.split('\n');
      const first = lines[0]!;
      if (first.startsWith('sendmsg')) {
        const h = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        return ['sendmsg', h('call-command'), h('execute-app-name')].filter(Boolean).join(' ');
      }
      if (first.startsWith('api ')) return first.split(' ').slice(0, 2).join(' ');
      return first.replace(UUID_RE, '<uuid>');
    });
}
