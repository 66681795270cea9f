/**
 * The seed's "End-to-end example: create a working IVR" (docs/seed-api.md §6), step by step,
 * as an admin of a fresh organization that already has queues 5001/5002 and the number
 * +918065978001 (the example assumes both).
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decodeWav } from '../../src/media/wav.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  const auth = { token: org.token };
  await api.call('POST', '/api/v1/extensions', { ...auth, body: { number: '1001', name: 'Agent' } });
  for (const [number, name] of [['5001', 'Sales'], ['5002', 'Support']]) {
    expect((await api.call('POST', '/api/v1/queues', { ...auth, body: { number, name, agents: [{ extension: '1001' }] } })).status).toBe(201);
  }
  expect((await api.call('POST', '/api/v1/dids', { ...auth, body: { number: '+918065978001', description: 'Main line', assign: true } })).status).toBe(201);
});
afterEach(() => api.close());

it('runs the seed example and every step answers as the seed shows', async () => {
  // Step 0: token
  const login = await api.call('POST', '/api/v1/auth/user-login', { body: { email: org.email, password: org.password } });
  expect(login.status).toBe(200);
  const { token, user } = (await login.json()) as { token: string; user: { id: string; email: string; role: string } };
  expect(user).toMatchObject({ email: org.email, role: 'admin' });
  const auth = { token };

  // Step 1: create the IVR
  const created = await api.call('POST', '/api/v1/ivrs', {
    ...auth,
    body: { name: 'Main Menu', extension: '7001', description: 'Primary reception IVR', timeout: 10, max_retries: 3, enable_direct_dial: false, greeting_language: 'en-IN', greeting_voice: 'en-IN-Wavenet-D' },
  });
  expect(created.status).toBe(201);
  const ivr = (await created.json()) as Record<string, unknown> & { id: string };
  expect(ivr).toMatchObject({
    org_id: org.orgId, name: 'Main Menu', extension: '7001', description: 'Primary reception IVR', greeting_prompt: null,
    greeting_language: 'en-IN', greeting_voice: 'en-IN-Wavenet-D', timeout: 10, max_retries: 3, enable_direct_dial: false, status: 'active',
  });
  expect(typeof ivr.createdAt).toBe('string');
  expect(typeof ivr.updatedAt).toBe('string');

  // Step 2: generate the greeting
  const greet = await api.call('POST', `/api/v1/ivrs/${ivr.id}/generate-greeting`, {
    ...auth,
    body: { text: 'Welcome to Acme. Press 1 for sales, 2 for support.', language: 'en-IN', voice: 'en-IN-Wavenet-D' },
  });
  expect(greet.status).toBe(200);
  expect(await greet.json()).toMatchObject({ success: true, greeting_prompt: `greeting_ivr_${ivr.id}`, language: 'en-IN', voice: 'en-IN-Wavenet-D' });

  // Step 3: set the menu
  const menu = await api.call('PUT', `/api/v1/ivrs/${ivr.id}/menu`, {
    ...auth,
    body: { options: [
      { digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales' },
      { digit: '2', action_type: 'queue', action_destination: '5002', description: 'Support' },
    ] },
  });
  expect(menu.status).toBe(200);
  const withMenu = (await menu.json()) as { menuOptions: Record<string, unknown>[] };
  expect(withMenu.menuOptions).toMatchObject([
    { ivr_id: ivr.id, digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales', order: 0 },
    { ivr_id: ivr.id, digit: '2', action_type: 'queue', action_destination: '5002', description: 'Support', order: 1 },
  ]);

  // Step 4: publish
  const pub = await api.call('POST', `/api/v1/ivrs/${ivr.id}/publish`, auth);
  expect(pub.status).toBe(200);
  expect(await pub.json()).toMatchObject({ success: true, message: 'Configuration deployed for organization Acme', version: 1 });

  // Step 5: find the DID and route it to the IVR by UUID
  const list = await api.call('GET', '/api/v1/dids', auth);
  const dids = (await list.json()) as { id: string; number: string }[];
  const did = dids.find((d) => d.number === '+918065978001')!;
  expect(did).toBeDefined();
  const routed = await api.call('PUT', `/api/v1/dids/${did.id}`, { ...auth, body: { routing_type: 'ivr', routing_destination: ivr.id } });
  expect(routed.status).toBe(200);
  expect(await routed.json()).toMatchObject({ id: did.id, number: '+918065978001', routing_type: 'ivr', routing_destination: ivr.id, description: 'Main line', status: 'active' });

  // Step 6: verify
  const got = await api.call('GET', `/api/v1/ivrs/${ivr.id}`, auth);
  expect(((await got.json()) as { menuOptions: unknown[] }).menuOptions).toHaveLength(2);
  const audio = await api.call('GET', `/api/v1/ivrs/${ivr.id}/greeting-audio?token=${token}`);
  expect(audio.status).toBe(200);
  expect(audio.headers.get('content-type')).toContain('audio/wav');
  const wav = decodeWav(Buffer.from(await audio.arrayBuffer()));
  expect(wav).toMatchObject({ channels: 1, bitsPerSample: 16, sampleRate: 8000 });

  // The routed DID is live: the call controller would find the IVR.
  const { liveDids } = api.deps.adb.t;
  const live = await api.deps.adb.select({ org_id: liveDids.orgId, routing_type: liveDids.routingType }).from(liveDids).where(eq(liveDids.number, '+918065978001'));
  expect(live).toEqual([{ org_id: org.orgId, routing_type: 'ivr' }]);
});

it('the seed trap: a DID routed to an IVR by its extension is rejected, saying to use the UUID', async () => {
  const dids = (await (await api.call('GET', '/api/v1/dids', { token: org.token })).json()) as { id: string }[];
  const res = await api.call('PUT', `/api/v1/dids/${dids[0]!.id}`, { token: org.token, body: { routing_type: 'ivr', routing_destination: '7001' } });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: string }).error).toMatch(/UUID/);
});
