/**
 * Placing calls beside a controller harness: an inbound emulator (originate) whose answered `socket` legs
 * reach the harness's call server, an inbound client, and the call control on the harness's bus, set as the
 * API's `calls`. What the customer's phone does is read from `customer` at each call.
 */
import { InboundEmulator } from '../emulator/inbound-server.ts';
import type { LegOutcome } from '../emulator/inbound-originate.ts';
import type { CallerScript } from '../emulator/caller-script.ts';
import { InboundClient } from '../../src/esl/inbound-client.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createCallControl, type CallControlOptions } from '../../src/switch/call-control.ts';
import { oneSwitch } from './switches.ts';
import type { CallControl } from '../../src/services/calls/control.ts';
import { renderTemplate } from '../../src/services/tts-templates/render.ts';
import type { ControllerHarness } from './controller.ts';
import { eq } from 'drizzle-orm';
import { type callLogs } from '../../src/db/schema/index.ts';
import type { Db as AsyncDb } from '../../src/db/handle.ts';

export interface Customer {
  outcome: LegOutcome;
  script: CallerScript;
  /** Per number (the dial string ends with it) and per call to it (1, 2, …): overrides `outcome`. */
  outcomeFor?: (number: string, nth: number) => LegOutcome;
}

export interface Placing {
  inbound: InboundEmulator;
  control: CallControl;
  customer: Customer;
  /** The originate commands sent so far. */
  originates(): string[];
  close(): Promise<void>;
}

export async function attachPlacing(h: ControllerHarness, opts: Pick<CallControlOptions, 'onDial' | 'onEnd'> & { ringMs?: number } = {}): Promise<Placing> {
  const customer: Customer = { outcome: 'answer', script: {} };
  const dialled = new Map<string, number>();
  const outcome = (dial: string, leg: 'a' | 'b'): LegOutcome => {
    if (leg !== 'a') return 'answer';
    const number = dial.split('/').at(-1) ?? dial;
    const nth = (dialled.get(number) ?? 0) + 1;
    dialled.set(number, nth);
    return customer.outcomeFor?.(number, nth) ?? customer.outcome;
  };
  const inbound = new InboundEmulator({ calls: { outcome, socketScript: () => customer.script, ...(opts.ringMs ? { ringMs: opts.ringMs } : {}) } });
  const port = await inbound.listen();
  const client = new InboundClient({ port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 1_000, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  const d = h.api.deps;
  const control = createCallControl({
    db: d.adb, logger: silentLogger(), bus: h.bus, switches: oneSwitch(client), gateway: 'pstn', ringTimeoutS: 2, recordingsDir: null,
    commandTimeoutMs: 1_000, socketEndpoint: `127.0.0.1:${h.server.address().port}`, ...opts,
    renderTemplate: async (orgId, id, variables) => (await renderTemplate({ db: d.adb, config: h.api.config, tts: d.tts, logger: d.logger, now: d.now }, orgId, id, variables)).path,
  });
  d.calls = control;
  control.start();
  client.start();
  await client.waitConnected({ timeoutMs: 2_000 });
  return {
    inbound,
    control,
    customer,
    originates: () => inbound.commandLog.filter((l) => l.startsWith('bgapi originate')),
    async close() {
      control.stop();
      await client.close();
      await inbound.close();
    },
  };
}

/** A placed call's log row once it has ended (finished and given its outcome), polled through the async handle (either database). */
export async function endedCallLog(adb: AsyncDb, logid: string, timeoutMs = 8_000): Promise<typeof callLogs.$inferSelect> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await adb.select().from(adb.t.callLogs).where(eq(adb.t.callLogs.id, logid));
    if (row?.endedAt && row.disposition) return row;
    if (Date.now() > deadline) throw new Error(`call ${logid} did not end: ${JSON.stringify(row)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
