/**
 * The media side of a SIPp party: a UDP socket advertised in its SDP. It answers FreeSWITCH's RTP
 * with its own 20 ms PCMU stream (a tone, so a recording has sound), sends RFC 2833 keys, and keeps
 * what it heard so a case can tell silence from speech or from the bot's audio.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface RtpEndpoint {
  readonly port: number;
  /** PCMU payload bytes received, in order. */
  readonly heard: Buffer[];
  /** Packets received with payload type 0 whose samples are not near-silence. */
  loudPackets(): number;
  /** Resolves with the first packet's arrival (FreeSWITCH started sending media). */
  firstPacket(timeoutMs?: number): Promise<void>;
  /** RFC 2833: a key, 100 ms, to where FreeSWITCH sends from. */
  sendKeys(keys: string, gapMs?: number): Promise<void>;
  close(): void;
}

const EVENTS: Record<string, number> = { '*': 10, '#': 11 };
const eventOf = (k: string) => EVENTS[k] ?? Number(k);

/** μ-law encode of one 16-bit sample. */
function ulaw(sample: number): number {
  const BIAS = 0x84;
  let s = Math.max(-32635, Math.min(32635, sample));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s += BIAS;
  let exp = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exp > 0; mask >>= 1) exp--;
  const mant = (s >> (exp + 3)) & 0x0f;
  return ~(sign | (exp << 4) | mant) & 0xff;
}

function ulawDecode(u: number): number {
  const x = ~u & 0xff;
  const sign = x & 0x80;
  const exp = (x >> 4) & 7;
  const mant = x & 0x0f;
  const s = (((mant << 3) + 0x84) << exp) - 0x84;
  return sign ? -s : s;
}

/** A 20 ms frame of a 440 Hz tone at about -12 dBFS, phase-continuous. */
function toneFrames(): () => Buffer {
  let n = 0;
  return () => {
    const b = Buffer.alloc(160);
    for (let i = 0; i < 160; i++, n++) b[i] = ulaw(Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / 8000)));
    return b;
  };
}

let nextPort = 14000;

/**
 * Ports from 14000 up (below FreeSWITCH's RTP range, clear of the ephemeral range other tests bind
 * in), so a run never takes a port another test file needs.
 */
async function bindRtp(): Promise<Socket> {
  for (let tries = 0; tries < 200; tries++) {
    const port = nextPort;
    nextPort = nextPort >= 15998 ? 14000 : nextPort + 2;
    const sock = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      sock.once('error', () => resolve(false));
      sock.bind(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) return sock;
    sock.close();
  }
  throw new Error('no free RTP port in 14000-15999');
}

export async function startRtp(o: { talk?: boolean } = {}): Promise<RtpEndpoint> {
  const sock = await bindRtp();
  const port = sock.address().port;
  const heard: Buffer[] = [];
  let remote: RemoteInfo | null = null;
  const waiters: Array<() => void> = [];
  const ssrc = Math.floor(Math.random() * 0xffffffff);
  let seq = Math.floor(Math.random() * 1000);
  let ts = Math.floor(Math.random() * 100000);
  const tone = toneFrames();
  let keying = false;

  const packet = (pt: number, payload: Buffer, marker = false, advance = 160) => {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(seq++ & 0xffff, 2);
    h.writeUInt32BE(ts >>> 0, 4);
    h.writeUInt32BE(ssrc >>> 0, 8);
    ts += advance;
    return Buffer.concat([h, payload]);
  };
  let closed = false;
  // After close (the phone's call ended), packets go nowhere, as on a phone that hung up: a key's
  // last packets can still be due when the switch has already acted on its first and ended the call.
  const out = (b: Buffer) => {
    if (remote && !closed) sock.send(b, remote.port, remote.address);
  };

  sock.on('message', (msg, rinfo) => {
    if (!remote) {
      remote = rinfo;
      for (const w of waiters.splice(0)) w();
    }
    if (msg.length > 12 && (msg[1]! & 0x7f) === 0) heard.push(msg.subarray(12));
  });
  const clock = setInterval(() => {
    if (remote && !keying) out(packet(0, o.talk ? tone() : Buffer.alloc(160, 0xff)));
  }, 20);

  return {
    port,
    heard,
    loudPackets() {
      let loud = 0;
      for (const p of heard) {
        let sum = 0;
        for (const u of p) sum += Math.abs(ulawDecode(u));
        if (sum / p.length > 300) loud++;
      }
      return loud;
    },
    firstPacket(timeoutMs = 10_000) {
      if (remote) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no RTP from FreeSWITCH')), timeoutMs);
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    },
    async sendKeys(keys, gapMs = 300) {
      for (const k of keys) {
        keying = true;
        const ev = eventOf(k);
        const start = ts;
        // 5 packets of 20 ms (duration grows), then 3 end packets, all with the event's timestamp.
        for (let i = 1; i <= 8; i++) {
          const end = i > 5;
          const p = Buffer.alloc(4);
          p[0] = ev;
          p[1] = (end ? 0x80 : 0) | 10;
          p.writeUInt16BE(Math.min(i, 5) * 160, 2);
          ts = start;
          out(packet(101, p, i === 1, 0));
          await new Promise((r) => setTimeout(r, 20));
        }
        ts = start + 5 * 160;
        keying = false;
        await new Promise((r) => setTimeout(r, gapMs));
      }
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(clock);
      sock.close();
    },
  };
}
