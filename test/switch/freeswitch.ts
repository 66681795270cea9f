/**
 * A real FreeSWITCH 1.10 for the switch-backed suite: booted from a temp copy of freeswitch-conf/
 * (with the changes a user makes: the xml_curl token, the pstn gateway), every directory it writes
 * to in that temp folder, stopped by its pid at the end.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FS_CONF } from '../deploy/helpers.ts';

export const FS_PREFIX = '/usr/local/freeswitch';
const FS_BIN = join(FS_PREFIX, 'bin/freeswitch');
const FS_CLI = join(FS_PREFIX, 'bin/fs_cli');

/** null when FreeSWITCH and SIPp are both here, else what is missing. */
export function switchMissing(): string | null {
  if (!existsSync(FS_BIN) || !existsSync(FS_CLI)) return `FreeSWITCH (${FS_BIN})`;
  if (spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).status !== 0) return 'SIPp (sipp)';
  return null;
}

export interface FreeswitchOptions {
  xmlCurlToken: string;
  /** The carrier for external numbers: gateway `pstn` at 127.0.0.1:<port>. */
  pstnPort: number;
  /**
   * Other ports, for a second switch on this machine (127.0.0.1 only): what a user changes to run two
   * FreeSWITCH on one host. Defaults are freeswitch-conf's: SIP 5080/5060, ESL 8021, RTP 16384-32768.
   */
  ports?: SwitchPorts;
}

export interface SwitchPorts {
  trunks: number;
  extensions: number;
  esl: number;
  rtpStart: number;
  rtpEnd: number;
}

/** Replaces `from` in a file of the copy, failing when the shipped configuration no longer has it. */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: "${from}" not found (freeswitch-conf changed?)`);
  writeFileSync(file, text.replace(from, to));
}

export interface Freeswitch {
  readonly dir: string;
  readonly pid: number;
  readonly logFile: string;
  /** fs_cli -x <cmd> over the inbound socket. */
  cli(cmd: string): Promise<string>;
  /** The log written since `mark()` (or since boot). */
  logSince(mark?: number): string;
  mark(): number;
  stop(): Promise<void>;
}

export async function bootFreeswitch(o: FreeswitchOptions): Promise<Freeswitch> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-fs-'));
  const conf = join(dir, 'conf');
  cpSync(FS_CONF, conf, { recursive: true });
  // What the README tells a user to do: set the token, enable the pstn gateway.
  const vars = join(conf, 'vars.xml');
  writeFileSync(vars, readFileSync(vars, 'utf8').replace('xml_curl_token=change-me-xml-curl-token', `xml_curl_token=${o.xmlCurlToken}`));
  const gw = readFileSync(join(conf, 'sip_profiles/trunks/pstn.xml.example'), 'utf8')
    .replaceAll('CARRIER_HOST', `127.0.0.1:${o.pstnPort}`)
    .replaceAll('CARRIER_USERNAME', 'switchboard')
    .replaceAll('CARRIER_PASSWORD', 'not-used')
    .replace('<param name="ping" value="30"/>', '');
  writeFileSync(join(conf, 'sip_profiles/trunks/pstn.xml'), gw);
  const ports = o.ports;
  if (ports) {
    edit(vars, 'trunks_sip_port=5080', `trunks_sip_port=${ports.trunks}`);
    edit(vars, 'extensions_sip_port=5060', `extensions_sip_port=${ports.extensions}`);
    edit(join(conf, 'autoload_configs/event_socket.conf.xml'), '<param name="listen-port" value="8021"/>', `<param name="listen-port" value="${ports.esl}"/>`);
    const sw = join(conf, 'autoload_configs/switch.conf.xml');
    edit(sw, '<param name="rtp-start-port" value="16384"/>', `<param name="rtp-start-port" value="${ports.rtpStart}"/>`);
    edit(sw, '<param name="rtp-end-port" value="32768"/>', `<param name="rtp-end-port" value="${ports.rtpEnd}"/>`);
  }
  const eslPort = String(ports?.esl ?? 8021);

  const dirs = ['log', 'db', 'run', 'temp', 'cache', 'storage', 'recordings', 'certs', 'sounds'];
  for (const d of dirs) mkdirSync(join(dir, d), { recursive: true });
  const args = ['-nonat', '-nc', '-conf', conf, ...dirs.flatMap((d) => [`-${d}`, join(dir, d)])];
  const boot = spawnSync(FS_BIN, args, { encoding: 'utf8' });
  if (boot.status !== 0) throw new Error(`freeswitch did not start: ${boot.stderr || boot.stdout}`);

  const cli = (cmd: string) =>
    new Promise<string>((resolve, reject) =>
      execFile(FS_CLI, ['-H', '127.0.0.1', '-P', eslPort, '-p', 'ClueCon', '-x', cmd], { timeout: 10_000 }, (err, stdout) =>
        // ExecFileException is an Omit<> of Error, which the lint cannot see as one: wrap it, naming the command.
        err ? reject(new Error(`fs_cli -x ${cmd}: ${err.message}`, { cause: err })) : resolve(stdout),
      ),
    );
  const pidFile = join(dir, 'run/freeswitch.pid');
  const deadline = Date.now() + 20_000;
  let pid = 0;
  for (;;) {
    if (existsSync(pidFile)) pid = Number(readFileSync(pidFile, 'utf8').trim());
    const up = pid > 0 ? await cli('status').catch(() => '') : '';
    if (up.includes('is ready')) break;
    if (Date.now() > deadline) {
      if (pid > 0) process.kill(pid, 'SIGKILL');
      throw new Error('freeswitch did not become ready in 20 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const logFile = join(dir, 'log/freeswitch.log');
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  return {
    dir,
    pid,
    logFile,
    cli,
    mark: () => readLog().length,
    logSince: (mark = 0) => readLog().slice(mark),
    async stop() {
      await cli('fsctl shutdown elegant').catch(() => undefined);
      const until = Date.now() + 8_000;
      while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
