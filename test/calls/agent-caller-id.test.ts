import { afterEach, describe, expect, it } from 'vitest';
import { createCallHarness, type CallHarness } from '../originate/harness.ts';

let h: CallHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('click-to-call and the agent\'s caller-ID DID', () => {
  it('without did, the agent\'s DID is shown; a given did wins; no DID at all is a 400 naming did', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const second = '+918065900999';
    const { adb } = h.api.deps;
    await adb.insert(adb.t.dids).values({ id: 'd2', number: second, orgId: org.orgId, status: 'active', createdAt: 'x', updatedAt: 'x' });
    const agent = await h.api.call('POST', '/api/v1/agents', { token: org.token, body: { name: 'Asha', email: 'asha@example.com', password: 'Sunrise2026x', caller_id_did: org.did } });
    const { extension } = (await agent.json()) as { extension: { number: string } };

    const placed = await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { ext_no: extension.number, phone: '9944421125' } });
    expect(placed.status).toBe(200);
    const { logid } = (await placed.json()) as { logid: string };
    expect(await h.waitStatus(org, logid, ['bridged', 'ended'])).toMatchObject({ did: org.did, agent: extension.number });

    const explicit = await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { did: second, ext_no: extension.number, phone: '9944421126' } });
    const { logid: id2 } = (await explicit.json()) as { logid: string };
    expect(await h.waitStatus(org, id2, ['bridged', 'ended'])).toMatchObject({ did: second });

    const none = await h.api.call('POST', '/api/v1/calls/click-to-call', { token: org.token, body: { ext_no: '1001', phone: '9944421125' } });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ details: { fields: [{ field: 'did' }] } });
  });
});
