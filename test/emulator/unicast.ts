/**
 * FreeSWITCH's `unicast` as measured on 1.10.12 (/work/shared/esl-transcripts, "Unicast"): from
 * local-port it sends the caller's audio to remote-port, L16 LE mono 8 kHz, 320 bytes every 20 ms
 * (`flags: native`: raw PCMU, 160 bytes); while an RFC 2833 digit is in flight the frames are 320
 * bytes of 0xFF; every datagram received on local-port is one frame played to the caller. It stops
 * when any app runs or the channel hangs up (the owner calls `stop`).
 */
import { createSocket, type Socket } from 'node:dgram';
import { linearToUlaw } from '../../src/media/g711.ts';

export interface UnicastParams {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly native: boolean;
}

/** What the caller "says": a 400 Hz tone (the transcripts' test tone), silence, or frames you build. */
export type UnicastAudio = 'tone' | 'silence' | ((frameIndex: number, native: boolean) => Buffer);

export interface ReceivedDatagram {
  /** performance.now() when it arrived */
  readonly at: number;
  readonly bytes: Buffer;
}

export type UnicastStop = 'app' | 'hangup' | 'second-unicast' | 'socket-closed';

/** 20 ms of a 400 Hz tone, amplitude 5951 (RMS 4208, as in unicast-summary-e-l16.json). */
export function toneFrame(frameIndex: number, native: boolean, hz = 400, amplitude = 5951): Buffer {
  const l16 = Buffer.alloc(320);
  for (let i = 0; i < 160; i++) {
    const n = frameIndex * 160 + i;
    l16.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / 8000)), i * 2);
  }
  if (!native) return l16;
  const u = Buffer.alloc(160);
  for (let i = 0; i < 160; i++) u[i] = linearToUlaw(l16.readInt16LE(i * 2));
  return u;
}

export class EmulatedUnicast {
  readonly received: ReceivedDatagram[] = [];
  /** datagrams sent to the server */
  sent = 0;
  stoppedBy: UnicastStop | null = null;
  readonly #socket: Socket;
  readonly #audio: UnicastAudio;
  #timer: NodeJS.Timeout | null = null;
  #due = 0;
  #filler = 0;

  private constructor(
    readonly params: UnicastParams,
    audio: UnicastAudio,
    socket: Socket,
  ) {
    this.#audio = audio;
    this.#socket = socket;
  }

  /** Bind local-port and start sending; a bind failure is reported like FreeSWITCH: nothing flows. */
  static async start(params: UnicastParams, audio: UnicastAudio): Promise<EmulatedUnicast> {
    const socket = createSocket('udp4');
    const u = new EmulatedUnicast(params, audio, socket);
    socket.on('message', (bytes) => u.received.push({ at: performance.now(), bytes }));
    socket.on('error', () => undefined);
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(params.localPort, params.localIp, () => resolve(true));
    });
    if (!ok) {
      u.stoppedBy = 'socket-closed';
      return u;
    }
    u.#due = performance.now() + 20;
    u.#schedule();
    return u;
  }

  get active(): boolean {
    return this.stoppedBy === null;
  }

  /** An RFC 2833 digit: the next frames are 320 bytes of 0xFF (native or not). */
  dtmfFiller(frames = 3): void {
    this.#filler += frames;
  }

  stop(reason: UnicastStop): void {
    if (this.stoppedBy) return;
    this.stoppedBy = reason;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    try {
      this.#socket.close();
    } catch {
      // already closed
    }
  }

  #schedule(): void {
    this.#timer = setTimeout(() => this.#send(), Math.max(0, Math.floor(this.#due - performance.now())));
  }

  #send(): void {
    if (this.stoppedBy) return;
    let frame: Buffer;
    if (this.#filler > 0) {
      this.#filler--;
      frame = Buffer.alloc(320, 0xff);
    } else if (this.#audio === 'silence') {
      frame = Buffer.alloc(this.params.native ? 160 : 320, this.params.native ? 0xff : 0);
    } else if (this.#audio === 'tone') {
      frame = toneFrame(this.sent, this.params.native);
    } else {
      frame = this.#audio(this.sent, this.params.native);
    }
    this.sent++;
    this.#socket.send(frame, this.params.remotePort, this.params.remoteIp);
    this.#due += 20;
    this.#schedule();
  }
}
