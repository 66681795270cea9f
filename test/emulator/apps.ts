/** The app registry: adding an emulated app is adding a handler here. */
import type { AppHandler } from './app-context.ts';
import * as call from './call-apps.ts';
import * as media from './media-apps.ts';

export const APPS: Readonly<Record<string, AppHandler>> = {
  answer: call.answer,
  set: call.set,
  multiset: call.multiset,
  pre_answer: call.preAnswer,
  export: call.exportApp,
  hangup: call.hangup,
  sleep: call.sleep,
  bridge: call.bridge,
  transfer: call.transfer,
  callcenter: call.callcenter,
  voicemail: call.voicemail,
  record_session: call.recordSession,
  playback: media.playback,
  play_and_get_digits: media.playAndGetDigits,
  read: media.read,
  record: media.record,
};
