import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { publish } from '../../src/publish/publish.ts';
import { isLoopback } from '../../src/http/local-access.ts';
import { escapeXml } from '../../src/http/routes/xml-curl/xml.ts';
import { addExtension, addQueue, addQueueAgent, seedValid } from '../publish/seed-async.ts';

const TOKEN = 'xml-curl-token-0123456789';
const NOT_FOUND = '<document type="freeswitch/xml"><section name="result"><result status="not found"/></section></document>';

let api: AsyncTestApi;
afterEach(async () => {
  const open = api as AsyncTestApi | undefined;
  api = undefined as unknown as AsyncTestApi; // a test that opens none must not close the previous one again
  await open?.close();
});

function fetchXml(fields: Record<string, string>, token: string | null = TOKEN) {
  const qs = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return api.app.request(`/freeswitch/xml-curl${qs}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ hostname: 'fs1', 'Event-Name': 'REQUEST_PARAMS', ...fields }).toString(),
  });
}

const directory = (user: string, domain: string) =>
  fetchXml({ section: 'directory', tag_name: 'domain', key_name: 'name', key_value: domain, user, domain, action: 'sip_auth' });

async function publishedOrg(name = 'Acme') {
  const org = await api.org(name);
  await seedValid(api.deps.adb, org.orgId);
  await publish(api.deps.adb, org.orgId, { soundsDir: api.dataDir });
  return org;
}

describe('POST /freeswitch/xml-curl directory', () => {
  it('serves a published, enabled extension of the domain\'s org', async () => {
    api = await openTestApi({}, { XML_CURL_TOKEN: TOKEN });
    const org = await publishedOrg();
    await api.deps.adb.update(api.deps.adb.t.extensions).set({ name: 'Asha "A" <Sales> & Co' });
    const res = await directory('1001', org.sipDomain);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toBe(
      `<document type="freeswitch/xml"><section name="directory"><domain name="${org.sipDomain}">` +
      '<params><param name="dial-string" value="{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}${sofia_contact(*/${dialed_user}@${dialed_domain})}"/></params>' +
      '<groups><group name="default"><users><user id="1001"><params><param name="password" value="pw-1001-secret"/><param name="vm-password" value="pw-1001-secret"/></params>' +
      '<variables><variable name="user_context" value="default"/><variable name="effective_caller_id_name" value="Asha &quot;A&quot; &lt;Sales&gt; &amp; Co"/>' +
      `<variable name="effective_caller_id_number" value="1001"/><variable name="org_id" value="${org.orgId}"/></variables></user></users></group></groups></domain></section></document>`,
    );
  });

  it('not found: unknown user or domain, unpublished or disabled extension, other sections', async () => {
    api = await openTestApi({}, { XML_CURL_TOKEN: TOKEN });
    const org = await publishedOrg();
    const other = await api.org('Other'); // never published
    await addExtension(api.deps.adb, other.orgId, '1001');
    await addExtension(api.deps.adb, org.orgId, '1002'); // draft only
    for (const [user, domain] of [['1999', org.sipDomain], ['1001', 'nope.sip.local'], ['1002', org.sipDomain], ['1001', other.sipDomain], ['', org.sipDomain]] as const) {
      const res = await directory(user, domain);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(NOT_FOUND);
    }
    await api.deps.adb.update(api.deps.adb.t.extensions).set({ enabled: false }).where(eq(api.deps.adb.t.extensions.orgId, org.orgId));
    expect(await (await directory('1001', org.sipDomain)).text()).toBe(NOT_FOUND);
    const gateways = await fetchXml({ section: 'directory', tag_name: 'domain', key_name: 'name', key_value: org.sipDomain, user: '1001', domain: org.sipDomain, purpose: 'gateways' });
    expect(await gateways.text()).toBe(NOT_FOUND);
    expect(await (await fetchXml({ section: 'dialplan', 'Caller-Destination-Number': '1001' })).text()).toBe(NOT_FOUND);
    expect(await (await fetchXml({ section: 'configuration', key_value: 'sofia.conf' })).text()).toBe(NOT_FOUND);
  });

  it('403 for a missing or wrong token, and for non-local callers when no token is configured', async () => {
    api = await openTestApi({}, { XML_CURL_TOKEN: TOKEN });
    const org = await publishedOrg();
    expect((await fetchXml({ section: 'directory', user: '1001', domain: org.sipDomain }, 'wrong-token')).status).toBe(403);
    const missing = await fetchXml({ section: 'directory', user: '1001', domain: org.sipDomain }, null);
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({ error: 'Invalid or missing xml_curl token', code: 'forbidden' });
    await api.close();

    api = await openTestApi();
    const res = await fetchXml({ section: 'configuration', key_value: 'callcenter.conf' }, null);
    expect(res.status).toBe(403); // app.request has no socket: never treated as local
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('10.0.0.5')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});

describe('loopback access without a token', () => {
  it('answers a real local socket (getConnInfo) when XML_CURL_TOKEN is unset', async () => {
    api = await openTestApi();
    const org = await publishedOrg();
    const server = serve({ fetch: api.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => server.once('listening', () => r()));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/freeswitch/xml-curl`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ section: 'directory', user: '1001', domain: org.sipDomain }).toString(),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<user id="1001">');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('POST /freeswitch/xml-curl callcenter.conf', () => {
  it('builds queues, agents and tiers from every org\'s latest published snapshot only', async () => {
    api = await openTestApi({}, { XML_CURL_TOKEN: TOKEN });
    const a = await publishedOrg('Acme');
    const b = await api.org('Beta');
    const db = api.deps.adb;
    const e1 = await addExtension(db, b.orgId, '1001');
    const e2 = await addExtension(db, b.orgId, '1002');
    const q = await addQueue(db, b.orgId, '5001', { strategy: 'ring-all', mohSound: 'local_stream://"jazz"', maxWaitTime: 120, tierRulesApply: true, discardAbandonedAfter: 30 });
    await addQueueAgent(db, q.id, e2.id, 2, 1);
    await addQueueAgent(db, q.id, e1.id, 1, 1);
    await publish(db, b.orgId, { soundsDir: api.dataDir });
    await addQueue(db, b.orgId, '5009'); // draft: must not appear

    const res = await fetchXml({ section: 'configuration', tag_name: 'configuration', key_name: 'name', key_value: 'callcenter.conf' });
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml.startsWith('<document type="freeswitch/xml"><section name="configuration"><configuration name="callcenter.conf" description="Switchboard queues"><settings/><queues>')).toBe(true);
    expect(xml).toContain(
      `<queue name="5001@${b.sipDomain}"><param name="strategy" value="ring-all"/><param name="moh-sound" value="local_stream://&quot;jazz&quot;"/>` +
      '<param name="time-base-score" value="system"/><param name="max-wait-time" value="120"/>',
    );
    expect(xml).toContain('<param name="tier-rules-apply" value="true"/>');
    expect(xml).toContain('<param name="discard-abandoned-after" value="30"/>');
    expect(xml).toContain(`<queue name="5001@${a.sipDomain}"><param name="strategy" value="longest-idle-agent"/>`);
    expect(xml).not.toContain('5009@');
    for (const [ext, domain] of [['1001', a.sipDomain], ['1001', b.sipDomain], ['1002', b.sipDomain]]) {
      expect(xml).toContain(
        `<agent name="${ext}@${domain}" type="callback" contact="[leg_timeout=20]user/${ext}@${domain}" status="Available" max-no-answer="3" wrap-up-time="10" reject-delay-time="10" busy-delay-time="60"/>`,
      );
    }
    expect(xml).toContain(`<tier agent="1001@${b.sipDomain}" queue="5001@${b.sipDomain}" level="1" position="1"/><tier agent="1002@${b.sipDomain}" queue="5001@${b.sipDomain}" level="2" position="1"/>`);
    expect(xml.endsWith('</tiers></configuration></section></document>')).toBe(true);
    // A single-queue load (callcenter_config queue load|reload) gets a document containing that queue.
    const one = await fetchXml({ section: 'configuration', key_value: 'callcenter.conf', 'CC-Queue': `5001@${b.sipDomain}` });
    expect(await one.text()).toContain(`<queue name="5001@${b.sipDomain}">`);
  });

  it('is empty (but valid) when nothing is published', async () => {
    api = await openTestApi({}, { XML_CURL_TOKEN: TOKEN });
    await api.org();
    const xml = await (await fetchXml({ section: 'configuration', key_value: 'callcenter.conf' })).text();
    expect(xml).toBe(
      '<document type="freeswitch/xml"><section name="configuration"><configuration name="callcenter.conf" description="Switchboard queues">' +
      '<settings/><queues></queues><agents></agents><tiers></tiers></configuration></section></document>',
    );
  });

  it('escapes every XML special character and drops control characters', () => {
    expect(escapeXml(`a&b<c>d"e'f\tg\x01`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f&#9;g');
  });
});
