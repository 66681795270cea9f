// SWITCHES: the list of switches (ids, addresses, passwords), the single-switch variables unchanged, and
// every bad entry named at start.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/runtime/env.ts';
import { parseSwitchList, switchList } from '../../src/runtime/switch-list.ts';

describe('SWITCHES', () => {
  it('reads ids, hosts, ports and passwords; port and password default; the id defaults to host:port', () => {
    expect(parseSwitchList('fs1=10.0.0.5:8021:Secret,10.0.0.6, fs3=[fd00::7]:8022 ,fs4=h4:8021:a:b:c', 'ClueCon')).toEqual({
      ok: true,
      switches: [
        { id: 'fs1', host: '10.0.0.5', port: 8021, password: 'Secret' },
        { id: '10.0.0.6:8021', host: '10.0.0.6', port: 8021, password: 'ClueCon' },
        { id: 'fs3', host: 'fd00::7', port: 8022, password: 'ClueCon' },
        // Everything after the second colon is the password.
        { id: 'fs4', host: 'h4', port: 8021, password: 'a:b:c' },
      ],
    });
    expect(parseSwitchList('[::1]:9000', 'x')).toEqual({ ok: true, switches: [{ id: '[::1]:9000', host: '::1', port: 9000, password: 'x' }] });
  });

  it('names every bad entry and a repeated id', () => {
    const r = parseSwitchList('a=h:99999,b=:8021,c=h:80x,a b=h,d=[::1,e=h:8021:,f=h1,f=h2', 'x');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      '"a=h:99999": the port must be 1-65535',
      '"b=:8021": no host',
      '"c=h:80x": the port must be 1-65535',
      '"a b=h": the id may hold letters, digits, _ . - (at most 64)',
      '"d=[::1": an IPv6 host needs its closing ]',
      '"e=h:8021:": empty password',
      '"f=h2": the id f is used twice',
    ]);
    expect(parseSwitchList(' , ', 'x')).toEqual({ ok: false, errors: ['no switch listed'] });
  });

  it('loadConfig refuses a bad SWITCHES at start, naming the entry', () => {
    expect(() => loadConfig({ SWITCHES: 'fs1=h:0' })).toThrow(ConfigError);
    expect(() => loadConfig({ SWITCHES: 'fs1=h:0' })).toThrow(/SWITCHES: "fs1=h:0": the port must be 1-65535/);
    expect(() => loadConfig({ SWITCH_ORIGINATE_POLICY: 'random' })).toThrow(/SWITCH_ORIGINATE_POLICY/);
  });

  it('without SWITCHES the one switch is ESL_INBOUND_*, as before; ESL_INBOUND_ENABLED=false is none', () => {
    expect(switchList(loadConfig({}))).toEqual([{ id: '127.0.0.1:8021', host: '127.0.0.1', port: 8021, password: 'ClueCon' }]);
    expect(switchList(loadConfig({ ESL_INBOUND_HOST: 'fs.local', ESL_INBOUND_PORT: '9021', ESL_INBOUND_PASSWORD: 'pw' })))
      .toEqual([{ id: 'fs.local:9021', host: 'fs.local', port: 9021, password: 'pw' }]);
    // SWITCHES takes ESL_INBOUND_PASSWORD as the default password.
    expect(switchList(loadConfig({ SWITCHES: 'a=h1,b=h2:8022:own', ESL_INBOUND_PASSWORD: 'shared' })).map((s) => [s.id, s.password])).toEqual([['a', 'shared'], ['b', 'own']]);
    expect(switchList(loadConfig({ SWITCHES: 'a=h1', ESL_INBOUND_ENABLED: 'false' }))).toEqual([]);
    expect(loadConfig({}).SWITCH_ORIGINATE_POLICY).toBe('least_calls');
  });
});

describe('SWITCH_MEDIA_IPS', () => {
  it('maps switch ids to their unicast address; an id that is not a switch, or a bad entry, is refused at start', async () => {
    const { switchMediaIps } = await import('../../src/runtime/switch-list.ts');
    const config = loadConfig({ SWITCHES: 'fs1=10.0.0.5,fs2=10.0.0.6', SWITCH_MEDIA_IPS: 'fs2=10.0.0.6' });
    expect([...switchMediaIps(config)]).toEqual([['fs2', '10.0.0.6']]);
    expect(switchMediaIps(loadConfig({})).size).toBe(0);
    expect(() => loadConfig({ SWITCHES: 'fs1=10.0.0.5', SWITCH_MEDIA_IPS: 'fs9=10.0.0.9' })).toThrow(/SWITCH_MEDIA_IPS: "fs9=10.0.0.9": fs9 is not a switch \(SWITCHES ids: fs1\)/);
    expect(() => loadConfig({ SWITCH_MEDIA_IPS: 'fs1' })).toThrow(/SWITCH_MEDIA_IPS: "fs1": expected id=address/);
    // Without SWITCHES the one switch's id is host:port.
    expect(() => loadConfig({ SWITCH_MEDIA_IPS: '127.0.0.1:8021=10.0.0.5' })).not.toThrow();
  });
});
