/** Builds the switches (one inbound ESL client each) and the call control (placing calls on them) from the configuration, for main.ts. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../runtime/env.ts';
import { recordingsDir, soundsDir } from '../runtime/env.ts';
import type { Db } from '../db/handle.ts';
import type { Logger } from '../runtime/logger.ts';
import type { CallEventBus } from '../domain/call-events.ts';
import type { TtsEngine } from '../media/tts-engine.ts';
import type { CallControl } from '../services/calls/control.ts';
import { createCallControl, type CallControlOptions } from './call-control.ts';
import { createInboundClient } from '../esl/inbound-client.ts';
import { switchList } from '../runtime/switch-list.ts';
import { createSwitches, type Switches } from './switches.ts';

/**
 * One inbound ESL client per switch of SWITCHES (or the single ESL_INBOUND_* one), each reconnecting with
 * its own capped backoff; null when ESL_INBOUND_ENABLED is false. Not started.
 */
export function switchesFromConfig(config: Config, logger: Logger): Switches | null {
  const list = switchList(config);
  if (list.length === 0) return null;
  const switches = createSwitches(
    list.map((s) => ({
      id: s.id,
      client: createInboundClient({
        host: s.host, port: s.port, password: s.password,
        logger: logger.child({ component: 'esl-inbound', switch: s.id }),
        commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS,
        reconnect: { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 },
      }),
    })),
    { logger: logger.child({ component: 'switches' }), commandTimeoutMs: config.ESL_COMMAND_TIMEOUT_MS },
  );
  const wasConnected = new Set<string>();
  switches.onState((link, state) => {
    // Say when a link comes up or is lost; retries while a switch is away stay at debug.
    if (state === 'connected') logger.info({ switch: link.id }, 'FreeSWITCH inbound ESL connected');
    else if (wasConnected.has(link.id) && state === 'disconnected') logger.warn({ switch: link.id }, 'FreeSWITCH inbound ESL lost; reconnecting');
    else logger.debug({ switch: link.id, state }, 'FreeSWITCH inbound ESL');
    if (state === 'connected') wasConnected.add(link.id);
    else if (state === 'disconnected') wasConnected.delete(link.id);
  });
  return switches;
}

export function callControlFromConfig(d: {
  config: Config; logger: Logger; db: Db; bus: CallEventBus; switches: Switches | null; tts: TtsEngine;
  /** The inbound calls this instance runs on a switch (least_calls). */
  inboundLoad?: CallControlOptions['inboundLoad'];
  /** Where FreeSWITCH reaches our call server (flow, tts and bot calls come back to it). */
  socketEndpoint: string;
  renderTemplate?: CallControlOptions['renderTemplate'];
  onDial?: CallControlOptions['onDial'];
  onEnd?: CallControlOptions['onEnd'];
}): CallControl {
  const { config, logger, db } = d;
  const sounds = resolve(soundsDir(config));
  return createCallControl({
    db, logger, bus: d.bus, switches: d.switches, gateway: config.EXTERNAL_GATEWAY, ringTimeoutS: config.ORIGINATE_TIMEOUT_S,
    policy: config.SWITCH_ORIGINATE_POLICY, registrationProfile: config.SIP_REGISTRATION_PROFILE, switchDownMs: config.RECONCILE_SWITCH_DOWN_MS, expireEveryMs: config.RECONCILE_INTERVAL_MS,
    ...(d.inboundLoad ? { inboundLoad: d.inboundLoad } : {}),
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
