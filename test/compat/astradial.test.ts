/**
 * Astradial's IVR API (seed 000) and DID API (seed 001) are our native /api/v1: every request example of both
 * documents, replayed as written (method, path, headers, body text), against a fresh organization holding what the
 * examples name: the IVR 2d7a59e9-… (extension 7001), the DID b71f116a-… (+918065978001), user extension 1001 and
 * queues 5001/5002. The only substitutions are the credentials (`<jwt>`, `$JWT`, `ak_your_api_key`) and the `<id>`
 * placeholders, which take the documents' own ids. Responses are checked field by field against the documented
 * examples (test/compat/shape.ts).
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { greetingFilePath } from '../../src/services/ivrs/greeting.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';
import { addExtension, addQueue, apiKeyWith } from '../api/ivrs.fixtures.ts';
import { expectShape } from './shape.ts';

const IVR_ID = '2d7a59e9-4304-4032-a0c1-f8df2429751c';
const DID_ID = 'b71f116a-2b3c-11f1-9598-00505661ece1';
const POOL_DID_ID = 'c0ffee00-2b3c-11f1-9598-00505661ece1';

/** Documented response examples, as the documents print them. */
const DOC_IVR = {
  id: '2d7a59e9-4304-4032-a0c1-f8df2429751c',
  org_id: '7f3d2fd5-347e-4cc2-a2d0-a9a5e0f78f79',
  name: 'Main Menu',
  extension: '7001',
  greeting_prompt: 'greeting_ivr_2d7a59e9-4304-4032-a0c1-f8df2429751c',
  greeting_text: 'Welcome to Acme. Press 1 for sales, 2 for support.',
  greeting_language: 'en-IN',
  greeting_voice: 'en-IN-Wavenet-D',
  timeout: 10,
  max_retries: 3,
  enable_direct_dial: false,
  status: 'active',
  createdAt: '2026-04-23T10:00:00Z',
  updatedAt: '2026-04-23T10:30:00Z',
};
const DOC_GREETING = { success: true, greeting_prompt: 'greeting_ivr_2d7a59e9-4304-4032-a0c1-f8df2429751c', language: 'en-IN', voice: 'en-IN-Wavenet-D' };
const DOC_PUBLISH = { success: true, message: 'Configuration deployed for organization Acme' };
const DOC_DID = {
  id: 'b71f116a-2b3c-11f1-9598-00505661ece1',
  number: '+918065978001',
  routing_type: 'ivr',
  routing_destination: '2d7a59e9-4304-4032-a0c1-f8df2429751c',
  description: 'Main line',
  status: 'active',
};
/** What the menu example's options become (the document shows no response; `order` is the saved position, from 0). */
const MENU_OPTION = { id: '', ivr_id: IVR_ID, digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales', order: 0, createdAt: '', updatedAt: '' };

let api: AsyncTestApi;
let org: TestOrg;

/** The organization the examples assume: Acme, with the documents' IVR, DID, extension and queues. */
async function seedFixtures(): Promise<void> {
  const db = api.deps.adb;
  const { dids, ivrMenuOptions, ivrs } = db.t;
  await addExtension(api, org.orgId, '1001', 'Receptionist');
  await addQueue(api, org.orgId, '5001', 'Sales');
  await addQueue(api, org.orgId, '5002', 'Support');
  await db.insert(ivrs).values({
    id: IVR_ID, orgId: org.orgId, name: 'Main Menu', extension: '7001', greetingPrompt: DOC_IVR.greeting_prompt, greetingText: DOC_IVR.greeting_text,
    createdAt: DOC_IVR.createdAt, updatedAt: DOC_IVR.updatedAt,
  });
  await db.insert(ivrMenuOptions).values({ ivrId: IVR_ID, orgId: org.orgId, digit: '1', actionType: 'queue', destination: '5001', description: 'Sales' });
  await db.insert(dids).values({ id: DID_ID, orgId: org.orgId, number: '+918065978001', routingType: 'ivr', routingDestination: IVR_ID, description: 'Main line' });
  await db.insert(dids).values({ id: POOL_DID_ID, orgId: null, number: '+918065978002', description: 'Pool number' });
}

beforeEach(async () => {
  api = await openTestApi();
  org = await api.org('Acme');
  await seedFixtures();
});
afterEach(() => api.close());

interface Example {
  /** Seed document and the heading the example sits under. */
  doc: '000' | '001';
  heading: string;
  method: string;
  /** As printed, `<id>` / `{id}` included. */
  path: string;
  /** As printed; credentials are substituted. */
  headers: Record<string, string>;
  /** The -d text as printed. */
  body?: string;
  /** Runs before the request (e.g. the greeting the audio example downloads). */
  before?: () => Promise<void>;
  status: number;
  /** The documented response, when the document prints one. */
  response?: unknown;
  check?: (res: Response, body: unknown) => void | Promise<void>;
}

const JWT = { Authorization: 'Bearer <jwt>' };
const JWT_JSON = { Authorization: 'Bearer <jwt>', 'Content-Type': 'application/json' };
const SH_JWT_JSON = { Authorization: 'Bearer $JWT', 'Content-Type': 'application/json' };

const generateGreeting = async () => {
  const res = await api.call('POST', `/api/v1/ivrs/${IVR_ID}/generate-greeting`, { token: org.token, body: { text: 'Welcome.' } });
  expect(res.status).toBe(200);
};

const EXAMPLES: Example[] = [
  {
    doc: '000', heading: 'List IVRs', method: 'GET', path: '/api/v1/ivrs', headers: JWT, status: 200, response: [DOC_IVR],
    check: (_res, body) => {
      // The fixture holds the document's values: everything but org_id is the example itself.
      const { org_id: _org, ...rest } = DOC_IVR;
      expect((body as unknown[])[0]).toMatchObject({ ...rest, org_id: org.orgId });
    },
  },
  {
    doc: '000', heading: 'Get a single IVR (with menu options)', method: 'GET', path: `/api/v1/ivrs/${IVR_ID}`, headers: JWT, status: 200,
    response: { ...DOC_IVR, menuOptions: [MENU_OPTION] },
    check: (_res, body) => expect((body as { menuOptions: unknown[] }).menuOptions).toMatchObject([{ digit: '1', action_type: 'queue', action_destination: '5001' }]),
  },
  {
    doc: '000', heading: 'Create an IVR', method: 'POST', path: '/api/v1/ivrs', headers: JWT_JSON,
    before: async () => {
      // The document creates "Main Menu" on 7001; the fixture's IVR holds that number, so it makes way.
      const { adb } = api.deps;
      await adb.delete(adb.t.dids).where(eq(adb.t.dids.id, DID_ID));
      await adb.delete(adb.t.ivrs).where(eq(adb.t.ivrs.id, IVR_ID));
    },
    body: `{
    "name": "Main Menu",
    "extension": "7001",
    "description": "Primary reception IVR",
    "timeout": 10,
    "max_retries": 3,
    "enable_direct_dial": false,
    "greeting_language": "en-IN",
    "greeting_voice": "en-IN-Wavenet-D"
  }`,
    status: 201, response: { ...DOC_IVR, greeting_prompt: null, greeting_text: null },
    check: (_res, body) => expect(body).toMatchObject({
      name: 'Main Menu', extension: '7001', description: 'Primary reception IVR', timeout: 10, max_retries: 3, enable_direct_dial: false,
      greeting_language: 'en-IN', greeting_voice: 'en-IN-Wavenet-D', greeting_prompt: null, status: 'active',
    }),
  },
  {
    doc: '000', heading: 'Update an IVR', method: 'PUT', path: '/api/v1/ivrs/<id>', headers: JWT_JSON,
    body: `{
    "timeout": 15,
    "max_retries": 2
  }`,
    status: 200, response: DOC_IVR,
    check: (_res, body) => expect(body).toMatchObject({ id: IVR_ID, timeout: 15, max_retries: 2, name: 'Main Menu' }),
  },
  {
    doc: '000', heading: 'Delete an IVR', method: 'DELETE', path: '/api/v1/ivrs/<id>', headers: JWT,
    before: async () => {
      await generateGreeting();
      // The document's DID "still has routing_type=ivr": take it off first for the plain 204 (the dead-DID answer is below).
      const { adb } = api.deps;
      await adb.update(adb.t.dids).set({ routingType: null, routingDestination: null }).where(eq(adb.t.dids.id, DID_ID));
    },
    status: 204,
    check: async () => {
      const { adb } = api.deps;
      expect(await adb.select().from(adb.t.ivrMenuOptions).where(eq(adb.t.ivrMenuOptions.ivrId, IVR_ID))).toEqual([]);
      expect(existsSync(greetingFilePath(api.config, IVR_ID))).toBe(false);
    },
  },
  {
    doc: '000', heading: 'Delete an IVR (a DID still routed to it)', method: 'DELETE', path: '/api/v1/ivrs/<id>', headers: JWT, status: 200,
    check: async (_res, body) => {
      expect(body).toMatchObject({ success: true, dead_dids: [{ id: DID_ID, number: '+918065978001' }] });
      // "The DID still has routing_type=ivr but the destination UUID is dead".
      const did = (await (await api.call('GET', `/api/v1/dids/${DID_ID}`, { token: org.token })).json()) as Record<string, unknown>;
      expect(did).toMatchObject({ routing_type: 'ivr', routing_destination: IVR_ID });
    },
  },
  {
    doc: '000', heading: 'Save menu options', method: 'PUT', path: '/api/v1/ivrs/<id>/menu', headers: JWT_JSON,
    body: `{
    "options": [
      {
        "digit": "1",
        "action_type": "queue",
        "action_destination": "5001",
        "description": "Sales",
        "order": 1
      },
      {
        "digit": "2",
        "action_type": "extension",
        "action_destination": "1001",
        "description": "Receptionist",
        "order": 2
      },
      {
        "digit": "0",
        "action_type": "hangup",
        "action_destination": null,
        "description": "End call",
        "order": 3
      }
    ]
  }`,
    status: 200, response: { ...DOC_IVR, menuOptions: [MENU_OPTION] },
    // `order` sorts the saved menu (here it already is the body order); the response numbers positions from 0.
    check: (_res, body) => expect((body as { menuOptions: unknown[] }).menuOptions).toMatchObject([
      { digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales', order: 0 },
      { digit: '2', action_type: 'extension', action_destination: '1001', description: 'Receptionist', order: 1 },
      { digit: '0', action_type: 'hangup', action_destination: null, description: 'End call', order: 2 },
    ]),
  },
  {
    doc: '000', heading: 'Generate a TTS greeting', method: 'POST', path: '/api/v1/ivrs/<id>/generate-greeting', headers: JWT_JSON,
    body: `{
    "text": "Welcome to Acme. Press 1 for sales, 2 for support, 0 for operator.",
    "language": "en-IN",
    "voice": "en-IN-Wavenet-D"
  }`,
    status: 200, response: DOC_GREETING,
    check: (_res, body) => expect(body).toMatchObject(DOC_GREETING),
  },
  {
    doc: '000', heading: 'Preview the generated audio', method: 'GET', path: '/api/v1/ivrs/<id>/greeting-audio', headers: JWT,
    before: generateGreeting, status: 200,
    check: async (res) => {
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await res.clone().arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('RIFF');
    },
  },
  {
    doc: '000', heading: 'Publish an IVR', method: 'POST', path: '/api/v1/ivrs/<id>/publish', headers: JWT, status: 200, response: DOC_PUBLISH,
    check: (_res, body) => expect(body).toMatchObject(DOC_PUBLISH),
  },
  {
    doc: '000', heading: 'Authentication (an API key with ivr.* permissions)', method: 'GET', path: '/api/v1/ivrs', headers: { 'X-API-Key': 'ak_your_api_key' },
    status: 200, response: [DOC_IVR],
  },
  {
    doc: '001', heading: 'List your phone numbers', method: 'GET', path: '/api/v1/dids', headers: { Authorization: 'Bearer $JWT' }, status: 200, response: [DOC_DID],
    check: (_res, body) => expect(body).toMatchObject([DOC_DID]),
  },
  ...([
    ['Route to an extension', '{"routing_type":"extension","routing_destination":"1001"}', 'extension', '1001'],
    ['Route to a queue', '{"routing_type":"queue","routing_destination":"5001"}', 'queue', '5001'],
    ['Route to an IVR', '{"routing_type":"ivr","routing_destination":"2d7a59e9-4304-4032-a0c1-f8df2429751c"}', 'ivr', IVR_ID],
    ['Forward to an external number', '{"routing_type":"external","routing_destination":"+919944421125"}', 'external', '+919944421125'],
    ['Hand off to an AI agent', '{"routing_type":"ai_agent","routing_destination":"wss://gateway.astradial.com/ws/bot-id"}', 'ai_agent', 'wss://gateway.astradial.com/ws/bot-id'],
  ] as const).map(([heading, body, type, destination]): Example => ({
    doc: '001', heading: `Update routing for a DID: ${heading}`, method: 'PUT', path: '/api/v1/dids/<id>', headers: SH_JWT_JSON, body, status: 200, response: DOC_DID,
    check: async (_res, json) => {
      expect(json).toMatchObject({ ...DOC_DID, routing_type: type, routing_destination: destination });
      // "Updates regenerate the dialplan automatically": the number is live with its new routing.
      const { adb } = api.deps;
      const { liveDids } = adb.t;
      const live = await adb.select({ routing_type: liveDids.routingType, destination: liveDids.routingDestination }).from(liveDids).where(eq(liveDids.number, '+918065978001'));
      expect(live).toEqual([{ routing_type: type, destination }]);
    },
  })),
  {
    doc: '001', heading: 'Request a DID from the pool', method: 'POST', path: `/api/v1/did-pool/${POOL_DID_ID}/request`, headers: { Authorization: 'Bearer $JWT' }, status: 200,
    check: (_res, body) => expect(body).toMatchObject({ did: { id: POOL_DID_ID, number: '+918065978002', org_id: org.orgId } }),
  },
  {
    doc: '001', heading: 'Release a DID back to the pool', method: 'POST', path: `/api/v1/did-pool/${DID_ID}/release`, headers: { Authorization: 'Bearer $JWT' }, status: 200,
    check: (_res, body) => expect(body).toMatchObject({ did: { id: DID_ID, org_id: null, routing_type: null } }),
  },
];

/** The credentials and `<id>` placeholders filled in; nothing else of the example changes. */
async function substitute(ex: Example): Promise<{ path: string; headers: Record<string, string> }> {
  const placeholderId = ex.path.startsWith('/api/v1/dids/') ? DID_ID : IVR_ID;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(ex.headers)) {
    headers[k] = v === 'ak_your_api_key' ? await apiKeyWith(api, org, ['ivr.*']) : v.replace('<jwt>', org.token).replace('$JWT', org.token);
  }
  return { path: ex.path.replace('<id>', placeholderId), headers };
}

describe('every request example of the Astradial IVR and DID documents runs verbatim', () => {
  it.each(EXAMPLES.map((e) => [`${e.doc} ${e.heading}`, e] as const))('%s', async (_title, ex) => {
    await ex.before?.();
    const { path, headers } = await substitute(ex);
    const res = await api.app.request(path, { method: ex.method, headers, ...(ex.body !== undefined && { body: ex.body }) });
    const text = await res.clone().text();
    expect(res.status, text).toBe(ex.status);
    const isJson = res.headers.get('content-type')?.includes('application/json');
    const body: unknown = isJson ? JSON.parse(text) : undefined;
    if (ex.response !== undefined) expectShape(body, ex.response, { extraKeys: 'any' });
    await ex.check?.(res, body);
  });
});

describe('the documented error responses', () => {
  const create = (headers: Record<string, string>, body: string) => api.app.request('/api/v1/ivrs', { method: 'POST', headers, body });
  const json = { 'Content-Type': 'application/json' };
  const ERROR = { error: 'message', code: 'code' };

  it('400 Missing or invalid field', async () => {
    const res = await create({ ...json, Authorization: `Bearer ${org.token}` }, '{"extension":"7002"}');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { fields: { field: string }[] } };
    expectShape(body, ERROR, { extraKeys: ['details'] });
    expect(body.details.fields.map((f) => f.field)).toEqual(['name']);
  });

  it('401 No auth', async () => {
    const res = await api.app.request('/api/v1/ivrs');
    expect(res.status).toBe(401);
    expectShape(await res.json(), ERROR);
  });

  it('403 Permission denied (an API key without ivr.write)', async () => {
    const key = await apiKeyWith(api, org, ['ivr.read']);
    const res = await create({ ...json, 'X-API-Key': key }, '{"name":"Main","extension":"7099"}');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden', details: { missing_permission: 'ivr.write' } });
  });

  it('404 IVR not found (or not in your organization)', async () => {
    const other = await api.org('Other');
    const res = await api.app.request(`/api/v1/ivrs/${IVR_ID}`, { headers: { Authorization: `Bearer ${other.token}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'IVR not found', code: 'not_found' });
  });

  it('409 Extension conflict', async () => {
    const res = await create({ ...json, Authorization: `Bearer ${org.token}` }, '{"name":"Second","extension":"5001"}');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'conflict', error: 'Extension 5001 is already used by queue "Sales"' });
  });
});

describe('End-to-end example: create a working IVR, as printed', () => {
  it('runs the five steps with $JWT, $IVR_ID and $DID_ID filled in', async () => {
    // The script's `jq -r '.[0].id'` takes the first listed DID: a fresh organization whose only number is that one.
    await api.close();
    api = await openTestApi();
    org = await api.org('Acme');
    await addExtension(api, org.orgId, '1001');
    await addQueue(api, org.orgId, '5001', 'Sales');
    await addQueue(api, org.orgId, '5002', 'Support');
    await api.deps.adb.insert(api.deps.adb.t.dids).values({ id: DID_ID, orgId: org.orgId, number: '+918065978001', description: 'Main line' });
    const send = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
      const res = await api.app.request(path, { method, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('$JWT', org.token)])), body });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null, text };
    };
    const auth = { Authorization: 'Bearer $JWT' };

    const s1 = await send('POST', '/api/v1/ivrs', SH_JWT_JSON, '{"name":"Main","extension":"7099","timeout":10,"max_retries":3}');
    expect(s1.status, s1.text).toBe(201);
    const ivrId = (s1.json as { id: string }).id;

    const s2 = await send('POST', `/api/v1/ivrs/${ivrId}/generate-greeting`, SH_JWT_JSON, '{"text":"Welcome. Press 1 for sales, 2 for support.","language":"en-IN","voice":"en-IN-Wavenet-D"}');
    expect(s2.status, s2.text).toBe(200);
    expectShape(s2.json, DOC_GREETING, { extraKeys: 'any' });

    const s3 = await send('PUT', `/api/v1/ivrs/${ivrId}/menu`, SH_JWT_JSON, `{"options":[
    {"digit":"1","action_type":"queue","action_destination":"5001","description":"Sales","order":1},
    {"digit":"2","action_type":"queue","action_destination":"5002","description":"Support","order":2}
  ]}`);
    expect(s3.status, s3.text).toBe(200);

    const s4 = await send('POST', `/api/v1/ivrs/${ivrId}/publish`, auth);
    expect(s4.status, s4.text).toBe(200);
    expect(s4.json).toMatchObject(DOC_PUBLISH);

    const s5a = await send('GET', '/api/v1/dids', auth);
    const didId = (s5a.json as { id: string }[])[0]!.id;
    const s5b = await send('PUT', `/api/v1/dids/${didId}`, SH_JWT_JSON, `{"routing_type":"ivr","routing_destination":"${ivrId}"}`);
    expect(s5b.status, s5b.text).toBe(200);
    expect(s5b.json).toMatchObject({ ...DOC_DID, routing_destination: ivrId });
  });
});
