/**
 * `npm run bench -- dialer`: how many campaign calls per second the dialer originates, against the
 * emulator and against the real FreeSWITCH, each beside a baseline measured in the same run: the same
 * number of originates sent straight over the inbound ESL connection with the same concurrency (no
 * database, no campaign, no call control). Every customer is busy, so each call is one originate and its
 * answer; the figure is attempts placed and settled per second, the dialer's whole loop.
 *
 * The real-switch part boots FreeSWITCH from freeswitch-conf/ (its `sessions-per-second` of 30 caps both
 * rows) with the `pstn` gateway towards a SIPp carrier that answers every INVITE with 486, and runs the
 * product (dist/) on the host's loopback: it is skipped when FreeSWITCH is not installed, and collides
 * with another FreeSWITCH or product on this host.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createTestApi } from '../test/helpers/api.ts';
import { InboundEmulator } from '../test/emulator/inbound-server.ts';
import { InboundClient } from '../src/esl/inbound-client.ts';
import { silentLogger } from '../src/runtime/logger.ts';
import { createCallControl } from '../src/switch/call-control.ts';
import { createSwitches } from '../src/switch/switches.ts';
import { createDialer } from '../src/switch/dialer.ts';
import { createCallEventBus } from '../src/domain/call-events.ts';
import { printTable } from './table.ts';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const cpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const numbers = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(6, '0')}`);

/** Numbers whose attempt did not end busy (the customer's 486): calls that did not really happen. */
async function notBusy(get: (path: string) => Promise<Record<string, any>>, campaignId: string): Promise<number> {
  let n = 0;
  for (let offset = 0; ; offset += 500) {
    const page = await get(`/api/v1/campaigns/${campaignId}/numbers?limit=500&offset=${offset}`);
    const rows = page.numbers as Array<{ last_outcome: string | null }>;
    n += rows.filter((r) => r.last_outcome !== 'busy').length;
    if (rows.length < 500) return n;
  }
}

interface Row {
  what: string;
  calls: number;
  seconds: number;
  failed: number;
  fsCpuMsPerCall?: number;
}

/** Keeps `concurrency` originates in flight, started at most `cps` a second, until every one was answered. */
async function bareOriginates(client: InboundClient, dial: (n: string) => string, list: string[], concurrency: number, cps: number): Promise<Row & { what: string }> {
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < list.length) {
      const i = next++;
      const n = list[i]!;
      // Paced like the dialer: the i-th call starts no earlier than i / cps seconds in.
      const wait = t0 + (i * 1000) / cps - performance.now();
      if (wait > 0) await sleep(wait);
      // -ERR USER_BUSY is the expected answer (the customer's 486): anything else is a call that did not happen.
      await client.bgapi(`originate {origination_uuid=${randomUUID()},originate_timeout=10,ignore_early_media=true}${dial(n)} &park()`, { timeoutMs: 20_000 }).then(
        () => void failed++,
        (err: Error & { reason?: string }) => {
          if (!/USER_BUSY/.test(err.reason ?? err.message)) failed++;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { what: 'baseline: bare bgapi originate loop', calls: list.length, seconds: (performance.now() - t0) / 1000, failed };
}

async function emulatorRun(total: number, concurrency: number, cps: number): Promise<Row[]> {
  const api = createTestApi();
  const org = await api.org('Bench');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, path, { token: org.token, body });
    if (res.status >= 300) throw new Error(`${path} ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, any>;
  };
  const ivr = await call('POST', '/api/v1/ivrs', { name: 'Bench', extension: '7001' });
  await call('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
  await call('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
  await call('POST', `/api/v1/ivrs/${ivr.id}/publish`);
  const emu = new InboundEmulator({ calls: { outcome: (_d, leg) => (leg === 'a' ? 'busy' : 'answer'), ringMs: 1 } });
  const port = await emu.listen();
  const client = new InboundClient({ port, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 5_000, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  client.start();
  await client.waitConnected({ timeoutMs: 2_000 });
  try {
    const base = await bareOriginates(client, (n) => `sofia/gateway/pstn/${n}`, numbers(total, '+9170'), concurrency, cps);
    const control = createCallControl({ db: api.deps.adb, logger: silentLogger(), bus: createCallEventBus(), switches: createSwitches([{ id: 'fs', client }], { logger: silentLogger() }), gateway: 'pstn', ringTimeoutS: 10, recordingsDir: null, socketEndpoint: '127.0.0.1:9' });
    control.start();
    const c = await call('POST', '/api/v1/campaigns', { name: 'bench', did: '+918065978001', flow_id: ivr.id, no_of_call: concurrency, start_time: '00:00', end_time: '24:00', days: [0, 1, 2, 3, 4, 5, 6] });
    await call('POST', `/api/v1/campaigns/${c.id}/numbers/batch`, { records: numbers(total, '+9171').map((number) => ({ number })) });
    await call('POST', `/api/v1/campaigns/${c.id}/status`, { status: 'on' });
    const dialer = createDialer({ db: api.deps.adb, logger: silentLogger(), calls: control, tickMs: 5, maxCps: cps });
    const t0 = performance.now();
    dialer.start();
    let totals: Record<string, number> = {};
    for (;;) {
      totals = (await call('GET', `/api/v1/campaigns/${c.id}`)).totals as Record<string, number>;
      if (totals.pending === 0 && totals.dialing === 0) break;
      await sleep(5);
    }
    const seconds = (performance.now() - t0) / 1000;
    await dialer.stop();
    control.stop();
    return [
      { ...base, what: `emulator — ${base.what}` },
      { what: 'emulator — dialer (claim, originate, settle in SQLite)', calls: totals.numbers ?? 0, seconds, failed: await notBusy((path) => call('GET', path), c.id as string) },
    ];
  } finally {
    await client.close();
    await emu.close();
    api.close();
  }
}

async function switchRun(total: number, concurrency: number, cps: number): Promise<Row[] | string> {
  const { switchMissing, bootFreeswitch } = await import('../test/switch/freeswitch.ts');
  const missing = switchMissing();
  if (missing) return missing;
  const { startProduct } = await import('../test/switch/product.ts');
  const { phone, PSTN_PORT, XML_CURL_TOKEN } = await import('../test/switch/world.ts');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const fs = await bootFreeswitch({ xmlCurlToken: XML_CURL_TOKEN, pstnPort: PSTN_PORT });
  const dir = mkdtempSync(join(tmpdir(), 'sb-dialer-bench-'));
  const product = await startProduct({ dir, xmlCurlToken: XML_CURL_TOKEN, env: { LOG_LEVEL: 'warn', DIALER_TICK_MS: '100', ORIGINATE_TIMEOUT_S: '10', DIALER_MAX_CPS: String(cps) } });
  const client = new InboundClient({ port: 8021, password: 'ClueCon', logger: silentLogger(), commandTimeoutMs: 20_000, reconnect: { initialDelayMs: 100, maxDelayMs: 500 } });
  try {
    const carrier = await phone(PSTN_PORT, { kind: 'busy' }, total * 2 + 10);
    client.start();
    await client.waitConnected({ timeoutMs: 5_000 });
    const api = product.api;
    const ivr = (await api('POST', '/api/v1/ivrs', { name: 'Bench', extension: '7001' })).body;
    await api('PUT', `/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '1', action_type: 'hangup', action_destination: null }] });
    await api('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
    await api('POST', `/api/v1/ivrs/${ivr.id}/publish`);
    await sleep(1000);
    let c0 = cpuMs(fs.pid);
    const base = await bareOriginates(client, (n) => `sofia/gateway/pstn/${n}`, numbers(total, '+1415'), concurrency, cps);
    const baseCpu = (cpuMs(fs.pid) - c0) / total;
    await sleep(2000);
    const c = (await api('POST', '/api/v1/campaigns', { name: 'bench', did: '+918065978001', flow_id: ivr.id, no_of_call: concurrency, start_time: '00:00', end_time: '24:00', days: [0, 1, 2, 3, 4, 5, 6] })).body;
    await api('POST', `/api/v1/campaigns/${c.id}/numbers/batch`, { records: numbers(total, '+1416').map((number) => ({ number })) });
    c0 = cpuMs(fs.pid);
    const t0 = performance.now();
    await api('POST', `/api/v1/campaigns/${c.id}/status`, { status: 'on' });
    let totals: Record<string, number> = {};
    for (;;) {
      totals = (await api('GET', `/api/v1/campaigns/${c.id}`)).body.totals as Record<string, number>;
      if (totals.pending === 0 && totals.dialing === 0) break;
      await sleep(50);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = (cpuMs(fs.pid) - c0) / total;
    carrier.stop();
    return [
      { ...base, what: `real switch — ${base.what}`, fsCpuMsPerCall: baseCpu },
      { what: 'real switch — dialer (product: API, SQLite, call control)', calls: totals.numbers ?? 0, seconds, failed: await notBusy(async (path) => (await api('GET', path)).body as Record<string, any>, c.id as string), fsCpuMsPerCall: cpu },
    ];
  } finally {
    await client.close();
    await product.stop();
    await fs.stop();
  }
}

export async function benchDialer(): Promise<void> {
  const table = (title: string, rows: Row[]) => {
    const baseRate = rows[0]!.calls / rows[0]!.seconds;
    printTable(title, ['what', 'calls', 'not busy (did not happen)', 'seconds', 'calls/s', 'FreeSWITCH CPU ms/call', 'ratio vs baseline'], rows.map((r) => [
      r.what, r.calls, r.failed, r.seconds, r.calls / r.seconds, r.fsCpuMsPerCall === undefined ? '—' : r.fsCpuMsPerCall, (r.calls / r.seconds) / baseRate,
    ]));
  };
  table('Dialer: campaign calls originated per second, against the emulator (2000 numbers, 100 at once, up to 5000 a second, every customer busy)', await emulatorRun(2000, 100, 5000));
  const sw = await switchRun(300, 30, 25);
  if (typeof sw === 'string') process.stdout.write(`\n### Dialer against the real switch: skipped (${sw})\n`);
  else table('Dialer: campaign calls originated per second, against the real FreeSWITCH (300 numbers, 30 at once, at most 25 a second under the switch’s sessions-per-second of 30; a SIPp carrier answering 486)', sw);
}
