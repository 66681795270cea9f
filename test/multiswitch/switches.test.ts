// The set of switches: each link's own state, the Core-UUID learned on connect (and learned again after the
// switch restarts), telling which switch sent a call, the owners of a call, and the originate policies.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { InboundEmulator } from '../emulator/inbound-server.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { createSwitches, type SwitchLink } from '../../src/switch/switches.ts';
import { createSwitchPicker } from '../../src/switch/switch-picker.ts';
import { testClient } from '../helpers/switches.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulated(switchname: string, port?: number) {
  const identity = { coreUuid: randomUUID(), switchname };
  const emu = new InboundEmulator({ identity, ...(port ? { port } : {}) });
  const p = await emu.listen();
  cleanups.push(() => emu.close());
  return { emu, port: p, identity };
}

async function twoSwitches() {
  const a = await emulated('fs-a');
  const b = await emulated('fs-b');
  const switches = createSwitches([{ id: 'a', client: testClient(a.port) }, { id: 'b', client: testClient(b.port) }], { logger: silentLogger(), commandTimeoutMs: 1_000 });
  cleanups.push(() => switches.close());
  const states: string[] = [];
  switches.onState((link, state) => states.push(`${link.id}:${state}`));
  switches.start();
  await expect.poll(() => switches.list.every((l) => l.coreUuid !== null), { timeout: 2_000 }).toBe(true);
  return { a, b, switches, states };
}

describe('switches', () => {
  it('learns each switch\'s Core-UUID on connect and tells a call\'s switch by it', async () => {
    const { a, b, switches, states } = await twoSwitches();
    expect(switches.list.map((l) => [l.id, l.connected, l.coreUuid])).toEqual([['a', true, a.identity.coreUuid], ['b', true, b.identity.coreUuid]]);
    expect(states).toEqual(expect.arrayContaining(['a:connected', 'b:connected']));
    expect(a.emu.commandLog).toContain('api global_getvar core_uuid');
    expect(switches.identify({ 'Core-UUID': b.identity.coreUuid, 'FreeSWITCH-Switchname': 'whatever' })).toBe('b');
    expect(switches.identify({ 'Core-UUID': a.identity.coreUuid.toUpperCase() })).toBe('a');
    // Not a known Core-UUID: a FreeSWITCH-Switchname equal to an id, else nobody (several switches).
    expect(switches.identify({ 'Core-UUID': randomUUID(), 'FreeSWITCH-Switchname': 'b' })).toBe('b');
    expect(switches.identify({ 'Core-UUID': randomUUID(), 'FreeSWITCH-Switchname': 'vm' })).toBeNull();
    expect(switches.identify({})).toBeNull();
  });

  it('a switch that restarts (new Core-UUID) is known by the new one after its link reconnects; the other link stays up', async () => {
    const { a, b, switches, states } = await twoSwitches();
    await b.emu.close();
    await expect.poll(() => switches.get('b')!.connected, { timeout: 2_000 }).toBe(false);
    expect(switches.get('a')!.connected).toBe(true);
    expect(switches.anyConnected).toBe(true);
    const again = await emulated('fs-b', b.port);
    await expect.poll(() => switches.get('b')!.coreUuid, { timeout: 3_000 }).toBe(again.identity.coreUuid);
    expect(switches.identify({ 'Core-UUID': again.identity.coreUuid })).toBe('b');
    // The old one still names it (a call from before the restart).
    expect(switches.identify({ 'Core-UUID': b.identity.coreUuid })).toBe('b');
    expect(states).toEqual(expect.arrayContaining(['b:disconnected']));
    expect(a.emu.connectionCount).toBe(1);
  });

  it('one switch names every call, whatever its headers; owners are the call\'s switch, or every switch when unknown', async () => {
    const only = createSwitches([{ id: 'solo', client: testClient(1) }], { logger: silentLogger() });
    expect(only.identify({ 'Core-UUID': randomUUID() })).toBe('solo');
    const { switches } = await twoSwitches();
    expect(switches.owners('b').map((l) => l.id)).toEqual(['b']);
    expect(switches.owners(null).map((l) => l.id)).toEqual(['a', 'b']);
    expect(switches.owners('gone-from-config').map((l) => l.id)).toEqual(['a', 'b']);
  });
});

describe('originate policy', () => {
  const link = (id: string, connected = true): SwitchLink => ({ id, connected, coreUuid: null, client: {} as SwitchLink['client'] });

  it('round_robin: each connected switch in turn, skipping one that is down', () => {
    const links = [link('a'), link('b', false), link('c')];
    const picker = createSwitchPicker('round_robin', () => 0);
    expect(Array.from({ length: 5 }, () => picker.pick(links)?.id)).toEqual(['a', 'c', 'a', 'c', 'a']);
    expect(createSwitchPicker('round_robin', () => 0).pick([link('a', false)])).toBeNull();
  });

  it('least_calls: the switch with the fewest calls; ties in turn', () => {
    const load = new Map([['a', 3], ['b', 1], ['c', 1]]);
    const picker = createSwitchPicker('least_calls', (id) => load.get(id) ?? 0);
    const links = [link('a'), link('b'), link('c')];
    expect(picker.pick(links)?.id).toBe('b');
    expect(picker.pick(links)?.id).toBe('c');
    expect(picker.pick(links)?.id).toBe('b');
    load.set('b', 9);
    expect(picker.pick(links)?.id).toBe('c');
    expect(picker.pick([link('a'), link('b'), link('c', false)])?.id).toBe('a');
  });
});
