import { ValidationError, summarizeIssues, type FieldIssue } from '../domain/errors.ts';
import { SIMULATION_SOURCES, type SimulationRequest, type SimulationSource } from './types.ts';

/** A key entry: "timeout" (no input), or what is pressed at one digit collection (a direct dial may end with "#"). */
export const KEY_PATTERN = /^(timeout|[0-9*#]{1,10})$/;
export const MAX_KEYS = 50;
/** ISO 8601 with Z or an offset: a call happens at one instant, whatever the server's zone. */
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export interface ParsedRequest {
  start: { did: string } | { ivrId: string };
  source: SimulationSource;
  keys: string[];
  caller: string;
  at: Date | null;
}

/** Checks a request (the API's, the CLI's or a test's) the one way; a ValidationError lists every bad field. */
export function parseRequest(r: SimulationRequest): ParsedRequest {
  const issues: FieldIssue[] = [];
  const did = r.did?.trim() ?? '';
  const ivrId = r.ivrId?.trim() ?? '';
  if (!did && !ivrId) issues.push({ field: 'did', message: 'give did or ivrId' });
  if (did && ivrId) issues.push({ field: 'ivrId', message: 'give did or ivrId, not both' });
  const source = r.source ?? 'published';
  if (!SIMULATION_SOURCES.includes(source)) issues.push({ field: 'source', message: `must be ${SIMULATION_SOURCES.join(' or ')}` });
  const keys = [...(r.keys ?? [])];
  if (keys.length > MAX_KEYS) issues.push({ field: 'keys', message: `at most ${MAX_KEYS} entries` });
  keys.forEach((k, i) => {
    if (!KEY_PATTERN.test(k)) issues.push({ field: `keys.${i}`, message: `"${k.slice(0, 20)}" is not a key entry: 0-9, * and # (up to 10), or "timeout"` });
  });
  let at: Date | null = null;
  if (r.at !== undefined) {
    at = ISO_INSTANT.test(r.at) && !Number.isNaN(Date.parse(r.at)) ? new Date(r.at) : null;
    if (!at) issues.push({ field: 'at', message: 'must be an ISO 8601 time with Z or an offset, e.g. 2026-03-09T15:00:00Z' });
  }
  const caller = r.caller?.trim() || 'simulator';
  if (caller.length > 64) issues.push({ field: 'caller', message: 'at most 64 characters' });
  if (issues.length > 0) throw new ValidationError(`Invalid simulation: ${summarizeIssues(issues)}`, issues);
  return { start: did ? { did } : { ivrId }, source, keys, caller, at };
}
