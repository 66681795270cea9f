// The reply below is what FreeSWITCH 1.10.12 writes for `api sofia xmlstatus profile extensions reg`,
// reconstructed line by line from mod_sofia.c (cmd_xml_status: the header, `<profile>`, `<registrations>`;
// show_reg_callback_xml: one `<registration>` per sip_registrations row, contact and agent amp-encoded,
// sip-auth-user URL-encoded, status "<status>(<rpid>) exp(<local time>) expsecs(<n>)") for two SIPp
// phones like test/switch/world.ts registerPhone makes, one of them registered twice. Not a byte capture
// from a running switch (the one switch belongs to another session): the real-switch suite exercises it.
import { describe, expect, it } from 'vitest';
import { createSofiaRegistrationSource, parseSofiaRegistrations } from '../../src/switch/sofia-registrations.ts';
import { silentLogger } from '../../src/runtime/logger.ts';

const SAMPLE = `<?xml version="1.0" encoding="ISO-8859-1"?>
<profile>
  <registrations>
    <registration>
        <call-id>1-24512@127.0.0.1</call-id>
        <user>1002@acme-1.sip.local</user>
        <contact>&quot;&quot; &lt;sip:1002@127.0.0.1:40512&gt;</contact>
        <agent></agent>
        <status>Registered(UDP)(unknown) exp(2026-03-01 11:00:00) expsecs(3599)</status>
        <ping-status>Reachable</ping-status>
        <host>fs-host</host>
        <network-ip>127.0.0.1</network-ip>
        <network-port>40512</network-port>
        <sip-auth-user>1002</sip-auth-user>
        <sip-auth-realm>acme-1.sip.local</sip-auth-realm>
        <mwi-account>1002@acme-1.sip.local</mwi-account>
    </registration>
    <registration>
        <call-id>7f1c2a90-0001</call-id>
        <user>1003@ACME-1.sip.local</user>
        <contact>&quot;Ravi&quot; &lt;sip:1003@192.0.2.10:5062;transport=udp&gt;;expires=300</contact>
        <agent>Zoiper rv2.10 &amp; co</agent>
        <status>Registered(UDP)(unknown) exp(2026-03-01 10:05:00) expsecs(299)</status>
        <ping-status>Reachable</ping-status>
        <host>fs-host</host>
        <network-ip>192.0.2.10</network-ip>
        <network-port>5062</network-port>
        <sip-auth-user>1003</sip-auth-user>
        <sip-auth-realm>acme-1.sip.local</sip-auth-realm>
        <mwi-account>1003@acme-1.sip.local</mwi-account>
    </registration>
    <registration>
        <call-id>7f1c2a90-0002</call-id>
        <user>1003@acme-1.sip.local</user>
        <contact>&quot;Ravi&quot; &lt;sip:1003@198.51.100.7:5060&gt;</contact>
        <agent>Linphone</agent>
        <status>Registered(UDP)(unknown) exp(2026-03-01 10:30:00) expsecs(1799)</status>
        <ping-status>Reachable</ping-status>
        <host>fs-host</host>
        <network-ip>198.51.100.7</network-ip>
        <network-port>5060</network-port>
        <sip-auth-user>1003</sip-auth-user>
        <sip-auth-realm>acme-1.sip.local</sip-auth-realm>
        <mwi-account>1003@acme-1.sip.local</mwi-account>
    </registration>
    <registration>
        <call-id>other</call-id>
        <user>1002@other.sip.local</user>
        <contact>&lt;sip:1002@127.0.0.1:40999&gt;</contact>
        <agent>x</agent>
        <status>Registered(UDP)(unknown) exp(2026-03-01 11:00:00) expsecs(3599)</status>
        <ping-status>Reachable</ping-status>
        <host>fs-host</host>
        <network-ip>127.0.0.1</network-ip>
        <network-port>40999</network-port>
        <sip-auth-user>1002</sip-auth-user>
        <sip-auth-realm>other.sip.local</sip-auth-realm>
        <mwi-account>1002@other.sip.local</mwi-account>
    </registration>
  </registrations>
</profile>
`;

describe('sofia xmlstatus registrations', () => {
  it('parses every registration into typed rows (entities decoded, expiry seconds read)', () => {
    const rows = parseSofiaRegistrations(SAMPLE);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      user: '1002', domain: 'acme-1.sip.local', contact: '"" <sip:1002@127.0.0.1:40512>', userAgent: null,
      status: 'Registered(UDP)(unknown) exp(2026-03-01 11:00:00) expsecs(3599)', expiresInS: 3599, networkIp: '127.0.0.1', networkPort: '40512',
    });
    expect(rows[1]).toMatchObject({ user: '1003', domain: 'acme-1.sip.local', userAgent: 'Zoiper rv2.10 & co', expiresInS: 299 });
  });

  it('an empty profile is no registrations; an error reply throws', () => {
    expect(parseSofiaRegistrations('<?xml version="1.0" encoding="ISO-8859-1"?>\n<profile>\n  <registrations>\n  </registrations>\n</profile>\n')).toEqual([]);
    expect(() => parseSofiaRegistrations('Invalid Profile!\n')).toThrow(/no registrations/);
  });

  it('a source: one command per cache period, the domain\'s users, the longest-lasting phone, a bounded wait', async () => {
    const commands: Array<{ cmd: string; timeoutMs: number | undefined }> = [];
    let t = Date.parse('2026-03-01T10:00:00.000Z');
    const inbound = {
      connected: true,
      api: (cmd: string, opts?: { timeoutMs?: number }) => {
        commands.push({ cmd, timeoutMs: opts?.timeoutMs });
        return Promise.resolve({ ok: true as const, text: SAMPLE, body: SAMPLE });
      },
    };
    const source = createSofiaRegistrationSource({ switches: [inbound], profile: 'extensions', cacheMs: 3000, timeoutMs: 1500, now: () => new Date(t), logger: silentLogger() });
    const regs = await source.registrations('Acme-1.sip.local');
    expect([...regs.keys()].sort()).toEqual(['1002', '1003']);
    expect(regs.get('1003')).toEqual({ contact: 'sip:1003@198.51.100.7:5060', expiresAt: '2026-03-01T10:29:59.000Z', userAgent: 'Linphone' });
    await source.registrations('other.sip.local');
    expect(commands).toEqual([{ cmd: 'sofia xmlstatus profile extensions reg', timeoutMs: 1500 }]);
    t += 3000;
    await source.registrations('acme-1.sip.local');
    expect(commands).toHaveLength(2);
    inbound.connected = false;
    t += 3000;
    await expect(source.registrations('acme-1.sip.local')).rejects.toThrow(/not connected/);
  });
});
