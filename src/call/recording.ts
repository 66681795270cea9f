import { join } from 'node:path';
import { ChannelGoneError } from './channel.ts';
import type { CallSession } from './session.ts';
import { run } from './media.ts';
import { storageOf } from './storage.ts';

/**
 * Record an inbound call that is about to reach a person (CallSettings.recordingsDir set): once per
 * call, `record_session <dir>/<org>/<call id>.wav` — the layout placed calls use — and a
 * call_recordings row keyed by the call log id, so the calls API lists and serves it. A recording
 * that cannot start is logged; it never stops the call.
 */
export async function recordCall(s: CallSession): Promise<void> {
  const dir = s.deps.settings.recordingsDir;
  if (!dir || !s.orgId || s.recordingPath) return;
  const path = join(dir, s.orgId, `${s.callId}.wav`);
  try {
    const storage = storageOf(s.deps);
    storage.folder(join(dir, s.orgId));
    await run(s, 'record_session', path, 10_000);
    s.recordingPath = path;
    await storage.recording({ orgId: s.orgId, callId: s.callId, path });
  } catch (err) {
    if (err instanceof ChannelGoneError) throw err;
    s.logger.warn({ err }, 'recording did not start');
  }
}
