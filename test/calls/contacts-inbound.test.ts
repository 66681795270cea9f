/**
 * The caller's contact on an inbound call: looked up once before routing, written on the call log row, carried by
 * call.ringing and by the call log that call.hangup's webhook attaches. A lookup that fails or is late never stops
 * the call.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startController, type ControllerHarness, type ControllerOptions } from '../helpers/controller.ts';
import { insertionOrder } from '../../src/db/order.ts';

const DID = '+918065978001';
let h: ControllerHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(options: ControllerOptions): Promise<ControllerHarness> {
  const harness = (h = await startController(options));
  const did = await harness.req<{ id: string }>('POST', '/api/v1/dids', { number: DID, assign: true });
  await harness.req('PUT', `/api/v1/dids/${did.id}`, { routing_type: 'external', routing_destination: '+919800000999' });
  return harness;
}

async function dial(harness: ControllerHarness, callerIdNumber: string) {
  const call = harness.emu.placeCall({ destination: '918065978001', callerIdNumber, script: { bridge: 'answer' } });
  const summary = await call.done;
  await harness.settle();
  return { log: await harness.callLog(summary.uuid), bridge: call.recorder.commands().find((c) => c.includes('execute-app-name: bridge')) };
}

type Body = { type: string; data: Record<string, unknown> & { call?: Record<string, unknown> } };

describe('inbound calls from a saved contact', () => {
  it('the call log row, call.ringing and the call.hangup webhook carry the contact\'s id, name and variables', async () => {
    const harness = await start({ contacts: true, webhooks: true });
    await harness.req('POST', '/api/v1/webhooks', { url: 'https://example.test/hook', events: ['call.ringing', 'call.hangup'] });
    const contact = await harness.req<{ id: string }>('POST', '/api/v1/contacts', {
      name: 'John Doe', phone: '09876543210', variables: { order_id: 'ORD12345', tier: 'gold' },
    });

    const { log, bridge } = await dial(harness, '9876543210');
    expect(bridge).toContain('sofia/gateway/pstn/919800000999');
    expect(log).toMatchObject({
      caller: '+919876543210', contactId: contact.id, contactName: 'John Doe', contactVariables: { order_id: 'ORD12345', tier: 'gold' },
    });
    const ringing = harness.events.find((e) => e.type === 'call.ringing');
    expect(ringing).toMatchObject({ contact: { id: contact.id, name: 'John Doe', variables: { order_id: 'ORD12345' } } });

    await harness.outbox!.flush();
    const { adb } = harness.api.deps;
    const bodies = (await adb.select({ body: adb.t.webhookDeliveries.body }).from(adb.t.webhookDeliveries).orderBy(insertionOrder(adb, adb.t.webhookDeliveries)))
      .map((r) => JSON.parse(r.body) as Body);
    expect(bodies.map((b) => b.type)).toEqual(['call.ringing', 'call.hangup']);
    expect(bodies[0]!.data.contact).toEqual({ id: contact.id, name: 'John Doe', variables: { order_id: 'ORD12345', tier: 'gold' } });
    expect(bodies[1]!.data.call).toMatchObject({
      id: log.id, caller_number: '+919876543210', contact: { id: contact.id, name: 'John Doe', variables: { order_id: 'ORD12345', tier: 'gold' } },
    });

    // The API's call log shows the contact as it was when the call came, after the contact is gone.
    await harness.req('DELETE', `/api/v1/contacts/${contact.id}`);
    const api = await harness.req<{ contact: unknown }>('GET', `/api/v1/call-logs/${log.id}`);
    expect(api.contact).toEqual({ id: contact.id, name: 'John Doe', variables: { order_id: 'ORD12345', tier: 'gold' } });
  });

  it('an unknown caller, or another organization\'s contact, leaves the contact empty', async () => {
    const harness = await start({ contacts: true });
    const other = await harness.api.org('Other');
    await harness.api.call('POST', '/api/v1/contacts', { token: other.token, body: { name: 'Not yours', phone: '09876543210' } });
    const { log } = await dial(harness, '9876543210');
    expect(log).toMatchObject({ contactId: null, contactName: null, contactVariables: null, disposition: 'connected' });
    const api = await harness.req<{ contact: unknown }>('GET', `/api/v1/call-logs/${log.id}`);
    expect(api.contact).toBeNull();
  });

  it('a lookup that throws, or never answers, costs the call at most the bound: it routes without a contact', async () => {
    let asked = 0;
    const failing = await start({ contacts: () => { asked++; throw new Error('crm down'); } });
    const first = await dial(failing, '9876543210');
    expect(asked).toBe(1);
    expect(first.log).toMatchObject({ contactId: null, disposition: 'connected', answeredBy: '+919800000999' });
    await failing.close();

    const hanging = (h = await start({ contacts: () => new Promise(() => {}), contactLookupTimeoutMs: 30 }));
    const t0 = Date.now();
    const second = await dial(hanging, '9876543210');
    expect(second.log).toMatchObject({ contactId: null, disposition: 'connected' });
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});
