/**
 * A FreeSWITCH emulator that speaks real ESL bytes (modelled on /work/shared/esl-transcripts).
 *
 *   const emu = createEmulator({ timeScale: 0.05 });
 *   const call = emu.placeCall({ port, destination: '1000', callerIdNumber: 'sipp', script });
 *   const summary = await call.done;          // socket closed
 *   call.recorder.commands() / .frames() / .chunks   // bytes both ways
 *   const inbound = emu.inbound({ password: 'ClueCon' }); await inbound.listen();
 */
import { EmulatedCall, type PlaceCallOptions } from './outbound-call.ts';
import type { EmulatedChannel } from './emulated-channel.ts';
import { InboundEmulator, type InboundEmulatorOptions } from './inbound-server.ts';

export type { CallerScript, CallerStep, CallerAction, BridgeOutcome, MalformedVariant, Trigger } from './caller-script.ts';
export type { CallSummary, PlaceCallOptions } from './outbound-call.ts';
export { EmulatedCall } from './outbound-call.ts';
export { InboundEmulator } from './inbound-server.ts';
export { Recorder, CallRecorder } from './recorder.ts';
export type { EmulatedSocket, SocketMode } from './emulated-socket.ts';
export { fsUrlEncode } from './fs-encode.ts';

export interface EmulatorOptions {
  /** Default port of our outbound server. */
  readonly port?: number;
  readonly timeScale?: number;
}

export interface Emulator {
  placeCall(options: Omit<PlaceCallOptions, 'port' | 'timeScale'> & { port?: number; timeScale?: number }): EmulatedCall;
  inbound(options?: InboundEmulatorOptions): InboundEmulator;
  /** Calls placed so far (for byte assertions). */
  readonly calls: readonly EmulatedCall[];
}

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const calls: EmulatedCall[] = [];
  // One switch: every call's events reach every call's sockets (each keeps what it subscribed and filtered).
  const peers = new Set<EmulatedChannel>();
  return {
    calls,
    placeCall(o) {
      const port = o.port ?? options.port;
      if (port === undefined) throw new Error('placeCall: no port (pass one or set it on createEmulator)');
      const call = new EmulatedCall({ ...o, port, timeScale: o.timeScale ?? options.timeScale, peers });
      calls.push(call);
      return call;
    },
    inbound: (o) => new InboundEmulator(o),
  };
}
