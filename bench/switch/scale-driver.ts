/**
 * The capacity benchmark's driver, inside the bench's network namespace: one FreeSWITCH from a copy of
 * freeswitch-conf/, and three controllers: `one` (SQLite, ports 8000/8084) and the pair `two` (8001/8085
 * and 8002/8086) sharing one database (by default a PostgreSQL cluster the driver starts here, fsync on). Each configures the same IVR through its API. The copy's dialplan
 * sends DID_ONE to 8084, DID_TWO_A to 8085 and DID_TWO_B to 8086, so SIPp spreads `two`'s calls evenly
 * (two callers at half the rate). Rungs of rising rates, targets interleaved; one `RESULT <json>` line per
 * rung. Everything it started is stopped by pid in a `finally`.
 */
import { join } from 'node:path';
import pg from 'pg';
import { pgBin, startPgCluster, type PgCluster } from '../../test/helpers/pg-cluster.ts';
import { cpuMs, treeCpuMs, waitIdle } from './measure.ts';
import { bootFreeSwitch, socketExtension, writeConf, type RunningSwitch } from './freeswitch.ts';
import { configureIvr, loginWhenUp, startController, type RunningController } from './controller.ts';
import { quantile, runSipp, type SippRun } from './sipp.ts';
import type { ScaleDriverConfig, ScaleRungResult, ScaleTarget } from './scale-types.ts';

const cfg = JSON.parse(process.env.BENCH_SWITCH_SCALE_DRIVER ?? '{}') as ScaleDriverConfig;
const log = (m: string): void => void process.stderr.write(`[switch-scale] ${m}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const DID_ONE = '918065978001';
const DID_TWO_A = '918065978002';
const DID_TWO_B = '918065978003';

/** A bench-only extension: `did` handed to the controller on `port`, as the shipped catch-all does. */
const toController = (did: string, port: number): string => socketExtension(`bench_scale_${did}`, did, port, { next: true });

async function main(): Promise<void> {
  const controllers: RunningController[] = [];
  let fs: RunningSwitch | undefined;
  let cluster: PgCluster | undefined;
  try {
    let twoDatabaseUrl: string | undefined;
    if (cfg.twoDatabase === 'postgres') {
      const bin = pgBin();
      if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql), or set BENCH_SWITCH_SCALE_DATABASE=sqlite');
      cluster = await startPgCluster(bin, { durable: true, ...(cfg.pgStatements ? { serverOptions: '-c shared_preload_libraries=pg_stat_statements' } : {}) });
      const admin = new pg.Client({ connectionString: `${cluster.url}/postgres` });
      await admin.connect();
      await admin.query('create database switchboard');
      await admin.end();
      if (cfg.pgStatements) await onDatabase(`${cluster.url}/switchboard`, (c) => c.query('create extension pg_stat_statements'));
      twoDatabaseUrl = `${cluster.url}/switchboard`;
      log(`PostgreSQL pid ${cluster.pid()} up (fsync on, synchronous_commit off)`);
    } else if (cfg.twoDatabase !== 'sqlite') twoDatabaseUrl = cfg.twoDatabase.url;
    const oneDir = join(cfg.work, 'one');
    const twoDir = join(cfg.work, 'two');
    const one = startController(cfg.controllerArgs, cfg.work, cfg.xmlCurlToken, cfg.controllerCwd, undefined, { dataDir: oneDir });
    controllers.push(one);
    const ivr = await configureIvr(cfg.work, `+${DID_ONE}`, { dataDir: oneDir });
    const twoDb = twoDatabaseUrl ? { databaseUrl: twoDatabaseUrl } : {};
    const twoA = startController(cfg.controllerArgs, cfg.work, cfg.xmlCurlToken, cfg.controllerCwd, undefined, { dataDir: twoDir, httpPort: 8001, eslPort: 8085, ...twoDb });
    controllers.push(twoA);
    // The pair's configuration goes in through the first of them; the second reads it from the database.
    await configureIvr(cfg.work, `+${DID_TWO_A}`, { dataDir: twoDir, httpPort: 8001, moreDids: [`+${DID_TWO_B}`] });
    const twoB = startController(cfg.controllerArgs, cfg.work, cfg.xmlCurlToken, cfg.controllerCwd, undefined, { dataDir: twoDir, httpPort: 8002, eslPort: 8086, ...twoDb });
    controllers.push(twoB);
    await loginWhenUp(8002);
    log(`controllers: one pid ${one.pid}; two pids ${twoA.pid}, ${twoB.pid} (${twoDatabaseUrl ? 'sharing PostgreSQL' : 'one shared SQLite file'})`);

    const conf = writeConf(cfg.work, {
      dir: cfg.confDir,
      xmlCurlToken: cfg.xmlCurlToken,
      // writeConf's native extension is not dialled here.
      native: { number: '9999', greetingFile: ivr.greetingFile, timeoutMs: ivr.timeoutMs, digitTimeoutMs: ivr.digitTimeoutMs, timeoutPrompt: ivr.timeoutPrompt },
      extraExtensions: toController(DID_TWO_A, 8085) + toController(DID_TWO_B, 8086),
    });
    fs = await bootFreeSwitch(cfg.work, conf);
    log(`FreeSWITCH pid ${fs.pid} up`);
    await sleep(2000);

    const sipp = (tag: string, service: string, rate: number, seconds: number, second = false): Promise<SippRun> =>
      runSipp({ dir: join(cfg.work, 'sipp', tag), service, rate, seconds, ...(second ? { sipPort: 5072, mediaPort: 6200 } : {}) });
    // Warm-up, not measured.
    await sipp('warmup-one', DID_ONE, 5, 1);
    await Promise.all([sipp('warmup-two-a', DID_TWO_A, 3, 1), sipp('warmup-two-b', DID_TWO_B, 3, 1, true)]);
    await waitIdle(fs, 15_000);

    if (cfg.pgStatements && twoDatabaseUrl) await onDatabase(twoDatabaseUrl, (c) => c.query('select pg_stat_statements_reset()'));
    let twoCalls = 0;
    const stopped = new Set<ScaleTarget>();
    const targets: ScaleTarget[] = ['one', 'two'];
    for (const rate of cfg.rates) {
      for (const target of targets) {
        if (stopped.has(target)) continue;
        await waitIdle(fs, 30_000);
        const pids = target === 'one' ? [one.pid] : [twoA.pid, twoB.pid];
        const fs0 = cpuMs(fs.pid);
        const ctl0 = pids.reduce((a, p) => a + cpuMs(p), 0);
        const db = target === 'two' && cluster ? cluster.pid() : undefined;
        const db0 = db === undefined ? 0 : treeCpuMs(db);
        const runs =
          target === 'one'
            ? [await sipp(`one-${rate}`, DID_ONE, rate, cfg.rungSeconds)]
            : await Promise.all([sipp(`two-a-${rate}`, DID_TWO_A, rate / 2, cfg.rungSeconds), sipp(`two-b-${rate}`, DID_TWO_B, rate / 2, cfg.rungSeconds, true)]);
        await sleep(1000); // the calls' teardown belongs to the rung
        const fsMs = cpuMs(fs.pid) - fs0;
        const ctlMs = pids.reduce((a, p) => a + cpuMs(p), 0) - ctl0;
        const dbMs = db === undefined ? undefined : treeCpuMs(db) - db0;
        const successful = runs.reduce((a, r) => a + r.successful, 0);
        const rtts = runs.flatMap((r) => r.inviteTo200Ms).sort((a, b) => a - b);
        const completed = Math.max(1, successful);
        const r: ScaleRungResult = {
          target,
          rate,
          calls: runs.reduce((a, x) => a + x.placed, 0),
          successful,
          failed: runs.reduce((a, x) => a + x.failed, 0),
          p50Ms: quantile(rtts, 0.5),
          p99Ms: quantile(rtts, 0.99),
          fsCpuMsPerCall: fsMs / completed,
          ctlCpuMsPerCall: ctlMs / completed,
          secondShare: target === 'two' ? (runs[1]?.successful ?? 0) / completed : 0,
          ...(dbMs === undefined ? {} : { dbCpuMsPerCall: dbMs / completed }),
        };
        process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
        if (target === 'two') twoCalls += r.calls;
        log(`${target} ${rate}/s: ${r.successful}/${r.calls} ok, ${r.failed} failed, INVITE→200 p50 ${r.p50Ms} p99 ${r.p99Ms} ms, FS ${r.fsCpuMsPerCall.toFixed(2)} ms/call, controllers ${r.ctlCpuMsPerCall.toFixed(2)} ms/call${r.dbCpuMsPerCall === undefined ? '' : `, PostgreSQL ${r.dbCpuMsPerCall.toFixed(2)} ms/call`}`);
        if (r.failed > 0 || !(r.p99Ms < cfg.p99LimitMs)) stopped.add(target);
      }
    }
    if (cfg.pgStatements && twoDatabaseUrl) await logStatements(twoDatabaseUrl, twoCalls);
  } finally {
    await fs?.stop().catch((e: unknown) => log(`FreeSWITCH stop: ${String(e)}`));
    for (const c of controllers) await c.stop().catch((e: unknown) => log(`controller stop: ${String(e)}`));
    cluster?.stop();
  }
}

async function onDatabase<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** The pair's statements since the first rung, by count per call placed (pg_stat_statements). */
async function logStatements(url: string, calls: number): Promise<void> {
  const { rows } = await onDatabase(url, (c) =>
    c.query<{ calls: string; ms: number; query: string }>(`select calls, total_exec_time as ms, query from pg_stat_statements
      where query not like '%pg_stat_statements%' order by calls desc limit 25`));
  log(`statements per call (${calls} calls placed on the pair):`);
  for (const r of rows) log(`  ${(Number(r.calls) / Math.max(1, calls)).toFixed(2)}/call  ${(r.ms / Math.max(1, Number(r.calls))).toFixed(3)} ms  ${r.query.replace(/\s+/g, ' ').slice(0, 160)}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[switch-scale] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
