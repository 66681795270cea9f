import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FS_CONF = join(REPO, 'freeswitch-conf');
export const SIPP_DIR = join(REPO, 'sipp-scenarios');

/** Every file under dir (recursive), absolute paths, sorted. */
export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** XML files: *.xml and the disabled *.xml.example ones. */
export function xmlFiles(dir: string): string[] {
  return walk(dir).filter((f) => f.endsWith('.xml') || f.endsWith('.xml.example'));
}

export function rel(p: string): string {
  return relative(REPO, p);
}

/** What Debian's sip-tester 3.6.1 installs in /usr/share/sip-tester (dpkg -L sip-tester). */
export const SIP_TESTER_DIR = '/usr/share/sip-tester';
export const SIP_TESTER_PCAPS = [
  ...Array.from({ length: 10 }, (_, d) => `dtmf_2833_${d}.pcap`),
  'dtmf_2833_pound.pcap',
  'dtmf_2833_star.pcap',
  'g711a.pcap',
];
