/**
 * What two ESL conversations must share to count as the same call: the frames FreeSWITCH sent (events with
 * their application, replies, notices, in order) and the commands the controller sent (the verb; for a
 * sendmsg its call-command and app), socket by socket: a call that moved to a second (async) socket has a
 * `<case>.async.jsonl` companion. Channel uuids differ between runs and are masked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { EslParser } from '../../src/esl/parser.ts';
import { frameSignature } from '../esl/transcripts.ts';
import { CommandReader } from '../emulator/command-reader.ts';

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

/** A getvar reply that is a measurement (record_ms, 100 ms or more; a key pressed is one digit): its value depends on timing, not on behaviour. */
const MEASURED_RE = /^reply \d{3,}$/;

export function framesOf(chunks: ReadonlyArray<{ dir: string; data: string }>): string[] {
  const parser = new EslParser();
  return chunks.flatMap((c) => (c.dir === 'in' ? parser.feed(Buffer.from(c.data)).frames.map((f) => frameSignature(f).replace(UUID_RE, '<uuid>').replace(MEASURED_RE, 'reply <ms>')) : []));
}

export function commandsOf(chunks: ReadonlyArray<{ dir: string; data: string }>): string[] {
  // Read as the switch does (a body announced by content-length belongs to its command).
  const reader = new CommandReader();
  return chunks
    .filter((c) => c.dir === 'out')
    .flatMap((c) => reader.feed(Buffer.from(c.data)))
    .map(({ line, headers }) => {
      if (line.startsWith('sendmsg')) return ['sendmsg', headers.get('call-command'), headers.get('execute-app-name')].filter(Boolean).join(' ');
      if (line.startsWith('api ')) return line.split(' ').slice(0, 2).join(' ');
      return line.replace(UUID_RE, '<uuid>');
    });
}

/** A call's captures, one per socket: `<case>.jsonl` (the first, sync one), then `<case>.async.jsonl` if the call had one. */
export function loadCallCaptures(file: string): CapturedChunk[][] {
  const companion = file.replace(/\.jsonl$/, '.async.jsonl');
  return existsSync(companion) ? [loadCapture(file), loadCapture(companion)] : [loadCapture(file)];
}

/** A recorder's chunks (the emulator's side of one socket) in the captures' shape. */
export function recordedChunks(recorder: { readonly chunks: ReadonlyArray<{ readonly dir: 'in' | 'out'; readonly data: Buffer }> }): CapturedChunk[] {
  return recorder.chunks.map((c) => ({ dir: c.dir, data: c.data.toString('utf8') }));
}

export interface SocketSignature {
  readonly frames: string[];
  readonly commands: string[];
}

/** Per socket of a call, in order: what FreeSWITCH sent and what the controller sent. */
export function callSignature(sockets: ReadonlyArray<ReadonlyArray<{ dir: string; data: string }>>): SocketSignature[] {
  return sockets.map((chunks) => ({ frames: framesOf(chunks), commands: commandsOf(chunks) }));
}
