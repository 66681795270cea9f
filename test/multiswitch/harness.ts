/**
 * One controller and two emulated switches, as main.ts wires several SWITCHES: an inbound ESL client per
 * switch, the call control placing calls on them, and the call server telling inbound calls apart by the
 * Core-UUID in their connect headers. Each emulated switch has its own identity (Core-UUID, switchname).
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import type { SwitchIdentity } from '../emulator/channel-model.ts';
import type { OriginateSimOptions } from '../emulator/inbound-originate.ts';
import { startController, type ControllerHarness, type ControllerOptions } from '../helpers/controller.ts';
import { testClient } from '../helpers/switches.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createSwitches, type Switches } from '../../src/switch/switches.ts';
import { createCallControl, type CallControlOptions } from '../../src/switch/call-control.ts';
import type { OriginatePolicy } from '../../src/switch/switch-picker.ts';
import type { CallControl } from '../../src/services/calls/control.ts';

export const DID = '+918065978001';

export interface EmulatedSwitch {
  readonly id: 'a' | 'b';
  emu: InboundEmulator;
  readonly identity: SwitchIdentity;
  readonly port: number;
  /** SIP users (`user@domain`) registered on this switch (sofia_contact). */
  readonly registered: Set<string>;
  /** Originate commands this switch received. */
  originates(): string[];
}

export interface Cluster {
  h: ControllerHarness;
  a: EmulatedSwitch;
  b: EmulatedSwitch;
  switches: Switches;
  control: CallControl;
  /** A fresh call control on the same switches (another process after a restart). */
  newControl(o?: Partial<CallControlOptions>): CallControl;
  /** Two-party call through the API; its logid. */
  placeTwoParty(): Promise<string>;
  /** Polls GET /calls/{id} until `status`. */
  waitStatus(id: string, status: string): Promise<Record<string, unknown>>;
  /** The switch the database remembers for a placed call (outbound_calls, call_logs). */
  storedSwitch(id: string): Promise<{ placed: string | null; log: string | null }>;
  /** Replaces a switch's emulator by a new one on the same port (a restarted FreeSWITCH: new Core-UUID, no channels). */
  restart(s: EmulatedSwitch): Promise<void>;
  close(): Promise<void>;
}

async function emulated(id: 'a' | 'b', port = 0, calls: OriginateSimOptions = {}, registered = new Set<string>()): Promise<EmulatedSwitch> {
  const identity = { coreUuid: randomUUID(), switchname: `fs-${id}` };
  const emu = new InboundEmulator({ identity, port, calls, registered: () => registered });
  const listening = await emu.listen();
  const s: EmulatedSwitch = { id, emu, identity, port: listening, registered, originates: () => s.emu.commandLog.filter((l) => l.startsWith('bgapi originate')) };
  return s;
}

export async function startCluster(o: { policy?: OriginatePolicy; controller?: ControllerOptions; calls?: OriginateSimOptions } = {}): Promise<Cluster> {
  const a = await emulated('a', 0, o.calls);
  const b = await emulated('b', 0, o.calls);
  const switches = createSwitches([{ id: 'a', client: testClient(a.port) }, { id: 'b', client: testClient(b.port) }], { logger: silentLogger(), commandTimeoutMs: 1_000 });
  const h = await startController({ ...o.controller, identifySwitch: (headers) => switches.identify(headers) });
  const controls: CallControl[] = [];
  const newControl = (extra: Partial<CallControlOptions> = {}): CallControl => {
    const control = createCallControl({
      db: h.api.deps.adb, logger: silentLogger(), bus: h.bus, switches, policy: o.policy ?? 'round_robin', gateway: 'pstn', ringTimeoutS: 2,
      recordingsDir: null, commandTimeoutMs: 1_000, socketEndpoint: `127.0.0.1:${h.server.address().port}`,
      inboundLoad: (id) => h.registry.countOn(id), expireEveryMs: 0, registrationProfile: 'extensions', ...extra,
    });
    controls.push(control);
    return control;
  };
  const control = newControl();
  h.api.deps.calls = control;
  control.start();
  switches.start();
  const known = async () => {
    const deadline = Date.now() + 3_000;
    while (!switches.list.every((l) => l.connected && l.coreUuid !== null)) {
      if (Date.now() > deadline) throw new Error('switches did not connect');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await known();
  await h.req('POST', '/api/v1/dids', { number: DID, assign: true });
  const waitStatus = async (id: string, status: string): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + 3_000;
    let last: Record<string, unknown> = {};
    while (Date.now() < deadline) {
      last = await h.req('GET', `/api/v1/calls/${id}`);
      if (last.status === status) return last;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`call ${id}: ${String(last.status)}, wanted ${status}`);
  };
  return {
    h, a, b, switches, control, newControl, waitStatus,
    async placeTwoParty() {
      const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/two-party', { did: DID, first_phone: '9944421125', second_phone: '9944421126' });
      await waitStatus(placed.logid, 'bridged');
      return placed.logid;
    },
    async storedSwitch(id) {
      const db = h.api.deps.adb;
      const { callLogs, outboundCalls } = db.t;
      const [placed] = await db.select({ s: outboundCalls.switchId }).from(outboundCalls).where(eq(outboundCalls.id, id));
      const [log] = await db.select({ s: callLogs.switchId }).from(callLogs).where(eq(callLogs.id, id));
      return { placed: placed?.s ?? null, log: log?.s ?? null };
    },
    async restart(s) {
      await s.emu.close();
      const again = await emulated(s.id, s.port, o.calls, s.registered);
      s.emu = again.emu;
      (s as { identity: SwitchIdentity }).identity = again.identity;
    },
    async close() {
      for (const c of controls) c.stop();
      await switches.close();
      await a.emu.close();
      await b.emu.close();
      await h.close();
    },
  };
}
