/**
 * SIPp for the switch-backed suite: the signalling of callers, phones and the carrier. Scenarios are
 * written per case from a few shapes (what the caller does and what it must receive); media is a
 * Node RTP endpoint (rtp.ts), advertised in the SDP, so a case can send RFC 2833 keys and speech and
 * look at what the caller heard.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workDir = mkdtempSync(join(tmpdir(), 'sb-sipp-'));
let scenarioSeq = 0;
let portSeq = 0;
const running = new Set<{ kill(): void }>();

/** Kills every SIPp this run started that is still going (the world's teardown). */
export function killAllSipp(): void {
  for (const c of running) c.kill();
}

/** Distinct SIP/control port pairs for each SIPp process of the run. */
export function sippPorts(): { sip: number; control: number } {
  portSeq += 1;
  // Below FreeSWITCH's RTP range (16384-32768) and clear of its SIP ports.
  return { sip: 10000 + portSeq * 2, control: 12000 + portSeq * 2 };
}

export interface SippRun {
  code: number | null;
  output: string;
  errors: string;
  ms: number;
}

export interface SippProcess {
  done: Promise<SippRun>;
  kill(): void;
}

export function runSipp(scenarioXml: string, args: string[], timeoutMs = 60_000): SippProcess {
  scenarioSeq += 1;
  const name = `s${scenarioSeq}`;
  const file = join(workDir, `${name}.xml`);
  writeFileSync(file, scenarioXml);
  const started = Date.now();
  const child = spawn('sipp', ['-sf', file, ...args, '-ci', '127.0.0.1', '-mi', '127.0.0.1', '-nostdin', '-trace_err'], {
    cwd: workDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const handle = { kill: () => child.kill('SIGKILL') };
  running.add(handle);
  const done = new Promise<SippRun>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(handle);
      const errors = readdirSync(workDir)
        .filter((f) => f.startsWith(`${name}_`) && f.endsWith('_errors.log'))
        .map((f) => readFileSync(join(workDir, f), 'utf8'))
        .join('\n');
      resolve({ code, output: output.slice(-3000), errors, ms: Date.now() - started });
    }),
  );
  return { done, kill: () => child.kill('SIGKILL') };
}

const sdp = (port: number) => `v=0
o=sipp 53655765 2353687637 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio ${port} RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20
a=sendrecv`;

const send = (body: string, retrans = false) => `<send${retrans ? ' retrans="500"' : ''}><![CDATA[

${body}

]]></send>`;

const inviteHeaders = (cseq: string) => `Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: ${cseq}
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70`;

const ack = `ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0`;

const ok200 = `SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:sipp@[local_ip]:[local_port]>
Content-Length: 0`;

/** What the caller does once the INVITE is out. */
export type CallerEnd =
  /** answered, then the caller hangs up after `afterMs` */
  | { kind: 'hangup'; afterMs: number }
  /** answered, then the switch must hang up within `withinMs` */
  | { kind: 'await-bye'; withinMs: number }
  /** the caller gives up while it rings (never answered): CANCEL after `afterMs` */
  | { kind: 'cancel'; afterMs: number }
  /** the switch must answer the INVITE with this final status (never 200) */
  | { kind: 'reject'; status: number };

/** A caller: INVITE with our RTP port in the SDP, From number in field0 (via -key field0 is not possible; -inf). */
export function callerScenario(rtpPort: number, end: CallerEnd): string {
  const invite = send(
    `INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
${inviteHeaders('1 INVITE')}
Content-Type: application/sdp
Content-Length: [len]

${sdp(rtpPort)}`,
    true,
  );
  const provisional = `<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>`;
  let rest: string;
  switch (end.kind) {
    case 'reject':
      rest = `${provisional}
<recv response="${end.status}"/>
${send(ack)}`;
      break;
    case 'cancel':
      // The switch sends ringback as early media (183) while it rings the destination. The CANCEL
      // carries the INVITE's branch (message 0; the CANCEL is message 5: [branch-5]).
      rest = `<recv response="100"/>
<recv response="180" optional="true"/>
<recv response="183"/>
<pause milliseconds="${end.afterMs}"/>
${send(`CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
${inviteHeaders('1 CANCEL').replace('[branch]', '[branch-5]')}
Content-Length: 0`, true)}
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200"/>
<recv response="487"/>
${send(ack)}`;
      break;
    case 'hangup':
      rest = `${provisional}
<recv response="200" rtd="true"/>
${send(ack)}
<pause milliseconds="${end.afterMs}"/>
${send(`BYE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: "Caller" <sip:[field0]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: <sip:sipp@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0`, true)}
<recv response="200"/>`;
      break;
    case 'await-bye':
      rest = `${provisional}
<recv response="200" rtd="true"/>
${send(ack)}
<recv request="BYE" timeout="${end.withinMs}"/>
${send(ok200)}`;
      break;
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller">
${invite}
${rest}
</scenario>`;
}

/** How a phone (an extension, an agent, the carrier) answers an INVITE. */
export type PhoneMode =
  /** rings `ringMs`, answers, talks up to `talkMs` then hangs up itself (a BYE from the switch first is fine) */
  | { kind: 'answer'; ringMs: number; talkMs: number }
  | { kind: 'busy' }
  /** rings until the switch gives up (CANCEL) */
  | { kind: 'no-answer' }
  /**
   * A carrier with many customers (a campaign's numbers): a number matching `busy` is busy, one matching
   * `noAnswer` rings until CANCEL, every other one answers like `answer`. Patterns match the To header.
   */
  | { kind: 'by-number'; busy: string; noAnswer: string; ringMs: number; talkMs: number };

export function phoneScenario(rtpPort: number, mode: PhoneMode): string {
  const ringing = send(`SIP/2.0 180 Ringing
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[service]@[local_ip]:[local_port]>
Content-Length: 0`);
  // Kept for the phone's own BYE (SIPp refuses a scenario that assigns a variable it never uses).
  const choose = mode.kind === 'by-number'
    ? `
    <ereg regexp="${mode.busy}" search_in="hdr" header="To:" check_it="false" assign_to="is_busy"/>
    <ereg regexp="${mode.noAnswer}" search_in="hdr" header="To:" check_it="false" assign_to="is_silent"/>`
    : '';
  const invite = mode.kind !== 'answer' && mode.kind !== 'by-number' ? '<recv request="INVITE" crlf="true"/>' : `<recv request="INVITE" crlf="true">
  <action>
    <ereg regexp=".*" search_in="hdr" header="From:" assign_to="invite_from"/>
    <ereg regexp=".*" search_in="hdr" header="To:" assign_to="invite_to"/>
    <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" assign_to="invite_contact"/>${choose}
  </action>
</recv>`;
  const busy = `${send(`SIP/2.0 486 Busy Here
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0`)}
<recv request="ACK"/>`;
  const noAnswer = `${ringing}
<recv request="CANCEL"/>
${send(ok200)}
${send(`SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [cseq] INVITE
Content-Length: 0`)}
<recv request="ACK"/>`;
  const answer = (ringMs: number, talkMs: number) => `${ringing}
<pause milliseconds="${ringMs}"/>
${send(`SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:[service]@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

${sdp(rtpPort)}`, true)}
<recv request="ACK" crlf="true"/>
<recv request="BYE" timeout="${talkMs}" ontimeout="phone_hangs_up"/>
${send(ok200)}
<nop next="done"/>
<label id="phone_hangs_up"/>
${send(`BYE [$invite_contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$invite_to];tag=[pid]SIPpTag01[call_number]
To: [$invite_from]
Call-ID: [call_id]
CSeq: 1 BYE
Contact: <sip:[service]@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0`, true)}
<recv response="200"/>
<label id="done"/>`;
  let rest: string;
  switch (mode.kind) {
    case 'busy':
      rest = busy;
      break;
    case 'no-answer':
      rest = noAnswer;
      break;
    case 'answer':
      rest = answer(mode.ringMs, mode.talkMs);
      break;
    case 'by-number':
      rest = `<nop test="is_busy" next="busy"/>
<nop test="is_silent" next="silent"/>
${answer(mode.ringMs, mode.talkMs).replace('<label id="done"/>', '')}
<nop next="done"/>
<label id="busy"/>
${busy}
<nop next="done"/>
<label id="silent"/>
${noAnswer}
<label id="done"/>`;
      break;
  }
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="phone">
${invite}
${rest}
</scenario>`;
}

/** The From number of a caller (SIPp's field0) comes from an injection file. */
export function callerIdFile(number: string): string {
  const f = join(workDir, `cid-${number}.csv`);
  writeFileSync(f, `SEQUENTIAL\n${number};\n`);
  return f;
}

export const SIPP_WORKDIR = workDir;
