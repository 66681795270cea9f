/** Builds the call control (placing calls over the inbound ESL connection) from the configuration, for main.ts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../runtime/env.ts';
import { recordingsDir, soundsDir } from '../runtime/env.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import type { TtsEngine } from '../media/tts-engine.ts';
import type { CallControl } from '../services/calls/control.ts';
import { createCallControl, type CallControlOptions, type OriginateClient } from './call-control.ts';

export function callControlFromConfig(d: {
  config: Config; logger: Logger; db: Db; bus: CallEventBus; inbound: OriginateClient | null; tts: TtsEngine;
  /** Where FreeSWITCH reaches our call server (flow, tts and bot calls come back to it). */
  socketEndpoint: string;
  renderTemplate?: CallControlOptions['renderTemplate'];
  onDial?: CallControlOptions['onDial'];
  onEnd?: CallControlOptions['onEnd'];
}): CallControl {
  const { config, logger, db } = d;
  const sounds = resolve(soundsDir(config));
  return createCallControl({
    db, logger, bus: d.bus, inbound: d.inbound, gateway: config.EXTERNAL_GATEWAY, ringTimeoutS: config.ORIGINATE_TIMEOUT_S,
    recordingsDir: config.CALL_RECORDING ? resolve(recordingsDir(config)) : null,
    commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
    socketEndpoint: d.socketEndpoint,
    ...(d.renderTemplate ? { renderTemplate: d.renderTemplate } : {}),
    ...(d.onDial ? { onDial: d.onDial } : {}),
    ...(d.onEnd ? { onEnd: d.onEnd } : {}),
    renderIntro: async (text, callId) => {
      const { wav } = await d.tts.synthesize({ text, language: 'en-IN', voice: 'en-IN-Wavenet-D', sampleRate: config.TTS_SAMPLE_RATE }, AbortSignal.timeout(15_000));
      mkdirSync(sounds, { recursive: true });
      const path = join(sounds, `intro_${callId}.wav`);
      writeFileSync(path, wav);
      return path;
    },
  });
}
