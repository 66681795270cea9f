/**
 * One rung of the switch benchmark: SIPp places `rate` calls per second for `seconds` with the bench's
 * caller (INVITE, ACK, wait for the switch's BYE, 200), and reports each call's INVITE → 200 OK (rtd 1,
 * from -trace_rtt) and the successful / failed counts (from -trace_stat's last line).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { trackChild } from '../child-reaper.ts';

export const SCENARIO = resolve('bench/switch/uac-invite-await-bye.xml');

export interface SippRun {
  readonly placed: number;
  readonly successful: number;
  readonly failed: number;
  /** INVITE → 200 OK of every answered call, ms, sorted. */
  readonly inviteTo200Ms: number[];
  readonly exitCode: number | null;
  readonly seconds: number;
}

export async function runSipp(o: { dir: string; service: string; rate: number; seconds: number; cpu?: number; sipPort?: number; mediaPort?: number }): Promise<SippRun> {
  mkdirSync(o.dir, { recursive: true });
  const total = Math.max(1, Math.round(o.rate * o.seconds));
  const args = [
    '127.0.0.1:5080', '-sf', SCENARIO, '-s', o.service,
    '-i', '127.0.0.1', '-ci', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(o.sipPort ?? 5070), '-mp', String(o.mediaPort ?? 6000),
    '-r', String(o.rate), '-m', String(total), '-l', String(Math.max(100, o.rate * 30)),
    '-nostdin', '-trace_err', '-trace_rtt', '-rtt_freq', '1', '-trace_stat', '-stf', 'stat.csv', '-fd', '1',
    '-timeout', `${Math.ceil(o.seconds) + 60}s`, '-timeout_error',
  ];
  const argv = o.cpu === undefined ? ['sipp', ...args] : ['taskset', '-c', String(o.cpu), 'sipp', ...args];
  const t0 = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitCode = await new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const seconds = (performance.now() - t0) / 1000;

  const stat = lastStats(join(o.dir, 'stat.csv'));
  if (!stat) throw new Error(`sipp wrote no statistics (exit ${exitCode}): ${stderr.slice(-1500)}`);
  const rttFile = readdirSync(o.dir).find((f) => f.endsWith('_rtt.csv'));
  const rtts: number[] = [];
  if (rttFile) {
    for (const line of readFileSync(join(o.dir, rttFile), 'utf8').split('\n').slice(1)) {
      const [, ms, rtd] = line.split(';');
      if (rtd !== undefined && ms !== undefined && ms !== '' && rtd.trim() === '1') rtts.push(Number(ms));
    }
  }
  rtts.sort((a, b) => a - b);
  const successful = Number(stat.get('SuccessfulCall(C)') ?? 0);
  const failed = Number(stat.get('FailedCall(C)') ?? 0);
  const placed = Number(stat.get('TotalCallCreated') ?? successful + failed);
  // A call neither successful nor counted failed (cut off by -timeout) is a failure too.
  return { placed, successful, failed: Math.max(failed, placed - successful), inviteTo200Ms: rtts, exitCode, seconds };
}

function lastStats(file: string): Map<string, string> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length < 2) return undefined;
  const head = lines[0]!.split(';');
  const last = lines[lines.length - 1]!.split(';');
  return new Map(head.map((h, i) => [h.trim(), (last[i] ?? '').trim()]));
}

export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
