/**
 * One switch-backed world per run: FreeSWITCH from freeswitch-conf/, the product as `npm start` runs
 * it, a webhook receiver, and an organization configured through the public API the way an admin
 * would (extensions with registered SIPp phones, queues, IVRs with generated greetings, DIDs,
 * publish). Cases place calls with `call()` and read back the call log row and the webhooks.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';
import { bootFreeswitch, type Freeswitch } from './freeswitch.ts';
import { buildProduct, startProduct, type Product } from './product.ts';
import { startRtp, type RtpEndpoint } from './rtp.ts';
import { callerIdFile, callerScenario, killAllSipp, phoneScenario, runSipp, sippPorts, type CallerEnd, type PhoneMode, type SippRun } from './sipp.ts';

export const XML_CURL_TOKEN = 'switch-suite-xml-curl-token';
export const PSTN_PORT = 5099;

export interface World {
  fs: Freeswitch;
  product: Product;
  hooks: Receiver;
  dir: string;
  sipDomain: string;
  stop(): Promise<void>;
}

export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  buildProduct();
  const dir = mkdtempSync(join(tmpdir(), 'sb-world-'));
  const fs = await bootFreeswitch({ xmlCurlToken: XML_CURL_TOKEN, pstnPort: PSTN_PORT });
  let product: Product | null = null;
  let hooks: Receiver | null = null;
  try {
    product = await startProduct({ dir, xmlCurlToken: XML_CURL_TOKEN, env });
    hooks = await startReceiver();
    await product.api('POST', '/api/v1/webhooks', { url: hooks.url, events: ['*'] });
    return {
      fs,
      product,
      hooks,
      dir,
      sipDomain: 'default.sip.local',
      async stop() {
        killAllSipp();
        await product?.stop();
        await hooks?.close();
        await fs.stop();
      },
    };
  } catch (err) {
    await product?.stop();
    await hooks?.close();
    await fs.stop();
    throw err;
  }
}

/** A registered phone: SIPp registers the extension with its Contact on `port`. */
export async function registerPhone(w: World, ext: string, password: string, port: number): Promise<void> {
  const p = sippPorts();
  const xml = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register">
<send retrans="500"><![CDATA[

REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[service]@${w.sipDomain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@${w.sipDomain}>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[service]@127.0.0.1:${port}>
Expires: 3600
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
<send retrans="500"><![CDATA[

REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:[service]@${w.sipDomain}>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@${w.sipDomain}>
Call-ID: [call_id]
CSeq: 2 REGISTER
Contact: <sip:[service]@127.0.0.1:${port}>
[authentication]
Expires: 3600
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="100" optional="true"/>
<recv response="200"/>
</scenario>`;
  const r = await runSipp(xml, ['127.0.0.1:5060', '-s', ext, '-au', ext, '-ap', password, '-i', '127.0.0.1', '-p', String(p.sip), '-cp', String(p.control), '-m', '1', '-l', '1'], 15_000).done;
  if (r.code !== 0) throw new Error(`registration of ${ext} failed: ${r.output}\n${r.errors}`);
}

export interface Phone {
  rtp: RtpEndpoint;
  done: Promise<SippRun>;
  stop(): void;
}

/** A phone on `port` that handles `calls` INVITEs as `mode` says. */
export async function phone(port: number, mode: PhoneMode, calls = 1): Promise<Phone> {
  const rtp = await startRtp({ talk: true });
  const p = sippPorts();
  const proc = runSipp(phoneScenario(rtp.port, mode), ['-i', '127.0.0.1', '-p', String(port), '-cp', String(p.control), '-m', String(calls), '-aa'], 120_000);
  // Ready when SIPp holds its SIP port (an INVITE before that gets ICMP unreachable → 503).
  const deadline = Date.now() + 5_000;
  while (!udpBound(port)) {
    if (Date.now() > deadline) throw new Error(`phone on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  let ended: SippRun | null = null;
  const done = proc.done.then((r) => {
    ended = r;
    rtp.close();
    return r;
  });
  // Keys for a call that already ended fail with what SIPp said (the switch hung up first). A call the
  // keys themselves end (the switch acts on a key's first packets) is not a failure.
  const sendKeys = async (keys: string, gapMs?: number): Promise<void> => {
    const r = ended as SippRun | null;
    if (r) throw new Error(`the phone's call ended before the keys "${keys}": SIPp exit ${r.code} after ${r.ms} ms\n${r.errors}\n${r.output}`);
    await rtp.sendKeys(keys, gapMs);
  };
  return {
    rtp: { ...rtp, sendKeys },
    done,
    stop: () => proc.kill(),
  };
}

export interface PlacedCall {
  sip: SippRun;
  rtp: RtpEndpoint;
}

let callerSeq = 0;
/** A unique caller number per call, so each case finds its own call log row. */
export function nextCaller(): string {
  callerSeq += 1;
  return `+9198450${String(10000 + callerSeq).slice(1)}`;
}

/**
 * Call `dialled` on the trunks profile from `caller`. `keys` are pressed `afterMs` after the
 * switch's first RTP packet (the answer, or early media).
 */
export async function call(o: {
  dialled: string;
  caller: string;
  end: CallerEnd;
  keys?: Array<{ afterMs: number; keys: string }>;
  talk?: boolean;
  timeoutMs?: number;
  /** The switch's trunks profile (default the suite's switch, 127.0.0.1:5080). */
  to?: string;
}): Promise<PlacedCall> {
  const rtp = await startRtp({ talk: o.talk ?? true });
  const p = sippPorts();
  const proc = runSipp(
    callerScenario(rtp.port, o.end),
    [o.to ?? '127.0.0.1:5080', '-s', o.dialled, '-inf', callerIdFile(o.caller), '-i', '127.0.0.1', '-p', String(p.sip), '-cp', String(p.control), '-m', '1', '-l', '1'],
    o.timeoutMs ?? 90_000,
  );
  const keying = (async () => {
    if (!o.keys?.length) return;
    await rtp.firstPacket(15_000).catch(() => undefined);
    const t0 = Date.now();
    for (const k of o.keys) {
      const wait = t0 + k.afterMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await rtp.sendKeys(k.keys);
    }
  })();
  const sip = await proc.done;
  await keying;
  rtp.close();
  return { sip, rtp };
}

export type CallLog = Record<string, any> & { id: string; status: string; outcome: string | null; ivr_path: Array<Record<string, any>> };

/** The caller's finished call log row (waits for its end). */
export async function finishedLog(w: World, caller: string, timeoutMs = 15_000): Promise<CallLog> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await w.product.api('GET', `/api/v1/call-logs?phone=${encodeURIComponent(caller)}`);
    const row = (body.calls as CallLog[]).find((c) => c.end_time);
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no finished call log for ${caller}: ${JSON.stringify(body.calls)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Hook {
  type: string;
  data: Record<string, any>;
}

/** Webhooks received for a call log id, in arrival order; waits until `until` arrived. */
export async function hooksOf(w: World, callId: string, until = 'call.hangup', timeoutMs = 10_000): Promise<Hook[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = w.hooks.received.map((r) => JSON.parse(r.body) as Hook).filter((h) => h.data.callId === callId);
    if (all.some((h) => h.type === until)) return all;
    if (Date.now() > deadline) throw new Error(`no ${until} webhook for ${callId}; got ${all.map((h) => h.type).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Whether some process holds UDP `port` (read from /proc, so the probe never takes the port itself). */
function udpBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(hex));
}
