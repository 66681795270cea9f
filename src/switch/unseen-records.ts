/**
 * Calls FreeSWITCH ended in `controller_unavailable` (freeswitch-conf/dialplan/public.xml): that
 * extension's hangup hook keeps one mod_db record per call, realm `switchboard_unseen`, key = the
 * call's uuid, value
 *
 *   v1|<start µs>|<answered µs before the tones, 0 = not answered>|<end µs>|<hangup cause>|<dialled number>|<caller>
 *
 * Read with `db list/<realm>` (keys, comma-separated, at most 4 KB: ~110 uuids, the last one may be
 * cut off) and `db select/<realm>/<key>`; removed with `db delete/<realm>/<key>` once the call log is
 * written. An empty realm or a missing key answers `-ERR no reply` (nothing written by the API).
 */
import { EslCommandError } from '../esl/replies.ts';
import type { InboundClient } from '../esl/inbound-client.ts';
import { isUuid } from '../domain/destinations.ts';

export const UNSEEN_REALM = 'switchboard_unseen';

export type RecordClient = Pick<InboundClient, 'api'>;

export interface UnseenRecord {
  readonly uuid: string;
  readonly startedAt: string;
  /** When the call had been answered before it reached controller_unavailable (by a controller), else null. */
  readonly answeredBefore: string | null;
  readonly endedAt: string;
  readonly hangupCause: string | null;
  readonly dialled: string;
  readonly caller: string;
}

const isNoReply = (err: unknown): boolean => err instanceof EslCommandError && err.reason.startsWith('no reply');

function microsToIso(field: string | undefined): string | null {
  if (!field || !/^\d+$/.test(field) || field === '0') return null;
  const ms = Math.floor(Number(field) / 1000);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/** Parses one record; null when it is not a v1 record with a start and an end. */
export function parseUnseenRecord(uuid: string, value: string): UnseenRecord | null {
  const parts = value.trim().split('|');
  if (parts[0] !== 'v1' || parts.length < 7) return null;
  const startedAt = microsToIso(parts[1]);
  const endedAt = microsToIso(parts[3]);
  if (!startedAt || !endedAt) return null;
  return {
    uuid: uuid.toLowerCase(),
    startedAt,
    answeredBefore: microsToIso(parts[2]),
    endedAt,
    hangupCause: parts[4] || null,
    dialled: parts[5] ?? '',
    // The caller is the last field and may itself hold a `|`.
    caller: parts.slice(6).join('|'),
  };
}

/** Up to ~110 record keys (uuids) currently stored. */
export async function listUnseen(client: RecordClient, timeoutMs?: number): Promise<string[]> {
  try {
    const { text } = await client.api(`db list/${UNSEEN_REALM}`, { timeoutMs });
    return text.split(',').map((k) => k.trim()).filter(isUuid);
  } catch (err) {
    if (isNoReply(err)) return [];
    throw err;
  }
}

export type ReadResult = { kind: 'record'; record: UnseenRecord } | { kind: 'gone' } | { kind: 'invalid'; value: string };

/** One record: `gone` when another instance deleted it meanwhile, `invalid` when it cannot be parsed. */
export async function readUnseen(client: RecordClient, uuid: string, timeoutMs?: number): Promise<ReadResult> {
  let value: string;
  try {
    value = (await client.api(`db select/${UNSEEN_REALM}/${uuid}`, { timeoutMs })).body;
  } catch (err) {
    if (isNoReply(err)) return { kind: 'gone' };
    throw err;
  }
  const record = parseUnseenRecord(uuid, value);
  return record ? { kind: 'record', record } : { kind: 'invalid', value };
}

export async function deleteUnseen(client: RecordClient, uuid: string, timeoutMs?: number): Promise<void> {
  await client.api(`db delete/${UNSEEN_REALM}/${uuid}`, { timeoutMs });
}
