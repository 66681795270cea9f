/**
 * Every request example of IVR Solutions' document, replayed verbatim against the adapter
 * (ivrsolutions-seed-examples.ts): the status, the envelope, the shape of the documented response field by
 * field, and what the request did to our services (the effects below, per case).
 */
import { and, eq, like } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_CASES } from './ivrsolutions-seed-examples.ts';
import { AGENT, DID, DID2, buildWorld, openWorld, type World, type WorldTemplate } from './ivrsolutions-world.ts';
import { PREFIX, expectEnvelope, expectShape, replay, type Json } from './ivrsolutions-replay.ts';

let template: WorldTemplate;
let w: World | undefined;
beforeAll(async () => {
  template = await buildWorld();
}, 30_000);
afterAll(() => template.remove());
afterEach(async () => {
  await w?.close();
  w = undefined;
});

/** The first row a query finds (the world's tables through drizzle: `world.db.t`). */
const one = async <T,>(rows: Promise<T[]>): Promise<T> => (await rows)[0]!;
const ids = (data: Json[], key = 'recordid') => data.map((d) => d[key] as string).sort();
const johnAgent = (world: World) => {
  const { agents, extensions } = world.db.t;
  return one(world.db.select({ id: agents.id, enabled: agents.enabled, disabled_reason: agents.disabledReason, expires_at: agents.expiresAt })
    .from(agents).innerJoin(extensions, eq(extensions.id, agents.extensionId)).where(eq(extensions.number, '2101')));
};
/** The outbound call `id`'s columns. */
const placedCall = (world: World, id: string) => {
  const o = world.db.t.outboundCalls;
  return one(world.db.select({
    kind: o.kind, did: o.did, first_number: o.firstNumber, second_number: o.secondNumber, intro: o.intro, scheduled_at: o.scheduledAt,
    timezone: o.timezone, spec: o.spec,
  }).from(o).where(eq(o.id, id)));
};
/** Dialer 101's numbers equal to `number` (or LIKE the pattern `{ like }`), by number. */
const campaignNumbersOf = (world: World, number: string | { like: string }) => {
  const n = world.db.t.campaignNumbers;
  return world.db.select({ number: n.number, variables: n.variables }).from(n)
    .where(and(eq(n.campaignId, '101'), typeof number === 'string' ? eq(n.number, number) : like(n.number, number.like))).orderBy(n.number);
};
const pick = <T extends Record<string, unknown>, K extends keyof T>(row: T, ...keys: K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<T, K>;

/** An agent's expiry and caller-ID number. */
const agentWithDid = (world: World, agentId: string) => {
  const { agents, dids } = world.db.t;
  return one(world.db.select({ expires_at: agents.expiresAt, number: dids.number }).from(agents).innerJoin(dids, eq(dids.id, agents.callerIdDidId)).where(eq(agents.id, agentId)));
};
const noteOf = (world: World, callLogId: string) => {
  const n = world.db.t.callNotes;
  return one(world.db.select({ disposition_id: n.dispositionId, disposition: n.disposition, note: n.note }).from(n).where(eq(n.callLogId, callLogId)));
};

/** Scheduled in Asia/Kolkata: 13:00 IST is 07:30 UTC. */
const at = (iso: string) => Date.parse(iso);

/** Done before the request: what the example needs to find (or not find) in the world. */
const BEFORE: Record<string, (world: World) => Promise<void> | void> = {
  E07b: async (world) => {
    const res = await world.h.api.app.request(`${PREFIX}/api/click_connect`, {
      method: 'POST', headers: { authorization: `Bearer ${world.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ first_phone: '+919876543210', second_phone: '+919123456789', did: DID }),
    });
    expect(res.status).toBe(200);
  },
  E22: async (world) => {
    const { agents, extensions } = world.db.t;
    await world.db.update(agents).set({ enabled: false, disabledReason: 'admin' }).where(eq(agents.id, (await johnAgent(world)).id));
    await world.db.update(extensions).set({ enabled: false }).where(eq(extensions.number, '2101'));
  },
  // The world's template and contact carry the example's names: make room for the examples that create them.
  E56: async (world) => void await world.db.update(world.db.t.ttsTemplates).set({ name: 'api_order_confirm_old' }).where(eq(world.db.t.ttsTemplates.id, '101')),
  E59: async (world) => void await world.db.delete(world.db.t.contacts).where(eq(world.db.t.contacts.phone, '+919876543210')),
};

/** What each request did: the rows our services wrote, the calls they placed, the data they answered. */
const EFFECTS: Record<string, (world: World, body: Json) => Promise<void> | void> = {
  E01: (world, body) => clickToCallPlaced(world, body),
  E02: (world, body) => clickToCallPlaced(world, body),
  E03: (world, body) => clickToCallPlaced(world, body),
  E04: async (world, body) => {
    expect(body.message).toBe('Call scheduled successfully');
    expect(pick(await placedCall(world, body.logid), 'kind', 'first_number', 'second_number', 'intro', 'scheduled_at', 'timezone')).toEqual({
      kind: 'two_party', first_number: '+919876543210', second_number: '+919123456789', intro: 'Hello, connecting your call',
      scheduled_at: at('2025-12-31T07:30:00Z'), timezone: 'Asia/Kolkata',
    });
  },
  E05: (_w, body) => {
    expect(ids(body.data)).toEqual(['56789']);
    expect(body.data[0]).toMatchObject({ client_no: '+919876543210', ext_no: '2101', call_time: '2024-12-15 14:22:10' });
    expect(body.data[0].recording_url).toMatch(/^\/api\/v1\/calls\/56789\/recordings\/[0-9a-f-]+\/download$/);
  },
  E06: async (world, body) => {
    const m = world.db.t.maskingSessions;
    const session = await one(world.db.select({ status: m.status, did: m.did, first_masked: m.firstMasked, second_masked: m.secondMasked }).from(m));
    expect(session).toEqual({ status: 'active', did: DID, first_masked: '+9198******10', second_masked: '+9191******89' });
    expect(pick(await placedCall(world, body.logid), 'kind')).toEqual({ kind: 'masking' });
  },
  E07: async (world) => expect(await world.db.select().from(world.db.t.maskingSessions)).toEqual([]),
  E07b: async (world, body) => {
    expect(body.message).toBe('Session cancelled');
    const m = world.db.t.maskingSessions;
    expect(await one(world.db.select({ status: m.status, first_phone: m.firstPhone }).from(m))).toEqual({ status: 'cancelled', first_phone: null });
  },
  E08: (_w, body) => expect(body.data).toEqual([{ recordid: '91001', did_no: DID, first_number: '+9198******10', call_time: '2025-08-10 11:30:00', call_duration: 120, call_status: 'answered' }]),
  E09: (_w, body) => expect(ids(body.data, 'id')).toEqual(['1001', '1002', '1003', '102', '1701']),
  E10: async (world, body) => {
    const row = await placedCall(world, body.call_id);
    expect(pick(row, 'kind', 'did', 'first_number', 'scheduled_at', 'spec')).toEqual({ kind: 'flow', did: DID, first_number: '+919871234567', scheduled_at: at('2024-12-31T07:30:00Z'), spec: { kind: 'flow', ivrId: '1001' } });
  },
  E11: async (world, body) => {
    const row = await placedCall(world, body.call_id);
    expect(row.kind).toBe('tts');
    expect(row.first_number).toBe('+919354123456');
    expect(row.scheduled_at).toBe(at('2024-12-31T07:30:00Z'));
    expect(row.spec).toMatchObject({ kind: 'tts', templateId: '101', variables: ['John', 'ORD12345', '1500'], ivrId: '1701' });
  },
  E12: (_w, body) => {
    expect(body.data.find((d: Json) => d.id === '101')).toEqual({
      id: '101', name: 'Order Confirmation Campaign', did_no: DID, status: 'paused', start_time: '09:00', end_time: '18:00', no_of_calls: 5, total_numbers: 2, completed: 1, pending: 0,
    });
  },
  E13: async (world) => expect(await campaignNumbersOf(world, '+919876543210'))
    .toEqual([{ number: '+919876543210', variables: { name: 'John Doe', order_id: 'ORD12345' } }]),
  E14: async (world) => expect(await campaignNumbersOf(world, { like: '+91987654321%' })).toEqual([
    { number: '+919876543210', variables: { name: 'John Doe', order_id: 'ORD001' } },
    { number: '+919876543211', variables: { name: 'Jane Smith', order_id: 'ORD002' } },
    { number: '+919876543212', variables: { name: 'Bob Wilson', order_id: 'ORD003' } },
  ]),
  E15: async (world) => expect(await one(world.db.select({ status: world.db.t.campaigns.status }).from(world.db.t.campaigns).where(eq(world.db.t.campaigns.id, '101')))).toEqual({ status: 'on' }),
  E16: (_w, body) => expect(body.data).toEqual([expect.objectContaining({ name: 'December Leads', count: 0 })]),
  E17: async (world, body) => {
    const l = world.db.t.contactLists;
    expect(await one(world.db.select({ name: l.name }).from(l).where(eq(l.id, body.list_id)))).toEqual({ name: 'January Campaign 2025' });
  },
  E18: async (world, body) => {
    const c = world.db.t.campaigns;
    const row = await one(world.db.select({
      name: c.name, did: c.did, concurrency: c.concurrency, window_start: c.windowStart, window_end: c.windowEnd, days: c.days, play: c.play, status: c.status,
    }).from(c).where(eq(c.id, body.dialer_id)));
    expect(row).toEqual({
      name: 'Order Confirmation Dialer', did: DID, concurrency: 5, window_start: '09:00', window_end: '18:00', days: [0, 1, 2, 3, 4, 5, 6],
      play: { kind: 'tts', templateId: '101', ivrId: '102' }, status: 'paused',
    });
  },
  E19: async (world) => {
    const c = world.db.t.campaigns;
    expect(await one(world.db.select({ name: c.name, concurrency: c.concurrency, status: c.status }).from(c).where(eq(c.id, '105')))).toEqual({ name: 'Reminder Dialer', concurrency: 5, status: 'off' });
  },
  E20: async (world) => expect(await world.db.select().from(world.db.t.campaignNumbers).where(eq(world.db.t.campaignNumbers.number, '+919876543210'))).toEqual([]),
  E20b: async (world, body) => {
    expect(body.message).toBe('1 record added to dialer successfully');
    expect((await campaignNumbersOf(world, '+919876543210')).map((r) => pick(r, 'variables'))).toEqual([{ variables: { name: 'John Doe' } }]);
  },
  E21: async (world, body) => expect(pick(await placedCall(world, body.call_id), 'kind', 'did', 'first_number', 'spec'))
    .toEqual({ kind: 'flow', did: DID, first_number: '+919876543210', spec: { kind: 'flow', ivrId: '1001' } }),
  E22: async (world) => {
    expect(await johnAgent(world)).toMatchObject({ enabled: true, disabled_reason: null });
    const e = world.db.t.extensions;
    expect(await one(world.db.select({ enabled: e.enabled }).from(e).where(eq(e.number, '2101')))).toEqual({ enabled: true });
  },
  E23: async (world, body) => {
    expect(body.data).toMatchObject({ ext_no: '1001', name: 'John Doe', email: 'john.doe@company.com' });
    const { agents, users } = world.db.t;
    expect(await one(world.db.select({ phone: agents.phone, role: users.role }).from(agents).innerJoin(users, eq(users.id, agents.userId)).where(eq(agents.id, body.data.agent_id))))
      .toEqual({ phone: '+919876543210', role: 'member' });
  },
  E24: async (world) => expect(pick(await agentWithDid(world, (await johnAgent(world)).id), 'number')).toEqual({ number: DID }),
  E25: (_w, body) => expect(body.data.find((a: Json) => a.ext_no === '2101')).toMatchObject({ name: 'John Doe', email: AGENT.email, phone: AGENT.phone, status: '1', did: DID2, expiry_date: null }),
  E26: (_w, body) => expect(body.data.find((e: Json) => e.ext_no === '2101')).toMatchObject({ status: '1', agent_name: 'John Doe', registered: null }),
  E27: (_w, body) => expect(body.data).toMatchObject({ ext_no: '2101', agent_name: 'John Doe', did: DID2, expiry_date: null }),
  E28: async (world) => expect(await johnAgent(world)).toMatchObject({ enabled: false, disabled_reason: 'admin' }),
  E29: async (world) => expect(await johnAgent(world)).toMatchObject({ enabled: true, expires_at: '2025-12-31T18:30:00.000Z' }),
  E30: async (world) => expect(await world.db.select().from(world.db.t.users).where(eq(world.db.t.users.email, 'user@company.com'))).toEqual([]),
  E30b: async (world, body) => {
    expect(body.data.ext_no).toBe('2110');
    expect(await agentWithDid(world, body.data.agent_id)).toEqual({ expires_at: '2025-12-31T18:30:00.000Z', number: DID });
  },
  E31: (_w, body) => {
    expect(ids(body.data)).toEqual(['12345', '12346', '56789', '78901', '78902']);
    expect(body.data.find((d: Json) => d.recordid === '12345')).toMatchObject({
      did_no: DID, client_no: '+919876543210', agent_no: AGENT.phone, attended_by: 'John Doe', ext_no: '2101', call_time: '2024-12-15 10:30:45',
      call_duration: 185, call_status: 'answered', call_type: 'inbound', dtmf_input: '1',
    });
  },
  E32: (_w, body) => expect(ids(body.data)).toEqual(['12345', '56789']),
  E33: (_w, body) => expect(body.data[0]).toMatchObject({ recordid: '56789', agent_no: AGENT.phone, agent_name: 'John Doe', call_duration: 245, call_status: 'answered' }),
  E34: (_w, body) => expect(ids(body.data)).toEqual(['56789']),
  E35: (_w, body) => expect(body.data.map((d: Json) => [d.id, d.dialer_id, d.customer_no, d.call_status, d.dtmf_input])).toEqual([
    ['78902', '101', '+919800000002', 'no_answer', ''], ['78901', '101', '+919800000001', 'answered', '1'],
  ]),
  E36: (_w, body) => expect(body.data.map((d: Json) => d.id)).toEqual(['1', '2', '3', '4', '5', '6', '7']),
  E37: async (world) => expect(await noteOf(world, '12345'))
    .toEqual({ disposition_id: '1', disposition: 'Interested', note: 'Customer interested in premium plan. Follow up next week.' }),
  E38: (_w, body) => {
    expect(ids(body.call_logs)).toEqual(['12345', '12346', '91001']);
    expect(ids(body.click_to_call_logs)).toEqual(['56789']);
    expect(ids(body.dialer_logs)).toEqual(['78901', '78902']);
  },
  E39: async (world) => expect(pick(await noteOf(world, '56789'), 'disposition', 'note')).toEqual({ disposition: 'Interested', note: 'Customer requested a callback' }),
  E40: (_w, body) => expect(body.data).toEqual([
    { did_number: DID, region: 'Delhi', status: 'active', type: null }, { did_number: DID2, region: 'Delhi', status: 'active', type: null },
  ]),
  E41: (_w, body) => expect(body.data).toEqual([{ id: '91-11', name: 'Delhi', code: '011' }]),
  E42b: (_w, body) => expect(body).toMatchObject({ cost: null, currency: null }),
  E43: async (world, body) => {
    const d = world.db.t.dids;
    expect(await one(world.db.select({ org_id: d.orgId }).from(d).where(eq(d.number, body.data)))).toEqual({ org_id: world.org.orgId });
  },
  E44: (_w, body) => expect(body.data.map((d: Json) => d.did_number)).toEqual([DID, DID2]),
  E45b: (_w, body) => expect(body.data).toEqual(['+911143104503']),
  E46b: async (world, body) => {
    expect(body.data).toMatchObject({ ext_no: '2111', did_no: DID2 });
    const { dids, liveDids } = world.db.t;
    expect(await one(world.db.select({ routing_type: dids.routingType, routing_destination: dids.routingDestination }).from(dids).where(eq(dids.number, DID2))))
      .toEqual({ routing_type: 'extension', routing_destination: '2111' });
    expect(await one(world.db.select({ routing_type: liveDids.routingType, routing_destination: liveDids.routingDestination }).from(liveDids).where(eq(liveDids.number, DID2))))
      .toEqual({ routing_type: 'extension', routing_destination: '2111' });
  },
  E49: (_w, body) => expect(body.data.map((d: Json) => [d.did_number, d.last_call_time])).toEqual([[DID, '2025-08-10 11:30:00'], [DID2, null]]),
  E50: (_w, body) => expect(body.data).toEqual([expect.objectContaining({ did_number: DID2, ext_no: '2101' })]),
  E51: (_w, body) => expect(body.data).toEqual([{ id: '4821', name: 'Sales bot', ws_url: 'wss://bots.example.com/sales', language: 'en-IN', dialect: 'native' }]),
  E52: async (world) => expect(await world.db.select().from(world.db.t.outboundCalls).where(eq(world.db.t.outboundCalls.kind, 'bot'))).toEqual([]),
  E52b: async (world, body) => {
    const row = await placedCall(world, body.call_id);
    expect(row).toMatchObject({ did: DID2, first_number: '+919876543210', scheduled_at: at('2025-12-31T07:30:00Z') });
    expect(row.spec).toMatchObject({
      kind: 'bot', agentId: null, agentExtension: '2101',
      target: { wsUrl: 'wss://example.com/stream', headers: { Authorization: 'Bearer xyz' }, systemPrompt: 'You are a helpful assistant.', language: 'en-IN', openingText: 'Hi, this is an automated call.' },
      parameters: { connect: 'answer', system_msg: 'You are a helpful assistant.', text: 'Hi, this is an automated call.', language: 'en-IN' },
    });
  },
  E53: async (world, body) => expect((await placedCall(world, body.call_id)).spec).toMatchObject({ kind: 'bot', agentId: '4821', target: null }),
  E54: (_w, body) => expect(ids(body.data, 'id')).toEqual(['4821']),
  E55: (_w, body) => expect(body.status).toBe(false),
  E55b: (_w, body) => expect(body.data).toMatchObject({ id: '4821', system_prompt: 'Sell politely.', opening_text: null, audio_format: 'l16_16k' }),
  E56: async (world, body) => {
    const t = world.db.t.ttsTemplates;
    expect(await one(world.db.select({ name: t.name, text: t.text }).from(t).where(eq(t.id, body.template_id)))).toEqual({ name: 'api_order_confirm', text: 'Press 1 to confirm your order.' });
  },
  E57: (_w, body) => expect(body.data).toMatchObject({ id: '101', template_name: 'api_order_confirm', status: 'ready' }),
  E58: (_w, body) => expect(body.data.map((t: Json) => t.template_name)).toEqual(['api_order_confirm']),
  E59: async (world, body) => {
    const c = world.db.t.contacts;
    expect(await one(world.db.select({ name: c.name, phone: c.phone }).from(c).where(eq(c.id, body.contact_id)))).toEqual({ name: 'John Doe', phone: '+919876543210' });
  },
  E60: (_w, body) => expect(body.data).toMatchObject({ name: 'John Doe', number: '+919876543210', variables: { order_id: 'ORD12345' } }),
  E61: (_w, body) => expect(body.data).toMatchObject({ name: 'John Doe', number: '+919876543210' }),
  E62: (_w, body) => expect(body.data.map((v: Json) => v.key)).toContain('contact_order_id'),
  E63: (_w, body) => {
    expect(body.data.contact).toMatchObject({ name: 'John Doe', number: '+919876543210' });
    expect(ids(body.data.calls)).toEqual(['12345', '56789']);
  },
  E64: async (world) => expect(await world.db.select().from(world.db.t.webhookEndpoints)).toEqual([]),
  E64b: async (world, body) => {
    expect(body.events).toEqual(['call.ringing', 'call.answered', 'call.dtmf', 'call.hangup']);
    const e = world.db.t.webhookEndpoints;
    expect(await one(world.db.select({ url: e.url, secret: e.secret }).from(e).where(eq(e.id, body.webhook_id)))).toEqual({ url: 'https://yourapp.com/webhooks/ivr', secret: 'whsec_abc123abc123abc123' });
  },
  E65: (_w, body) => expect(body.data.find((l: Json) => l.phone === '+919876543210')).toMatchObject({ calls: 2, last_call_id: '56789', last_call_type: 'click_to_call' }),
};

/** Click-to-call: the agent's extension rings first, then the customer, showing the DID. */
async function clickToCallPlaced(world: World, body: Json): Promise<void> {
  const status = await world.h.waitStatus(world.org, body.logid, ['bridged', 'ended']);
  expect(status).toMatchObject({ type: 'click_to_call', agent: '2101', did: DID, second_number: '+919876543210' });
  const originate = world.h.emu.commandLog.find((l) => l.startsWith('bgapi originate'))!;
  expect(originate).toContain('user/2101@');
  expect(originate).toContain(`effective_caller_id_number=${DID}`);
  expect(originate).toContain('sofia/gateway/pstn/+919876543210');
}

describe('IVR Solutions: every request example of the document, replayed', () => {
  it('every case has its effect checked, and every effect names a case', () => {
    const caseIds = SEED_CASES.map((c) => c.id);
    expect(new Set(caseIds).size).toBe(caseIds.length);
    expect(caseIds.filter((id) => !EFFECTS[id] && SEED_CASES.find((c) => c.id === id)!.expect.status === 200)).toEqual([]);
    expect(Object.keys(EFFECTS).filter((id) => !caseIds.includes(id))).toEqual([]);
  });

  for (const c of SEED_CASES) {
    it(`${c.id} ${c.method} ${c.path}${c.variantOf ? ` (variant of ${c.variantOf})` : ''}: ${c.endpoint}`, async () => {
      w = await openWorld(template);
      if (c.clock) {
        const fixed = new Date(c.clock);
        w.h.api.deps.now = () => fixed;
      }
      await BEFORE[c.id]?.(w);
      const { status, body } = await replay(w, c);
      if (c.expect.status === 400) {
        expect(status, JSON.stringify(body)).toBe(400);
        const style = typeof body.status === 'boolean' ? false : 400;
        expect(body.status).toBe(style);
        expect(typeof body.message).toBe('string');
        expect((body.errors as Json[]).map((e) => e.field).sort()).toEqual([...c.expect.refused].sort());
        for (const e of body.errors as Json[]) expect(e.message.length).toBeGreaterThan(10);
      } else {
        expect(status, JSON.stringify(body)).toBe(200);
        expect([200, true]).toContain(body.status);
        if (c.documented) {
          expectEnvelope(body, c.documented);
          expectShape(body, c.documented, new Set(c.nullable ?? []));
        }
      }
      await EFFECTS[c.id]?.(w, body);
    });
  }
});
