/** Test wiring: our outbound server on port 0 + the emulator pointed at it. */
import { silentLogger } from '../../src/runtime/logger.ts';
import type { DisconnectNoticeFrame } from '../../src/esl/parser.ts';
import { createOutboundServer, type OutboundServer, type OutboundServerOptions } from '../../src/esl/outbound-server.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';

export interface Harness {
  readonly server: OutboundServer;
  readonly emu: Emulator;
  close(): Promise<void>;
}

export async function startHarness(
  onCall: (s: OutboundSession) => Promise<void>,
  options: Partial<OutboundServerOptions> = {},
): Promise<Harness> {
  const server = await createOutboundServer({
    port: 0,
    logger: silentLogger(),
    commandTimeoutMs: 1_000,
    exitTimeoutMs: 500,
    ...options,
    onCall,
  });
  const emu = createEmulator({ port: server.address().port, timeScale: 0.05 });
  return { server, emu, close: () => server.close() };
}

/** Resolves with the next disconnect notice of the given disposition. */
export function nextNotice(s: OutboundSession, disposition: 'linger' | 'disconnect', timeoutMs = 2_000): Promise<DisconnectNoticeFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${disposition} notice`));
    }, timeoutMs);
    const off = s.conn.on('disconnect-notice', (f) => {
      if (f.disposition !== disposition) return;
      clearTimeout(timer);
      off();
      resolve(f);
    });
  });
}

export const PAGD = '1 1 3 3000 # tone_stream://%(300,0,600) tone_stream://%(300,0,300) choice [1-4] 3000';
