import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ChannelGoneError } from '../channel.ts';
import { PROMPTS } from '../prompts.ts';
import { addStep, emit, END, type ActionHandler, type ActionOutcome, type CallSession } from '../session.ts';
import { timeOrderedUuid } from '../../db/time-ordered-id.ts';
import { MIN_MESSAGE_MS, SILENCE_HITS_S, SILENCE_THRESHOLD, voicemailDepsOf } from '../voicemail-deps.ts';
import { findMailbox, greetingFile } from '../../services/voicemail/mailbox.ts';
import type { NewVoicemailMessage } from '../../services/voicemail/messages.ts';
import { inspectWav, waitForStableSize } from '../recording-file.ts';
import { answer, answerThen, hangup, play, playThenHangup } from '../media.ts';
import { unavailable } from '../bridging/bridge-to.ts';
import { storageOf } from '../storage.ts';

/** The tone after the greeting: FreeSWITCH generates it, no sound files needed. */
export const VOICEMAIL_BEEP = 'tone_stream://%(500,0,800)';

const GREETING_TIMEOUT_MS = 5 * 60_000;
/** After a hangup mid-recording: how long to wait for `record` to finish the file (its EXECUTE_COMPLETE). */
const FINISH_AFTER_HANGUP_MS = 3_000;

/**
 * Our own voicemail (no sound files, no phrase macros): answer, the box's greeting (our TTS), a beep,
 * then FreeSWITCH's `record` into `<messagesDir>/<org>/<message id>.wav`, bounded by the configured
 * length and by silence. A caller who hangs up while recording still leaves the message: FreeSWITCH
 * closes the file when `record` returns. A kept message gets a voicemail_messages row, a path step
 * `message:<id>` and a `voicemail.new` event.
 */
/** `bridgeCause`: why the extension did not answer, when it was rung first (busy, no answer). */
export async function voicemailFor(s: CallSession, ext: string, bridgeCause = 'NO_ANSWER'): Promise<ActionOutcome> {
  s.record.disposition = 'voicemail';
  s.record.answeredBy = `voicemail:${ext}`;
  s.stage = 'voicemail';
  emit(s, { type: 'call.transferred', target: ext, kind: 'voicemail' });
  const vm = voicemailDepsOf(s.deps);
  const orgId = s.orgId;
  if (!vm || !orgId) {
    s.logger.error({ extension: ext }, 'voicemail has nowhere to store messages (no voicemail settings and no recordings directory)');
    addStep(s, { step: 'action', type: 'voicemail', value: ext, result: 'no_message' });
    await unavailable(s, 'NO_ANSWER', bridgeCause);
    return END;
  }

  const id = timeOrderedUuid(s.deps.now().getTime());
  const path = join(vm.messagesDir, orgId, `${id}.wav`);
  let message: NewVoicemailMessage | null = null;
  try {
    const box = await findMailbox(s.deps.adb, orgId, ext);
    const greeting = await greetingFile(box, vm.greetings).catch((err: unknown) => {
      s.logger.warn({ err, extension: ext }, 'voicemail greeting could not be rendered; beep only');
      return null;
    });
    storageOf(s.deps).folder(dirname(path));
    if (greeting) await answerThen(s, () => play(s, greeting, GREETING_TIMEOUT_MS));
    else await answer(s);
    await play(s, VOICEMAIL_BEEP, 10_000);
    const recordMs = await recordMessage(s, path, vm.maxSeconds);
    message = await keepMessage(s, { id, orgId, extension: ext, path }, recordMs);
  } finally {
    addStep(s, { step: 'action', type: 'voicemail', value: ext, result: message ? `message:${message.id}` : 'no_message' });
  }
  if (message) {
    s.logger.info({ message: message.id, extension: ext, durationMs: message.durationMs }, 'voicemail message stored');
    emit(s, { type: 'voicemail.new', messageId: message.id, extension: ext, caller: s.caller, durationMs: message.durationMs });
  }
  if (!s.channel.signal.aborted) {
    await playThenHangup(s, PROMPTS.goodbye, 'NORMAL_CLEARING', 10_000);
  }
  return END;
}

/**
 * Runs `record` and returns FreeSWITCH's `record_ms` (null when unknown). When the caller hangs up
 * the channel is gone before `record` completes; while the socket lingers its EXECUTE_COMPLETE (with
 * `record_ms`, sent once the file is closed) still arrives, so it is awaited, bounded.
 */
async function recordMessage(s: CallSession, path: string, maxSeconds: number): Promise<number | null> {
  if (s.channel.signal.aborted) throw new ChannelGoneError('channel hung up');
  const res = await s.channel.execute('record', `${path} ${maxSeconds} ${SILENCE_THRESHOLD} ${SILENCE_HITS_S}`, {
    timeoutMs: (maxSeconds + 60) * 1000,
    afterHangupMs: FINISH_AFTER_HANGUP_MS,
    vars: ['record_ms'],
  });
  return milliseconds(res.variables.record_ms);
}

/** Keeps a recording with some audio in it (a row); removes an empty or too short one. */
async function keepMessage(
  s: CallSession,
  m: { id: string; orgId: string; extension: string; path: string },
  recordMs: number | null,
): Promise<NewVoicemailMessage | null> {
  // Without FreeSWITCH's word that `record` finished, wait for the file to stop growing.
  if (recordMs === null) await waitForStableSize(m.path, { timeoutMs: 2_000, pollMs: 100 });
  const wav = await inspectWav(m.path);
  const durationMs = recordMs ?? wav?.durationMs ?? 0;
  if (!wav || wav.dataBytes === 0 || durationMs < MIN_MESSAGE_MS) {
    await rm(m.path, { force: true });
    return null;
  }
  const message: NewVoicemailMessage = {
    id: m.id, orgId: m.orgId, extension: m.extension, callLogId: s.callId, caller: s.caller, did: s.did,
    path: m.path, durationMs, createdAt: s.deps.now().toISOString(),
  };
  await storageOf(s.deps).voicemail(message);
  return message;
}

function milliseconds(v: string | undefined): number | null {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** Leave a message in an extension's voicemail box. */
export const voicemailAction: ActionHandler = (s, dest) => voicemailFor(s, dest.value ?? '');
