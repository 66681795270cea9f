import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { preprocess, type Preprocessed } from './freeswitch-preprocess.ts';
import { FS_CONF, SIPP_DIR, rel, walk, xmlFiles } from './helpers.ts';
import { childElements, findAll, parseXml, xmlError, type XmlElement } from './xml.ts';

const CONTROLLER_SOCKET = '127.0.0.1:8084 full';
/** vars.xml's next_controller: a second controller instance. */
const NEXT_CONTROLLER_SOCKET = '127.0.0.1:8085 full';

function params(el: XmlElement | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of el ? findAll(el, 'param') : []) out[p.attrs.name ?? ''] = p.attrs.value ?? '';
  return out;
}

function one(list: XmlElement[], what: string): XmlElement {
  expect(list, what).toHaveLength(1);
  return list[0]!;
}

describe('freeswitch-conf: every file', () => {
  const files = xmlFiles(FS_CONF);

  it('has the files a minimal FreeSWITCH needs', () => {
    const names = files.map((f) => rel(f).replace(/^freeswitch-conf\//, ''));
    for (const needed of [
      'freeswitch.xml',
      'vars.xml',
      'autoload_configs/modules.conf.xml',
      'autoload_configs/switch.conf.xml',
      'autoload_configs/event_socket.conf.xml',
      'autoload_configs/xml_curl.conf.xml',
      'autoload_configs/sofia.conf.xml',
      'autoload_configs/callcenter.conf.xml',
      'autoload_configs/voicemail.conf.xml',
      'autoload_configs/console.conf.xml',
      'autoload_configs/logfile.conf.xml',
      'sip_profiles/trunks.xml',
      'sip_profiles/extensions.xml',
      'sip_profiles/trunks/pstn.xml.example',
      'dialplan/public.xml',
      'dialplan/default.xml',
    ]) {
      expect(names).toContain(needed);
    }
  });

  it.each(files.map((f) => [rel(f), f]))('%s is well-formed XML', (_name, file) => {
    const err = xmlError(readFileSync(file, 'utf8'));
    expect(err?.message ?? null).toBeNull();
  });

  it.each(files.filter((f) => !f.includes('xml-curl-examples')).map((f) => [rel(f), f]))(
    '%s survives FreeSWITCH\'s line-based pre-processor',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const lines = text.split('\n');
      lines.forEach((line, i) => {
        const where = `${rel(file)}:${i + 1}`;
        // FreeSWITCH reads lines into a 2 KiB buffer.
        expect(line.length, where).toBeLessThan(2000);
        // A line with <include>, </include> or "<?" is dropped whole: nothing else may share it.
        if (/<include>|<\/include>|<\?/.test(line)) {
          expect(line.trim(), where).toMatch(/^(<include>|<\/include>|<\?xml[^>]*\?>)$/);
        }
        // A directive line is replaced whole: the directive must be alone on its line.
        if (/x-pre-process/i.test(line)) {
          expect(line.trim(), where).toMatch(/^<X-PRE-PROCESS cmd="(set|include)" data="[^"]+"\/>$/);
        }
      });
      // Directives are processed even inside comments: keep them out of comments.
      for (const comment of text.match(/<!--[\s\S]*?-->/g) ?? []) {
        expect(comment, rel(file)).not.toMatch(/x-pre-process/i);
        expect(comment, rel(file)).not.toMatch(/\$\$\{/);
      }
    },
  );
});

describe('freeswitch-conf: the document FreeSWITCH builds from freeswitch.xml', () => {
  let pre: Preprocessed;
  let doc: XmlElement;
  const section = (name: string) => one(childElements(doc, 'section').filter((s) => s.attrs.name === name), `section ${name}`);
  const configuration = (name: string) =>
    one(childElements(section('configuration'), 'configuration').filter((c) => c.attrs.name === name), `configuration ${name}`);
  const context = (name: string) =>
    one(childElements(section('dialplan'), 'context').filter((c) => c.attrs.name === name), `context ${name}`);
  const profile = (name: string) =>
    one(findAll(configuration('sofia.conf'), 'profile').filter((p) => p.attrs.name === name), `profile ${name}`);

  beforeAll(() => {
    pre = preprocess(join(FS_CONF, 'freeswitch.xml'));
    doc = parseXml(pre.text);
  });

  it('includes every file it names and uses only variables that are set', () => {
    expect(pre.missingIncludes).toEqual([]);
    expect([...new Set(pre.undefinedVariables)]).toEqual([]);
    expect(pre.files.map(rel)).not.toContain('freeswitch-conf/sip_profiles/trunks/pstn.xml.example');
  });

  it('is one well-formed freeswitch/xml document with the three sections', () => {
    expect(doc.name).toBe('document');
    expect(doc.attrs.type).toBe('freeswitch/xml');
    expect(childElements(doc, 'section').map((s) => s.attrs.name).sort()).toEqual(['configuration', 'dialplan', 'directory']);
  });

  it('vars.xml: local addresses, no STUN', () => {
    expect(pre.variables.bind_ip).toBe('127.0.0.1');
    expect(pre.variables.external_sip_ip).toBe('127.0.0.1');
    expect(pre.variables.external_rtp_ip).toBe('127.0.0.1');
    expect(pre.variables.domain).toBeTruthy();
    for (const [name, value] of Object.entries(pre.variables)) expect(value, name).not.toMatch(/stun:|auto-nat/i);
  });

  it('loads the modules Switchboard needs, mod_xml_curl before mod_callcenter', () => {
    const loads = findAll(configuration('modules.conf'), 'load').map((l) => l.attrs.module ?? '');
    for (const m of ['mod_event_socket', 'mod_sofia', 'mod_xml_curl', 'mod_callcenter', 'mod_dptools', 'mod_commands', 'mod_dialplan_xml', 'mod_tone_stream', 'mod_sndfile']) {
      expect(loads).toContain(m);
    }
    expect(new Set(loads).size).toBe(loads.length);
    expect(loads.indexOf('mod_xml_curl')).toBeLessThan(loads.indexOf('mod_callcenter'));
    expect(loads[0]).toBe('mod_console');
    // Every loaded module that reads a configuration has one here.
    const confs: Record<string, string> = {
      mod_console: 'console.conf',
      mod_logfile: 'logfile.conf',
      mod_event_socket: 'event_socket.conf',
      mod_sofia: 'sofia.conf',
      mod_xml_curl: 'xml_curl.conf',
      mod_callcenter: 'callcenter.conf',
      mod_voicemail: 'voicemail.conf',
      mod_local_stream: 'local_stream.conf',
    };
    for (const m of loads) if (confs[m]) expect(() => configuration(confs[m]!), m).not.toThrow();
  });

  it('event socket listens on 127.0.0.1:8021, password ClueCon, loopback peers only', () => {
    const p = params(configuration('event_socket.conf'));
    expect(p['listen-ip']).toBe('127.0.0.1');
    expect(p['listen-port']).toBe('8021');
    expect(p.password).toBe('ClueCon');
    expect(p['apply-inbound-acl']).toBe('loopback.auto');
  });

  it('xml_curl binds directory and configuration to the API with the token from vars.xml', () => {
    const bindings = findAll(configuration('xml_curl.conf'), 'binding');
    const urls = bindings.flatMap((b) => findAll(b, 'param').filter((p) => p.attrs.name === 'gateway-url'));
    expect(urls.map((u) => u.attrs.bindings).sort()).toEqual(['configuration', 'directory']);
    const token = pre.variables.xml_curl_token!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const u of urls) expect(u.attrs.value).toBe(`http://127.0.0.1:8000/freeswitch/xml-curl?token=${token}`);
    for (const b of bindings) expect(Number(params(b).timeout)).toBeGreaterThan(0);
  });

  it('profile trunks: 5080, context public, no auth, ACL with loopback, no registrations', () => {
    const p = params(childElements(profile('trunks'), 'settings')[0]);
    expect(p['sip-port']).toBe('5080');
    expect(p['sip-ip']).toBe('127.0.0.1');
    expect(p['ext-sip-ip']).toBe('127.0.0.1');
    expect(p['ext-rtp-ip']).toBe('127.0.0.1');
    expect(p.context).toBe('public');
    expect(p['auth-calls']).toBe('false');
    expect(p['accept-blind-reg']).toBe('false');
    expect(p['disable-register']).toBe('true');
    expect(p['dtmf-type']).toBe('rfc2833');
    expect(p['rfc2833-pt']).toBe('101');
    const acl = one(findAll(configuration('acl.conf'), 'list').filter((l) => l.attrs.name === p['apply-inbound-acl']), 'acl list');
    expect(acl.attrs.default).toBe('deny');
    expect(findAll(acl, 'node').map((n) => n.attrs.cidr)).toContain('127.0.0.0/8');
  });

  it('profile extensions: 5060, context default, digest authentication', () => {
    const p = params(childElements(profile('extensions'), 'settings')[0]);
    expect(p['sip-port']).toBe('5060');
    expect(p.context).toBe('default');
    expect(p['auth-calls']).toBe('true');
    expect(p['accept-blind-reg']).toBe('false');
    expect(p['accept-blind-auth']).toBe('false');
  });

  it('the pstn gateway is only an example: not loaded, but complete when enabled', () => {
    expect(findAll(doc, 'gateway')).toEqual([]);
    const example = parseXml(readFileSync(join(FS_CONF, 'sip_profiles/trunks/pstn.xml.example'), 'utf8'));
    const gw = one(findAll(example, 'gateway'), 'gateway');
    expect(gw.attrs.name).toBe('pstn');
    expect(params(gw).proxy).toBeTruthy();
  });

  it('every socket app connects to the controller at 127.0.0.1:8084 full (a sync socket), or to the next controller', () => {
    const sockets = findAll(section('dialplan'), 'action').filter((a) => a.attrs.application === 'socket');
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    for (const s of sockets) expect([CONTROLLER_SOCKET, NEXT_CONTROLLER_SOCKET]).toContain(s.attrs.data);
    expect(sockets.filter((s) => s.attrs.data === NEXT_CONTROLLER_SOCKET)).toHaveLength(1);
  });

  it('public: any DID goes to the controller, and never to dead air when it is down', () => {
    const extensions = childElements(context('public'), 'extension');
    const last = extensions[extensions.length - 1]!;
    // The catch-all comes last so that socket_reentry and controller_unavailable match first.
    const cond = one(childElements(last, 'condition'), 'condition of the catch-all');
    expect(cond.attrs.field).toBe('destination_number');
    expect(new RegExp(cond.attrs.expression!).test('1000')).toBe(true);
    for (const ext of findAll(section('dialplan'), 'extension')) {
      const actions = findAll(ext, 'action');
      const i = actions.findIndex((a) => a.attrs.application === 'socket');
      if (i < 0) continue;
      const next = actions[i + 1];
      expect(next, `action after socket in ${ext.attrs.name}`).toBeDefined();
      expect(['transfer', 'hangup']).toContain(next!.attrs.application);
      // The first controller's socket goes on to the next controller; the next one's to the tones.
      const after = actions[i]!.attrs.data === CONTROLLER_SOCKET ? 'controller_next XML public' : 'controller_unavailable XML public';
      if (next!.attrs.application === 'transfer') expect(next!.attrs.data).toBe(after);
    }
    // Each dialplan app costs the switch two events with every channel variable: the catch-all runs only
    // the max-duration guard and the hand-off (the controller sets the bridge variables itself).
    expect(findAll(last, 'action').map((a) => a.attrs.application)).toEqual(['sched_hangup', 'socket', 'transfer']);
  });

  it('public: controller_unavailable answers, plays tones and hangs up with a cause', () => {
    const ext = one(childElements(context('public'), 'extension').filter((e) => e.attrs.name === 'controller_unavailable'), 'controller_unavailable');
    const apps = findAll(ext, 'action').map((a) => [a.attrs.application, a.attrs.data ?? '']);
    expect(apps.map((a) => a[0])).toContain('answer');
    expect(apps.some(([app, data]) => app === 'playback' && data!.startsWith('tone_stream://'))).toBe(true);
    const last = apps[apps.length - 1]!;
    expect(last[0]).toBe('hangup');
    expect(last[1]).toMatch(/^[A-Z_]+$/);
  });

  it('public: socket_reentry sends a transferred call back to the controller', () => {
    const ext = one(childElements(context('public'), 'extension').filter((e) => e.attrs.name === 'socket_reentry'), 'socket_reentry');
    const conds = childElements(ext, 'condition');
    expect(conds[0]!.attrs.field).toBe('destination_number');
    expect(new RegExp(conds[0]!.attrs.expression!).test('socket_reentry')).toBe(true);
    expect(findAll(ext, 'action').some((a) => a.attrs.application === 'socket')).toBe(true);
  });

  it('default: extensions reach each other as user/EXT@domain and everything else reaches the controller', () => {
    const bridges = findAll(context('default'), 'action').filter((a) => a.attrs.application === 'bridge');
    expect(bridges.map((b) => b.attrs.data)).toContain('user/${destination_number}@${domain_name}');
    const sockets = findAll(context('default'), 'action').filter((a) => a.attrs.application === 'socket');
    expect(sockets.length).toBeGreaterThanOrEqual(1);
  });

  it('static fallbacks: a callcenter queue and a directory domain with a dial-string', () => {
    expect(findAll(configuration('callcenter.conf'), 'queue').length).toBeGreaterThanOrEqual(1);
    const domain = one(findAll(section('directory'), 'domain'), 'directory domain');
    expect(params(domain)['dial-string']).toContain('sofia_contact(');
  });
});

describe('freeswitch-conf: nothing points outside this machine', () => {
  const files = [...walk(FS_CONF), ...walk(SIPP_DIR)];

  it.each(files.map((f) => [rel(f), f]))('%s has no stun: and no non-loopback address', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/stun:/i);
    for (const ip of text.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []) expect(ip, rel(file)).toMatch(/^127\./);
  });
});

describe('freeswitch-conf: xml_curl reference answers', () => {
  const example = (name: string) => parseXml(readFileSync(join(FS_CONF, 'xml-curl-examples', name), 'utf8'));

  it('directory user answer has the domain dial-string and the user password', () => {
    const doc = example('directory-user.xml');
    expect(doc.attrs.type).toBe('freeswitch/xml');
    const section = one(childElements(doc, 'section'), 'section');
    expect(section.attrs.name).toBe('directory');
    const domain = one(childElements(section, 'domain'), 'domain');
    expect(params(childElements(domain, 'params')[0])['dial-string']).toContain('sofia_contact(');
    const user = one(findAll(domain, 'user'), 'user');
    expect(user.attrs.id).toBe('1001');
    expect(params(childElements(user, 'params')[0]).password).toBeTruthy();
  });

  it('not-found answer is the one FreeSWITCH recognises', () => {
    const doc = example('not-found.xml');
    const section = one(childElements(doc, 'section'), 'section');
    expect(section.attrs.name).toBe('result');
    expect(one(childElements(section, 'result'), 'result').attrs.status).toBe('not found');
  });

  it('callcenter answer is a callcenter.conf configuration with queues, agents, tiers', () => {
    const doc = example('callcenter-conf.xml');
    const conf = one(findAll(doc, 'configuration'), 'configuration');
    expect(conf.attrs.name).toBe('callcenter.conf');
    expect(findAll(conf, 'queue')[0]?.attrs.name).toMatch(/^\d+@/);
    expect(findAll(conf, 'agent')[0]?.attrs.contact).toMatch(/user\//);
    expect(findAll(conf, 'tier')).toHaveLength(1);
  });
});
