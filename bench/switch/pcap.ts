/**
 * The AI bench's RTP files: writes the callers' audio as a pcap SIPp plays (`play_pcap_audio`), and reads
 * back what tcpdump saw on the namespace's loopback (Ethernet or Linux cooked frames, IPv4, UDP).
 */
import { writeFileSync } from 'node:fs';
import { linearToUlaw } from '../../src/media/g711.ts';


/**
 * `seconds` of 20 ms PCMU frames of a tone sweeping 300 → 3000 Hz and back, with a little seeded noise,
 * so that every frame's 160 bytes differ from every other's: an echoed frame names the frame it echoes.
 */
export function callerFrames(seconds: number): Buffer[] {
  const frames: Buffer[] = [];
  let phase = 0;
  let seed = 0x2545f491;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 0xffffffff) * 2 - 1;
  };
  const n = Math.round(seconds * 50);
  for (let f = 0; f < n; f++) {
    const b = Buffer.alloc(160);
    for (let i = 0; i < 160; i++) {
      const t = (f * 160 + i) / 8000;
      const freq = 300 + 2700 * Math.abs(((t / 4) % 2) - 1);
      phase += (2 * Math.PI * freq) / 8000;
      b[i] = linearToUlaw(Math.round(8000 * Math.sin(phase) + 300 * rand()));
    }
    frames.push(b);
  }
  return frames;
}

/** A pcap (Ethernet, IPv4, UDP 127.0.0.1:6000 → :6002) of RTP packets carrying `frames`, 20 ms apart. */
export function writeRtpPcap(file: string, frames: Buffer[]): void {
  const parts: Buffer[] = [];
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(1, 20);
  parts.push(global);
  frames.forEach((payload, k) => {
    const rtp = Buffer.alloc(12);
    rtp[0] = 0x80;
    rtp[1] = k === 0 ? 0x80 : 0;
    rtp.writeUInt16BE(k & 0xffff, 2);
    rtp.writeUInt32BE((k * 160) >>> 0, 4);
    rtp.writeUInt32BE(0x5b0b0b0b, 8);
    const udpLen = 8 + 12 + payload.length;
    const eth = Buffer.alloc(14);
    eth.writeUInt16BE(0x0800, 12);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udpLen, 2);
    ip[8] = 64;
    ip[9] = 17;
    ip.writeUInt32BE(0x7f000001, 12);
    ip.writeUInt32BE(0x7f000001, 16);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(6000, 0);
    udp.writeUInt16BE(6002, 2);
    udp.writeUInt16BE(udpLen, 4);
    const len = 14 + 20 + udpLen;
    const rec = Buffer.alloc(16);
    const us = k * 20_000;
    rec.writeUInt32LE(Math.floor(us / 1e6), 0);
    rec.writeUInt32LE(us % 1e6, 4);
    rec.writeUInt32LE(len, 8);
    rec.writeUInt32LE(len, 12);
    parts.push(rec, eth, ip, udp, rtp, payload);
  });
  writeFileSync(file, Buffer.concat(parts));
}

export interface UdpPacket {
  /** capture time, ms */
  readonly t: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

/** Every IPv4 UDP packet of a pcap file's bytes (microsecond or nanosecond timestamps). */
export function readUdpPackets(pcap: Buffer): UdpPacket[] {
  const magic = pcap.readUInt32LE(0);
  const nano = magic === 0xa1b23c4d;
  if (magic !== 0xa1b2c3d4 && !nano) throw new Error(`not a little-endian pcap (magic ${magic.toString(16)})`);
  const link = pcap.readUInt32LE(20);
  const l2 = link === 1 ? 14 : link === 113 ? 16 : link === 0 ? 4 : -1;
  if (l2 < 0) throw new Error(`unsupported pcap link type ${link}`);
  const out: UdpPacket[] = [];
  for (let off = 24; off + 16 <= pcap.length; ) {
    const sec = pcap.readUInt32LE(off);
    const frac = pcap.readUInt32LE(off + 4);
    const incl = pcap.readUInt32LE(off + 8);
    const data = pcap.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ip = l2;
    if (data.length < ip + 28 || data[ip]! >> 4 !== 4 || data[ip + 9] !== 17) continue;
    const udp = ip + (data[ip]! & 0x0f) * 4;
    out.push({
      t: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3),
      srcPort: data.readUInt16BE(udp),
      dstPort: data.readUInt16BE(udp + 2),
      payload: data.subarray(udp + 8),
    });
  }
  return out;
}
