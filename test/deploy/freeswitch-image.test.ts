/**
 * The FreeSWITCH image (deploy/freeswitch): render-conf.sh turns the repository's freeswitch-conf/ into the
 * configuration a container needs (controller, API and event socket on the container network), and the image
 * builds the modules that configuration loads. No docker here: the script runs as the container's entrypoint
 * runs it, and the result is read as FreeSWITCH reads it (test/deploy/freeswitch-preprocess.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preprocess } from './freeswitch-preprocess.ts';
import { FS_CONF, REPO, walk } from './helpers.ts';
import { childElements, findAll, parseXml, type XmlElement } from './xml.ts';

const DEPLOY = join(REPO, 'deploy/freeswitch');
const RENDER = join(DEPLOY, 'render-conf.sh');
/** The files render-conf.sh edits; every other file is copied as it is. */
const EDITED = [
  'vars.xml',
  'dialplan/public.xml',
  'dialplan/default.xml',
  'autoload_configs/event_socket.conf.xml',
  'autoload_configs/acl.conf.xml',
  'autoload_configs/switch.conf.xml',
];

const tmp = mkdtempSync(join(tmpdir(), 'sb-fs-image-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function render(dst: string, env: Record<string, string>) {
  return spawnSync('sh', [RENDER, FS_CONF, dst], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
}

function params(el: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of findAll(el, 'param')) out[p.attrs.name ?? ''] = p.attrs.value ?? '';
  return out;
}

describe('deploy/freeswitch/render-conf.sh: freeswitch-conf for a container network', () => {
  const dst = join(tmp, 'conf');
  const env = {
    SWITCHBOARD_CONTROLLER: 'switchboard:8084',
    SWITCHBOARD_NEXT_CONTROLLER: 'switchboard-2:8084',
    SWITCHBOARD_API: 'http://switchboard:8000',
    XML_CURL_TOKEN: 'token-for-the-image-test',
    ESL_PASSWORD: 'esl-secret',
    SIP_IP: '172.30.57.11',
    EXTERNAL_IP: '203.0.113.7',
    TRUNKS_ALLOW: '198.51.100.0/24,192.0.2.10/32',
    RTP_PORT_MIN: '16384',
    RTP_PORT_MAX: '16483',
  };
  let doc: XmlElement;
  let variables: Record<string, string>;
  const configuration = (name: string) => {
    const section = childElements(doc, 'section').find((s) => s.attrs.name === 'configuration')!;
    return childElements(section, 'configuration').find((c) => c.attrs.name === name)!;
  };

  beforeAll(() => {
    const r = render(dst, env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pre = preprocess(join(dst, 'freeswitch.xml'));
    expect(pre.missingIncludes).toEqual([]);
    expect([...new Set(pre.undefinedVariables)]).toEqual([]);
    doc = parseXml(pre.text);
    variables = pre.variables;
  });

  it('hands every call to the controller container, and a refused one to the next controller', () => {
    const dialplan = childElements(doc, 'section').find((s) => s.attrs.name === 'dialplan')!;
    const sockets = findAll(dialplan, 'action').filter((a) => a.attrs.application === 'socket').map((a) => a.attrs.data);
    expect(sockets.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sockets)).toEqual(new Set(['switchboard:8084 full', 'switchboard-2:8084 full']));
  });

  it('asks the API container for users and queues, with the token', () => {
    const urls = findAll(configuration('xml_curl.conf'), 'param').filter((p) => p.attrs.name === 'gateway-url');
    expect(urls).toHaveLength(2);
    for (const u of urls) expect(u.attrs.value).toBe('http://switchboard:8000/freeswitch/xml-curl?token=token-for-the-image-test');
  });

  it('opens the event socket to its own network, with the password', () => {
    expect(params(configuration('event_socket.conf'))).toMatchObject({
      'listen-ip': '0.0.0.0',
      'listen-port': '8021',
      password: 'esl-secret',
      'apply-inbound-acl': 'localnet.auto',
    });
  });

  it('listens for SIP on the container address and advertises the external one', () => {
    expect(variables).toMatchObject({ bind_ip: '172.30.57.11', external_sip_ip: '203.0.113.7', external_rtp_ip: '203.0.113.7' });
    for (const profile of findAll(configuration('sofia.conf'), 'profile')) {
      const settings = params(childElements(profile, 'settings')[0]!);
      expect(settings, profile.attrs.name).toMatchObject({ 'sip-ip': '172.30.57.11', 'ext-sip-ip': '203.0.113.7', 'ext-rtp-ip': '203.0.113.7' });
    }
  });

  it('lets the given carriers call the trunks profile, besides loopback', () => {
    const trunks = findAll(configuration('acl.conf'), 'list').find((l) => l.attrs.name === 'trunks')!;
    expect(trunks.attrs.default).toBe('deny');
    expect(findAll(trunks, 'node').map((n) => `${n.attrs.type} ${n.attrs.cidr}`)).toEqual([
      'allow 198.51.100.0/24',
      'allow 192.0.2.10/32',
      'allow 127.0.0.0/8',
    ]);
  });

  it('uses the RTP range the compose file publishes', () => {
    expect(params(configuration('switch.conf'))).toMatchObject({ 'rtp-start-port': '16384', 'rtp-end-port': '16483' });
  });

  it('copies every other file as it is', () => {
    const files = walk(FS_CONF).map((f) => f.slice(FS_CONF.length + 1));
    expect(walk(dst).map((f) => f.slice(dst.length + 1))).toEqual(files);
    for (const f of files.filter((name) => !EDITED.includes(name))) {
      expect(readFileSync(join(dst, f), 'utf8'), f).toBe(readFileSync(join(FS_CONF, f), 'utf8'));
    }
  });
});

describe('deploy/freeswitch/render-conf.sh: defaults and bad values', () => {
  it('defaults: the compose service names, the container address, the event socket for its network', () => {
    const dst = join(tmp, 'defaults');
    const r = render(dst, {});
    expect(r.status, r.stderr).toBe(0);
    const vars = readFileSync(join(dst, 'vars.xml'), 'utf8');
    expect(vars).toContain('data="bind_ip=$${local_ip_v4}"');
    expect(vars).toContain('data="external_rtp_ip=$${local_ip_v4}"');
    expect(vars).toContain('data="xml_curl_url=http://switchboard:8000/freeswitch/xml-curl"');
    // Left as freeswitch-conf has them: the token (the product must be given the same) and next_controller.
    expect(vars).toContain('data="xml_curl_token=change-me-xml-curl-token"');
    expect(vars).toContain('data="next_controller=127.0.0.1:8085"');
    for (const f of ['dialplan/public.xml', 'dialplan/default.xml']) {
      expect(readFileSync(join(dst, f), 'utf8'), f).not.toContain('data="127.0.0.1:8084 ');
      expect(readFileSync(join(dst, f), 'utf8'), f).toContain('data="switchboard:8084 full"');
    }
    expect(readFileSync(join(dst, 'autoload_configs/event_socket.conf.xml'), 'utf8')).toContain('name="password" value="ClueCon"');
  });

  it.each([
    ['SWITCHBOARD_CONTROLLER', 'switchboard'],
    ['SWITCHBOARD_API', 'switchboard:8000'],
    ['XML_CURL_TOKEN', 'a"b'],
    ['ESL_PASSWORD', 'x&y'],
    ['SIP_IP', 'localhost'],
    ['TRUNKS_ALLOW', '10.0.0.0/8;rm'],
    ['RTP_PORT_MAX', 'many'],
  ])('refuses %s=%s, naming it, before writing anything', (name, value) => {
    const dst = join(tmp, `bad-${name}`);
    const r = render(dst, { [name]: value });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`render-conf: ${name}='${value}'`);
    expect(existsSync(join(dst, 'freeswitch.xml'))).toBe(false);
  });
});

describe('deploy/freeswitch: what the image builds', () => {
  const built = readFileSync(join(DEPLOY, 'modules.conf'), 'utf8').split('\n').filter(Boolean);

  it('builds the 25 modules of ../shared/freeswitch, every module freeswitch-conf loads among them', () => {
    expect(built).toHaveLength(25);
    const names = built.map((m) => m.split('/')[1]);
    const loaded = findAll(parseXml(readFileSync(join(FS_CONF, 'autoload_configs/modules.conf.xml'), 'utf8')), 'load').map((l) => l.attrs.module);
    expect(loaded.length).toBeGreaterThan(10);
    for (const m of loaded) expect(names, m).toContain(m);
  });

  it('pins the commits and the prebuilt tarball of BUILD-NOTES.md', () => {
    const script = readFileSync(join(DEPLOY, 'install-freeswitch.sh'), 'utf8');
    expect(script).toContain('SOFIA_SIP_COMMIT=6198851a610b7889c17e2d98fb84617bc1dd7aec');
    expect(script).toContain('SPANDSP_COMMIT=0d2e6ac65e0e8f53d652665a743015a88bf048d4');
    expect(script).toContain('FREESWITCH_COMMIT=a88d069d6ffb74df797bcaf001f7e63181c07a09');
    expect(script).toContain('PREBUILT_SHA256=68da05780d189c039d177be6d4d064678ce06350c7aa6da2c5899ea021affc78');
  });

  const shared = join(REPO, '..', 'shared', 'freeswitch');
  it.skipIf(!existsSync(join(shared, 'runtime-packages.txt')))('installs the runtime packages ../shared/freeswitch lists', () => {
    const list = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).sort();
    expect(list(join(DEPLOY, 'runtime-packages.txt'))).toEqual(list(join(shared, 'runtime-packages.txt')));
    const notes = readFileSync(join(shared, 'BUILD-NOTES.md'), 'utf8');
    for (const m of built) expect(notes, m).toContain(m);
  });
});
