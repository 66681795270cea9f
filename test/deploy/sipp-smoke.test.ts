/**
 * Real SIPp runs on loopback, when sipp is installed (Debian: sip-tester): the answering
 * extension (uas-answer-extension.xml) against the callers, and the registration against a
 * test registrar. No FreeSWITCH is involved; this proves the scenarios are valid for SIPp and
 * that each side's call flow completes (exit code 0).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, SIPP_DIR } from './helpers.ts';

const hasSipp = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).status === 0;
const LOOPBACK = ['-i', '127.0.0.1', '-ci', '127.0.0.1', '-mi', '127.0.0.1'];

const workDir = mkdtempSync(join(tmpdir(), 'sipp-smoke-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const taken = new Set<number>();
/** A free UDP port on 127.0.0.1 whose +2 neighbour is free too (SIPp's media ports). */
async function freePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const p = 20000 + 2 * Math.floor(Math.random() * 15000);
    if (taken.has(p) || taken.has(p + 2)) continue;
    if ((await udpFree(p)) && (await udpFree(p + 2))) {
      taken.add(p).add(p + 2);
      return p;
    }
  }
  throw new Error('no free UDP port');
}

interface Run {
  code: number | null;
  output: string;
}

function sipp(args: string[], timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('sipp', [...args, '-nostdin', '-trace_err', '-timeout', '20s', '-timeout_error'], {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function errorLogs(): string {
  return readdirSync(workDir)
    .filter((f) => f.endsWith('_errors.log'))
    .map((f) => `${f}:\n${readFileSync(join(workDir, f), 'utf8')}`)
    .join('\n');
}

/** Starts the answering extension, then one caller scenario against it; both must exit 0. */
async function callExtension(uacScenario: string): Promise<{ uas: Run; uac: Run }> {
  const [uasPort, uasCtl, uasMedia, uacPort, uacCtl, uacMedia] = [
    await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
  ];
  const uas = sipp(
    ['-sf', join(SIPP_DIR, 'uas-answer-extension.xml'), '-s', '1001', ...LOOPBACK,
      '-p', String(uasPort), '-cp', String(uasCtl), '-mp', String(uasMedia), '-m', '1'],
    25_000,
  );
  await new Promise((r) => setTimeout(r, 500));
  const uac = await sipp(
    [`127.0.0.1:${uasPort}`, '-sf', join(SIPP_DIR, uacScenario), '-s', '1000', ...LOOPBACK,
      '-p', String(uacPort), '-cp', String(uacCtl), '-mp', String(uacMedia), '-m', '1', '-l', '1'],
    25_000,
  );
  return { uas: await uas, uac };
}

describe.skipIf(!hasSipp)('SIPp smoke test on loopback', { concurrent: true }, () => {
  it('call-did-hangup: the caller hangs up after 4 s, the extension answers its BYE', { timeout: 30_000 }, async () => {
    const { uas, uac } = await callExtension('uac-call-did-hangup.xml');
    expect(uac.code, uac.output + errorLogs()).toBe(0);
    expect(uas.code, uas.output + errorLogs()).toBe(0);
  });

  it('wait-out-timeouts: the extension hangs up after 6 s, the silent caller answers its BYE', { timeout: 30_000 }, async () => {
    const { uas, uac } = await callExtension('uac-wait-out-timeouts.xml');
    expect(uac.code, uac.output + errorLogs()).toBe(0);
    expect(uas.code, uas.output + errorLogs()).toBe(0);
  });

  it('press-1: plays the shipped RFC 2833 pcap and waits for the BYE', { timeout: 30_000 }, async () => {
    const { uas, uac } = await callExtension('uac-press-1-rfc2833.xml');
    expect(uac.code, uac.output + errorLogs()).toBe(0);
    expect(uas.code, uas.output + errorLogs()).toBe(0);
  });

  it('register-extension: answers the digest challenge with the right credentials', { timeout: 30_000 }, async () => {
    const [regPort, regCtl, regMedia, uacPort, uacCtl, uacMedia] = [
      await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort(),
    ];
    const registrar = sipp(
      ['-sf', join(REPO, 'test', 'deploy', 'fixtures', 'registrar-digest.xml'), ...LOOPBACK,
        '-p', String(regPort), '-cp', String(regCtl), '-mp', String(regMedia), '-m', '1'],
      25_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const uac = await sipp(
      [`127.0.0.1:${regPort}`, '-sf', join(SIPP_DIR, 'uac-register-extension.xml'), '-s', '1001',
        '-au', '1001', '-ap', 's3cret-sip-password', '-key', 'sip_domain', 'acme.example', '-key', 'contact_port', '5090',
        ...LOOPBACK, '-p', String(uacPort), '-cp', String(uacCtl), '-mp', String(uacMedia), '-m', '1'],
      25_000,
    );
    const reg = await registrar;
    expect(uac.code, uac.output + errorLogs()).toBe(0);
    expect(reg.code, reg.output + errorLogs()).toBe(0);
  });
});
