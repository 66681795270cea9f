import { afterEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('/ready', () => {
  it('200 when the database answers, the switch is connected and the process is not draining; no auth needed', async () => {
    api = await openTestApi({ health: () => ({ switchConnected: true, activeCalls: 2, draining: false }) });
    const res = await api.call('GET', '/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, database: 'ok', switch: 'connected', switches: [], draining: false });
  });

  it('several switches: ready while at least one is connected, each one listed', async () => {
    let switches = [{ id: 'fs1', connected: false }, { id: 'fs2', connected: true }];
    api = await openTestApi({ health: () => ({ switchConnected: switches.some((s) => s.connected), activeCalls: 0, switches }) });
    const res = await api.call('GET', '/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, database: 'ok', switch: 'connected', switches, draining: false });
    expect(await (await api.call('GET', '/health')).json()).toMatchObject({ switch: { connected: true, switches } });
    switches = [{ id: 'fs1', connected: false }, { id: 'fs2', connected: false }];
    const down = await api.call('GET', '/ready');
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ready: false, switch: 'disconnected', switches });
  });

  it('503 while draining, and says so; /health stays 200 (alive)', async () => {
    api = await openTestApi({ health: () => ({ switchConnected: true, activeCalls: 1, draining: true }) });
    const res = await api.call('GET', '/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ready: false, draining: true });
    expect((await api.call('GET', '/health')).status).toBe(200);
  });

  it('503 without the switch, and 503 when the database does not answer', async () => {
    api = await openTestApi({ health: () => ({ switchConnected: false, activeCalls: 0 }) });
    expect(await (await api.call('GET', '/ready')).json()).toMatchObject({ ready: false, switch: 'disconnected', database: 'ok' });
    const { driver } = api.deps.adb;
    if (driver.dialect === 'postgres') await driver.pool.end();
    else api.database.close();
    const res = await api.call('GET', '/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ database: 'failed' });
    api = undefined;
  });
});
