import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIPP_DIR, SIP_TESTER_DIR, SIP_TESTER_PCAPS, rel, xmlFiles } from './helpers.ts';
import { findAll, parseXml, textOf, type XmlElement } from './xml.ts';

const scenarios = xmlFiles(SIPP_DIR);
const load = (file: string) => parseXml(readFileSync(file, 'utf8'));

function pcapsOf(root: XmlElement): string[] {
  return findAll(root, 'exec')
    .map((e) => e.attrs.play_pcap_audio)
    .filter((p): p is string => Boolean(p));
}

/** The SIP messages a scenario sends, as text (CDATA bodies of <send>). */
function sentMessages(root: XmlElement): string[] {
  return findAll(root, 'send').map((s) => textOf(s).replace(/^\s+/gm, '').trim());
}

describe('sipp-scenarios', () => {
  it('has the scenarios named by outcome, and run-all.sh', () => {
    const names = scenarios.map((f) => basename(f));
    for (const n of [
      'uac-call-did-hangup.xml',
      'uac-press-1-rfc2833.xml',
      'uac-wait-out-timeouts.xml',
      'uac-invalid-then-valid.xml',
      'uac-load.xml',
      'uas-answer-extension.xml',
      'uac-register-extension.xml',
    ]) {
      expect(names).toContain(n);
    }
    const script = join(SIPP_DIR, 'run-all.sh');
    expect(statSync(script).mode & 0o111).not.toBe(0);
    execFileSync('bash', ['-n', script]);
  });

  it.each(scenarios.map((f) => [rel(f), f]))('%s is a well-formed SIPp scenario', (_name, file) => {
    const root = load(file);
    expect(root.name).toBe('scenario');
    expect(root.attrs.name).toBe(basename(file, '.xml'));
    // Every jump target exists.
    const labels = new Set(findAll(root, 'label').map((l) => l.attrs.id));
    for (const el of findAll(root)) {
      for (const attr of ['next', 'ontimeout']) {
        const target = el.attrs[attr];
        if (target) expect(labels.has(target), `${attr}="${target}"`).toBe(true);
      }
    }
  });

  it.each(scenarios.map((f) => [rel(f), f]))('%s offers PCMU and telephone-event/8000 on 101 at [media_ip]:[media_port]', (_name, file) => {
    const withSdp = sentMessages(load(file)).filter((m) => m.includes('application/sdp'));
    if (basename(file) === 'uac-register-extension.xml') {
      expect(withSdp).toEqual([]);
      return;
    }
    expect(withSdp.length).toBeGreaterThanOrEqual(1);
    for (const m of withSdp) {
      expect(m).toContain('Content-Length: [len]');
      expect(m).toContain('c=IN IP[media_ip_type] [media_ip]');
      expect(m).toContain('m=audio [media_port] RTP/AVP 0 101');
      expect(m).toContain('a=rtpmap:0 PCMU/8000');
      expect(m).toContain('a=rtpmap:101 telephone-event/8000');
      expect(m).toContain('a=fmtp:101 0-15');
    }
  });

  it('plays only RFC 2833 pcaps that Debian\'s sip-tester ships, from its documented path', () => {
    const used = scenarios.flatMap((f) => pcapsOf(load(f)));
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const p of used) {
      expect(p.startsWith(`${SIP_TESTER_DIR}/`), p).toBe(true);
      expect(SIP_TESTER_PCAPS, p).toContain(basename(p));
      expect(basename(p)).toMatch(/^dtmf_2833_/);
    }
    const uses = (name: string) => pcapsOf(load(join(SIPP_DIR, name))).map((p) => basename(p));
    expect(uses('uac-press-1-rfc2833.xml')).toEqual(['dtmf_2833_1.pcap']);
    expect(uses('uac-invalid-then-valid.xml')).toEqual(['dtmf_2833_9.pcap', 'dtmf_2833_2.pcap']);
  });

  it.skipIf(!existsSync(SIP_TESTER_DIR))('every referenced pcap exists on this machine', () => {
    for (const p of scenarios.flatMap((f) => pcapsOf(load(f)))) expect(existsSync(p), p).toBe(true);
  });

  it('README and run-all.sh run every sipp on loopback (-i and -ci 127.0.0.1), with -m, -l, -r and -trace_err', () => {
    const readme = readFileSync(join(SIPP_DIR, 'README.md'), 'utf8');
    // Join shell continuation lines, then look at every sipp command that runs a scenario.
    const commands = readme
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^sipp\s/.test(l) && l.includes(' -sf '));
    expect(commands.length).toBeGreaterThanOrEqual(7);
    for (const c of commands) {
      expect(c, c).toContain('-i 127.0.0.1');
      expect(c, c).toContain('-ci 127.0.0.1');
      expect(c, c).toContain('-trace_err');
    }
    const loadCommand = commands.find((c) => c.includes('uac-load.xml'))!;
    expect(loadCommand).toMatch(/-m \d+/);
    expect(loadCommand).toMatch(/-r \d+/);
    expect(loadCommand).toMatch(/-l \d+/);
    for (const c of commands.filter((c) => c.includes('127.0.0.1:5080'))) expect(c).toMatch(/-m \d+/);

    const script = readFileSync(join(SIPP_DIR, 'run-all.sh'), 'utf8');
    expect(script).toMatch(/common=\(-i 127\.0\.0\.1 -ci 127\.0\.0\.1 -mi 127\.0\.0\.1[^)]*-trace_err/);
    expect(script).toContain('TRUNKS_PORT:-5080');
  });
});
