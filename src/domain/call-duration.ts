/**
 * A call log's `duration_s`: whole seconds from start to end, never negative; 0 when either time cannot be
 * read (a row from an older version), never NaN (PostgreSQL refuses NaN as an integer).
 */
export function callDurationS(startedAt: string, endedAt: string): number {
  const seconds = Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000);
  return Number.isFinite(seconds) ? Math.max(0, seconds) : 0;
}
