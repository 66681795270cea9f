/**
 * The real FreeSWITCH 1.10 for the switch benchmark: booted from a temp copy of freeswitch-conf/
 * (as /work/shared/freeswitch/README.md runs it), with only what the bench needs changed in the copy:
 * sessions-per-second and max-sessions raised, the API token, and one native extension in context
 * `public` (before the catch-all `inbound_did`) that does the IVR's media work in the dialplan.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trackChild } from '../child-reaper.ts';

export const FS_PREFIX = '/usr/local/freeswitch';
const FS_CLI = `${FS_PREFIX}/bin/fs_cli`;
/** The socket app's arguments in the project's dialplan. */
export const PRODUCT_SOCKET_ARGS = '127.0.0.1:8084 full';

export interface NativeMedia {
  /** Number the native extension answers (`^<number>$`). */
  readonly number: string;
  readonly greetingFile: string;
  /** The IVR's first-digit timeout, ms. */
  readonly timeoutMs: number;
  /** The IVR's inter-digit timeout, ms (play_and_get_digits' last argument). */
  readonly digitTimeoutMs: number;
  /** What the IVR plays before hanging up on a timeout. */
  readonly timeoutPrompt: string;
}

export interface FreeSwitchConf {
  readonly dir: string;
  readonly xmlCurlToken: string;
  readonly native: NativeMedia;
  /** The socket app's arguments for `inbound_did` (default the product's). */
  readonly socketArgs?: string;
  /** More bench-only extensions (XML) for context `public`, before the catch-all. */
  readonly extraExtensions?: string;
}

/** Copies freeswitch-conf/ into `<work>/conf` with the bench's changes; returns the copy's path. */
export function writeConf(work: string, o: FreeSwitchConf): string {
  const conf = join(work, 'conf');
  cpSync(o.dir, conf, { recursive: true });
  const edit = (file: string, change: (xml: string) => string): void => {
    const path = join(conf, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`bench: nothing changed in ${file}`);
    writeFileSync(path, after);
  };
  edit('autoload_configs/switch.conf.xml', (x) =>
    x
      .replace(/(name="sessions-per-second" value=")\d+/, '$11000')
      .replace(/(name="max-sessions" value=")\d+/, '$120000'),
  );
  edit('vars.xml', (x) => x.replace(/xml_curl_token=[^"]*/, `xml_curl_token=${o.xmlCurlToken}`));
  const n = o.native;
  const pagd = `1 1 1 ${n.timeoutMs} none ${n.greetingFile} silence_stream://10 sb_digits [0-9*#]+ ${n.digitTimeoutMs}`;
  const extension = `
    <!-- bench only: the IVR's media work done by the dialplan itself (answer, greeting with a
         ${n.timeoutMs} ms wait for a key, the timeout prompt, hang up). -->
    <extension name="bench_native">
      <condition field="destination_number" expression="^${n.number}$">
        <action application="answer"/>
        <action application="play_and_get_digits" data="${pagd}"/>
        <action application="playback" data="${n.timeoutPrompt}"/>
        <action application="hangup" data="NORMAL_CLEARING"/>
      </condition>
    </extension>
${o.extraExtensions ?? ''}
    <!-- Any DID: hand the call to the controller. -->`;
  edit('dialplan/public.xml', (x) => {
    let out = x.replace('\n    <!-- Any DID: hand the call to the controller. -->', extension);
    if (o.socketArgs && o.socketArgs !== PRODUCT_SOCKET_ARGS) out = out.replaceAll(`data="${PRODUCT_SOCKET_ARGS}"`, `data="${o.socketArgs}"`);
    return out;
  });
  return conf;
}

export interface RunningSwitch {
  readonly pid: number;
  readonly logFile: string;
  cli(command: string): string;
  stop(): Promise<void>;
}

/** Boots FreeSWITCH in the foreground (-nc -nf: no console, no fork, so its pid is our child's). */
export async function bootFreeSwitch(work: string, conf: string, cpu?: number): Promise<RunningSwitch> {
  const dirs = ['log', 'db', 'run', 'temp', 'cache', 'storage', 'recordings', 'certs', 'sounds'];
  for (const d of dirs) mkdirSync(join(work, d), { recursive: true });
  const args = ['-nonat', '-nc', '-nf', '-conf', conf, ...dirs.flatMap((d) => [`-${d}`, join(work, d)])];
  // On one CPU: every thread it starts inherits the affinity.
  const argv = cpu === undefined ? [`${FS_PREFIX}/bin/freeswitch`, ...args] : ['taskset', '-c', String(cpu), `${FS_PREFIX}/bin/freeswitch`, ...args];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  trackChild(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cli = (command: string): string =>
    spawnSync(FS_CLI, ['-H', '127.0.0.1', '-P', '8021', '-p', 'ClueCon', '-x', command], { encoding: 'utf8', timeout: 10_000 }).stdout ?? '';
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    cli('shutdown');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`FreeSWITCH exited at boot (code ${child.exitCode}): ${stderr.slice(-2000)}`);
    if (/trunks\s+profile.*RUNNING/.test(cli('sofia status'))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error('FreeSWITCH did not come up within 30 s');
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { pid: child.pid!, logFile: join(work, 'log', 'freeswitch.log'), cli, stop };
}

/**
 * A bench-only extension of context `public` that hands `number` to the socket at `port`, as the shipped
 * catch-all `inbound_did` does: `sched_hangup` first when `guard`, `transfer controller_next` after when `next`.
 */
export function socketExtension(name: string, number: string, port: number, o: { guard?: boolean; next?: boolean } = {}): string {
  const guard = o.guard ? `\n        <action application="sched_hangup" data="+$\${max_call_seconds} ALLOTTED_TIMEOUT"/>` : '';
  const next = o.next ? `\n        <action application="transfer" data="controller_next XML public"/>` : '';
  return `
    <extension name="${name}">
      <condition field="destination_number" expression="^${number}$">${guard}
        <action application="socket" data="127.0.0.1:${port} full"/>${next}
      </condition>
    </extension>`;
}
