/** Switches (src/switch/switches.ts) over inbound ESL clients a test made, as main.ts builds them from SWITCHES. */
import { InboundClient } from '../../src/esl/inbound-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createSwitches, type SwitchClient, type Switches } from '../../src/switch/switches.ts';

/** One switch, named `id`. */
export function oneSwitch(client: SwitchClient, id = 'fs1'): Switches {
  return createSwitches([{ id, client }], { logger: silentLogger(), commandTimeoutMs: 1_000 });
}

/** A client of the emulator on `port`, reconnecting fast. */
export function testClient(port: number): InboundClient {
  return new InboundClient({
    port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000, authTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, factor: 2 },
  });
}
