/**
 * What the AI bench's callers got, from a tcpdump of the namespace's loopback: per call (one FreeSWITCH
 * RTP port), the caller's frames (RTP toward FreeSWITCH) and what came back (RTP from FreeSWITCH). An
 * echoed frame is found by its bytes (every caller frame differs), so its delay is exact.
 */
import type { UdpPacket } from './pcap.ts';

/** FreeSWITCH's RTP ports (freeswitch-conf's switch.conf.xml rtp-start-port / rtp-end-port). */
const FS_RTP = { min: 16384, max: 32768 };
const RTP_BYTES = 12 + 160;

/**
 * A frame's bytes as a key. μ-law 0x7F (−0) decodes to the same sample as 0xFF (+0), which every encoder
 * writes back as 0xFF: a frame that went through linear audio and back keeps its key.
 */
function keyOf(payload: Buffer): string {
  const b = Buffer.from(payload.subarray(12));
  for (let i = 0; i < b.length; i++) if (b[i] === 0x7f) b[i] = 0xff;
  return b.toString('latin1');
}

export interface CallMedia {
  readonly fsPort: number;
  readonly sent: number;
  readonly received: number;
  /** frames of the caller that came back, share of those sent inside the window */
  readonly echoed: number;
  /** longest gap between packets from FreeSWITCH inside the window, ms */
  readonly maxGapMs: number;
  /** gaps over the limit inside the window */
  readonly gapsOver: number;
  readonly delaysMs: number[];
}

export interface MediaSummary {
  readonly calls: number;
  /** calls where not one echoed frame came back */
  readonly silent: number;
  /** calls with at least one gap over the limit */
  readonly broken: number;
  readonly maxGapMs: number;
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly minEchoed: number;
}

/**
 * The window of a call starts `settleMs` after its first echoed frame (the bot's socket is up and the
 * play-out has started) and ends `tailMs` before its caller's last frame (the hang-up).
 */
export function analyzeCalls(packets: readonly UdpPacket[], o: { gapLimitMs: number; settleMs: number; tailMs: number }): CallMedia[] {
  const byPort = new Map<number, { sent: UdpPacket[]; recv: UdpPacket[] }>();
  const entry = (port: number) => {
    let e = byPort.get(port);
    if (!e) byPort.set(port, (e = { sent: [], recv: [] }));
    return e;
  };
  for (const p of packets) {
    if (p.payload.length !== RTP_BYTES || p.payload[0] !== 0x80 || (p.payload[1]! & 0x7f) !== 0) continue;
    if (p.dstPort >= FS_RTP.min && p.dstPort <= FS_RTP.max && !(p.srcPort >= FS_RTP.min && p.srcPort <= FS_RTP.max)) entry(p.dstPort).sent.push(p);
    else if (p.srcPort >= FS_RTP.min && p.srcPort <= FS_RTP.max) entry(p.srcPort).recv.push(p);
  }
  const out: CallMedia[] = [];
  for (const [fsPort, { sent, recv }] of byPort) {
    if (sent.length === 0) continue;
    const sentAt = new Map<string, number>();
    for (const p of sent) sentAt.set(keyOf(p.payload), p.t);
    const echoes = recv.flatMap((p) => {
      const t0 = sentAt.get(keyOf(p.payload));
      return t0 === undefined ? [] : [{ at: p.t, sentAt: t0 }];
    });
    const lastSent = sent[sent.length - 1]!.t;
    const from = echoes.length ? echoes[0]!.at + o.settleMs : Infinity;
    const to = lastSent - o.tailMs;
    let maxGap = 0;
    let gapsOver = 0;
    let prev = Number.NaN;
    for (const p of recv) {
      if (p.t < from || p.t > to) continue;
      if (!Number.isNaN(prev)) {
        const gap = p.t - prev;
        maxGap = Math.max(maxGap, gap);
        if (gap > o.gapLimitMs) gapsOver++;
      }
      prev = p.t;
    }
    const inWindow = sent.filter((p) => p.t >= from && p.t <= to - 100);
    const echoedSet = new Set(echoes.map((e) => e.sentAt));
    const echoedShare = inWindow.length ? inWindow.filter((p) => echoedSet.has(p.t)).length / inWindow.length : 0;
    out.push({
      fsPort,
      sent: sent.length,
      received: recv.length,
      echoed: echoedShare,
      maxGapMs: maxGap,
      gapsOver,
      delaysMs: echoes.filter((e) => e.at >= from && e.at <= to).map((e) => e.at - e.sentAt),
    });
  }
  return out;
}

export function summarize(calls: readonly CallMedia[]): MediaSummary {
  const delays = calls.flatMap((c) => c.delaysMs).sort((a, b) => a - b);
  const q = (p: number): number => (delays.length ? delays[Math.min(delays.length - 1, Math.floor(p * delays.length))]! : Number.NaN);
  return {
    calls: calls.length,
    silent: calls.filter((c) => c.delaysMs.length === 0).length,
    broken: calls.filter((c) => c.gapsOver > 0).length,
    maxGapMs: Math.max(0, ...calls.map((c) => c.maxGapMs)),
    delayP50Ms: q(0.5),
    delayP99Ms: q(0.99),
    minEchoed: Math.min(1, ...calls.map((c) => c.echoed)),
  };
}
