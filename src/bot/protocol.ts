/**
 * The bot WebSocket protocol, shared by both dialects: what the bridge needs to know about a
 * stream, the commands a bot can give (a discriminated union every dialect decodes into), and
 * the codec interface each dialect implements. Wire shapes: docs/bot-protocol.md.
 */
import { z } from 'zod';
import type { AgentDialect } from '../domain/agents.ts';
import type { CallContact } from '../domain/contacts.ts';
import type { MediaFormat } from './audio-format.ts';

export const TRANSFER_TARGET_TYPES = ['extension', 'queue', 'external', 'ivr'] as const;
export type TransferTargetType = (typeof TRANSFER_TARGET_TYPES)[number];

export interface TransferTarget {
  type: TransferTargetType;
  value: string;
}

/** What a bot asked for, after validation. */
export type BotCommand =
  | { kind: 'audio'; payload: Buffer }
  | { kind: 'clear' }
  | { kind: 'mark'; name: string }
  | { kind: 'transfer'; target: TransferTarget }
  | { kind: 'hangup'; reason: string | null };

export type Decoded = { ok: true; command: BotCommand } | { ok: false; error: string; details?: unknown };

/** Why we stop a stream (sent to the bot in `stop`). */
export type StopReason = 'caller_hangup' | 'bot_hangup' | 'transfer' | 'bot_error' | 'shutdown';

/** Everything `start` tells the bot. */
export interface StreamInfo {
  callId: string;
  streamId: string;
  /** FreeSWITCH channel UUID */
  channelUuid: string;
  from: string;
  to: string;
  did: string;
  orgId: string | null;
  agentId: string | null;
  mediaFormat: MediaFormat;
  systemPrompt: string | null;
  language: string;
  openingText: string | null;
  metadata: Record<string, string>;
  /** The caller's saved contact (null: unknown caller). */
  contact: CallContact | null;
}

/** One dialect for one stream: encodes what we send, decodes what the bot sends. */
export interface DialectCodec {
  readonly dialect: AgentDialect;
  /** Messages sent once the socket is open (`connected`, `start`). */
  open(): string[];
  /** One frame of caller audio, already in the bot's format. */
  media(payload: Buffer, timestampMs: number): string;
  dtmf(digit: string, durationMs: number | null): string;
  /** A mark the bot sent, echoed once the audio queued before it played (or was cleared). */
  mark(name: string, cleared: boolean): string;
  stop(reason: StopReason): string;
  error(message: string, details?: unknown): string;
  decode(text: string): Decoded;
}

/** What a base64 payload must look like (shared by the schemas and the audio fast path). */
export const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const base64 = z.string().regex(BASE64, 'must be base64');
const markName = z.string().min(1).max(256);
export const transferTargetSchema = z.object({
  type: z.enum(TRANSFER_TARGET_TYPES),
  value: z.string().min(1).max(64),
});

/** Control messages both dialects accept (Twilio's protocol has no transfer or hangup). */
export const controlSchemas = [
  z.object({ type: z.literal('session.transfer'), target: transferTargetSchema }),
  z.object({ type: z.literal('session.hangup'), reason: z.string().max(256).optional() }),
] as const;

export const nativeInboundSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('response.audio.delta'), delta: base64 }),
  z.object({ type: z.literal('media'), payload: base64 }),
  z.object({ type: z.literal('clear') }),
  z.object({ type: z.literal('mark'), name: markName }),
  ...controlSchemas,
]);

export const twilioInboundSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('media'), streamSid: z.string().optional(), media: z.object({ payload: base64 }) }),
  z.object({ event: z.literal('mark'), streamSid: z.string().optional(), mark: z.object({ name: markName }) }),
  z.object({ event: z.literal('clear'), streamSid: z.string().optional() }),
]);

export const controlSchema = z.discriminatedUnion('type', [...controlSchemas]);

/**
 * The hot path of decoding: an audio message, checked by hand (the same rules as its schema: the tag,
 * a base64 string) so the per-frame cost is JSON.parse plus one regex test. Anything else, including
 * every invalid message, returns null and goes through the schemas, which word the error.
 */
export function audioFastPath(value: unknown, tagKey: 'type' | 'event'): Buffer | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const tag = v[tagKey];
  let payload: unknown;
  if (tagKey === 'type') {
    if (tag === 'response.audio.delta') payload = v.delta;
    else if (tag === 'media') payload = v.payload;
    else return null;
  } else {
    if (tag !== 'media' || (v.streamSid !== undefined && typeof v.streamSid !== 'string')) return null;
    const media = v.media as Record<string, unknown> | null | undefined;
    if (media === null || typeof media !== 'object') return null;
    payload = media.payload;
  }
  if (typeof payload !== 'string' || !BASE64.test(payload)) return null;
  return Buffer.from(payload, 'base64');
}

/** Parse JSON, never throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: 'message is not valid JSON' };
  }
}

export function zodProblems(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

export function controlCommand(m: z.infer<typeof controlSchema>): BotCommand {
  return m.type === 'session.transfer' ? { kind: 'transfer', target: m.target } : { kind: 'hangup', reason: m.reason ?? null };
}
