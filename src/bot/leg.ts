/**
 * One bot leg, start to end, with a single teardown: UDP port + socket, the bot's WebSocket,
 * `unicast` on the channel, and the wiring between them (caller audio → bot, bot audio → play-out
 * buffer → one frame back per caller frame → FreeSWITCH, DTMF, marks, clear). Whatever ends it, the
 * `finally` removes every listener by reference, sends the bot `stop`, closes its socket and frees the port.
 */
import { randomUUID } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import WebSocket from 'ws';
import { createAudioPath, describeFormat, FRAME_MS, LEG_FRAME_BYTES } from './audio-format.ts';
import { connectBot } from './bot-socket.ts';
import type { AudioFormat, BotTarget } from '../domain/agents.ts';
import type { BotBridgeDeps, BotCall, BotChannelEvent, BotFailure, BotLegEnd, BotLegResult, BotLegStats, BotRunOptions } from './leg-types.ts';
import { nativeCodec } from './native-dialect.ts';
import { Playout } from './playout.ts';
import type { DialectCodec, StopReason, StreamInfo } from './protocol.ts';
import { twilioCodec } from './twilio-dialect.ts';

/** Stop sending caller audio when this much is waiting unsent on the bot's socket. */
const MAX_WS_BACKLOG = 256 * 1024;
/** FreeSWITCH's frames come 20 ms apart: two handled closer than this had queued while we were busy. */
const BACK_TO_BACK_MS = 5;
/** No frame from FreeSWITCH for this long: the media clock sends ours instead. */
const UPLINK_STALE_MS = 60;

type Cleanup = () => void | Promise<void>;

const fail = (reason: BotFailure, detail: string): BotLegEnd => ({ kind: 'failed', reason, detail });

export async function runBotLeg(deps: BotBridgeDeps, call: BotCall, target: BotTarget, options: BotRunOptions): Promise<BotLegResult> {
  const { settings, ports, clock } = deps;
  const t0 = Date.now();
  const startedAt = call.now().toISOString();
  const streamId = `MZ${randomUUID().replace(/-/g, '')}`;
  const log = call.logger.child({ bot: target.id ?? target.wsUrl, stream: streamId });
  const stats: BotLegStats = { framesFromCaller: 0, framesToBot: 0, droppedToBot: 0, framesToCaller: 0, silenceFrames: 0, droppedFromBot: 0, skippedFromBot: 0, invalidMessages: 0, marks: 0 };
  const cleanups: Cleanup[] = [];
  let dtmf = '';
  let end: BotLegEnd = { kind: 'caller_hangup' };
  let ws: WebSocket | null = null;
  let codec: DialectCodec | null = null;
  const result = (): BotLegResult => ({ streamId, end, connected: codec !== null, startedAt, durationMs: Date.now() - t0, dtmf, stats });

  try {
    const startUnicast = call.channel.startUnicast?.bind(call.channel);
    if (!startUnicast) return ((end = fail('unicast_unsupported', 'this channel cannot stream media')), result());
    const pair = ports.acquire();
    if (!pair) return ((end = fail('no_media_port', `all ${ports.capacity} media ports are in use`)), result());
    cleanups.push(() => ports.release(pair));

    // The call's own switch's unicast address when it has one (several switches on several hosts).
    const switchIp = (call.switchId ? settings.switchMediaIps?.get(call.switchId) : undefined) ?? settings.switchMediaIp;
    const udp = createSocket('udp4');
    // A send error on the media socket must not crash the process; it ends nothing either.
    const onUdpError = (err: Error): void => log.debug({ err }, 'media socket error');
    udp.on('error', onUdpError);
    cleanups.push(async () => {
      await closeUdp(udp);
      udp.off('error', onUdpError);
    });
    const bound = await bindUdp(udp, settings.mediaIp, pair.local);
    if (bound) return ((end = fail('media_bind_failed', bound)), result());

    const conn = await (options.connection ?? connectBot({ url: target.wsUrl, headers: target.headers, timeoutMs: target.connectTimeoutMs, signal: call.channel.signal, maxPayload: settings.maxMessageBytes }));
    if (!conn.ok) {
      end = conn.reason === 'aborted' ? { kind: 'caller_hangup' } : fail(conn.reason, conn.detail);
      return result();
    }
    const sock = (ws = conn.ws);
    const botFormat: AudioFormat = target.dialect === 'twilio' ? 'pcmu_8k' : target.audioFormat;
    const path = createAudioPath(botFormat);

    // Keys pressed from now on go to the bot: DTMF events are not among every call's events (CALL_EVENTS).
    // Held from the subscription on until the stream listens below: the switch may send a key in the
    // same read as its reply to the unicast, before this function resumes.
    const early: BotChannelEvent[] = [];
    let offEarly: (() => void) | undefined = call.channel.onEvent((e) => early.push(e));
    cleanups.push(() => offEarly?.());
    try {
      await Promise.all([
        call.channel.subscribe('DTMF'),
        startUnicast({ localIp: switchIp, localPort: pair.switch, remoteIp: settings.mediaIp, remotePort: pair.local }),
      ]);
    } catch (err) {
      end = call.channel.signal.aborted ? { kind: 'caller_hangup' } : fail('unicast_failed', err instanceof Error ? err.message : String(err));
      return result();
    }

    const info: StreamInfo = {
      callId: call.callId, streamId, channelUuid: call.uuid, from: call.caller, to: call.did, did: call.did, orgId: call.orgId, agentId: target.id,
      mediaFormat: describeFormat(botFormat), systemPrompt: target.systemPrompt, language: target.language, openingText: target.openingText,
      metadata: { agent_name: target.name, ...options.parameters }, contact: call.contact ?? null,
    };
    const c = (codec = target.dialect === 'twilio' ? twilioCodec(info) : nativeCodec(info));
    const send = (text: string): void => {
      if (sock.readyState === WebSocket.OPEN) sock.send(text);
    };
    for (const m of c.open()) send(m);
    call.emit({ type: 'bot.connected', agentId: target.id, streamId, dialect: c.dialect });
    log.info({ dialect: c.dialect, format: botFormat, port: pair.local }, 'bot connected');

    end = await new Promise<BotLegEnd>((resolve) => {
      let finished = false;
      let pending: BotLegEnd | null = null;
      let drainUntil = 0;
      let heard = false;
      let warnedFlood = false;
      let warnedBacklog = false;
      const finish = (e: BotLegEnd): void => {
        if (finished) return;
        finished = true;
        resolve(e);
      };
      const playout = new Playout(LEG_FRAME_BYTES, Math.ceil(settings.maxBufferMs / FRAME_MS), 0);

      // Play-out is clocked by FreeSWITCH: each frame of the caller's that it sends us (from the channel's
      // read loop, once per 20 ms tick of its own) sends one frame back, so exactly one of ours reaches each
      // of its ticks. On our own clock, frames drift against its tick, two land in one now and then, and the
      // second waits in its socket for the rest of the call (measured: 30–50 ms more echo delay). Nothing is
      // sent before its first frame: it reads the socket only once the read loop runs, and what waited there
      // would delay every later frame as much. Datagrams handled back to back (we stalled, they queued) send
      // one frame and skip the others' share (it should have played meanwhile). While its frames stop coming
      // (it plays something else on the channel), the process's media clock sends instead.
      let lastUplinkAt = Number.NEGATIVE_INFINITY;
      let owed = 0;
      const onDatagram = (msg: Buffer, rinfo: { port: number }): void => {
        if (rinfo.port !== pair.switch) return;
        const now = performance.now();
        const backToBack = now - lastUplinkAt < BACK_TO_BACK_MS;
        lastUplinkAt = now;
        stats.framesFromCaller++;
        if (sock.bufferedAmount > MAX_WS_BACKLOG) {
          stats.droppedToBot++;
          if (!warnedBacklog) log.warn('bot is not reading its socket: dropping caller audio');
          warnedBacklog = true;
        } else {
          send(c.media(path.toBot(msg), stats.framesToBot * FRAME_MS));
          stats.framesToBot++;
        }
        if (backToBack) owed++;
        else {
          sendFrame(owed);
          owed = 0;
        }
      };
      const onMessage = (data: WebSocket.RawData, isBinary: boolean): void => {
        heard = true;
        if (isBinary) {
          stats.invalidMessages++;
          return send(c.error('binary messages are not accepted: send JSON text messages'));
        }
        const d = c.decode(data.toString());
        if (!d.ok) {
          stats.invalidMessages++;
          log.debug({ error: d.error, details: d.details }, 'invalid bot message');
          return send(c.error(d.error, d.details));
        }
        const cmd = d.command;
        if (pending) return; // transfer/hangup requested: the rest is ignored while the buffer drains
        switch (cmd.kind) {
          case 'audio':
            if (playout.push(path.fromBot(cmd.payload)) > 0 && !warnedFlood) {
              warnedFlood = true;
              log.warn({ maxBufferMs: settings.maxBufferMs }, 'bot sends audio faster than real time beyond the buffer: dropping the excess');
            }
            return;
          case 'clear':
            for (const name of playout.clear()) send(c.mark(name, true));
            return;
          case 'mark':
            stats.marks++;
            return playout.mark(cmd.name);
          case 'transfer':
          case 'hangup': {
            const refused = cmd.kind === 'transfer' ? (options.checkTransfer?.(cmd.target) ?? null) : null;
            if (refused) return send(c.error(refused, { target: cmd.kind === 'transfer' ? cmd.target : null }));
            pending = cmd.kind === 'transfer' ? { kind: 'transfer', target: cmd.target } : { kind: 'hangup', reason: cmd.reason };
            drainUntil = Date.now() + Math.min(settings.drainTimeoutMs, playout.buffered * FRAME_MS + 2 * FRAME_MS);
            return;
          }
        }
      };
      const onClose = (code: number): void => finish(pending ?? fail('bot_closed', `bot closed the socket (code ${code})`));
      const onError = (err: Error): void => log.debug({ err }, 'bot socket error');
      const sendFrame = (missed: number): void => {
        const t = playout.next(missed);
        udp.send(t.frame, pair.switch, switchIp);
        if (t.audio) stats.framesToCaller++;
        else stats.silenceFrames++;
        for (const name of t.marks) send(c.mark(name, false));
        if (pending && (playout.buffered === 0 || Date.now() >= drainUntil)) finish(pending);
      };
      const onTick = (missed: number): void => {
        if (lastUplinkAt !== Number.NEGATIVE_INFINITY && performance.now() - lastUplinkAt > UPLINK_STALE_MS) sendFrame(missed);
      };
      const onEvent = (e: BotChannelEvent): void => {
        if (e.name !== 'DTMF') return;
        const digit = e.headers['DTMF-Digit'] ?? '';
        if (!/^[0-9*#A-D]$/.test(digit)) return;
        dtmf += digit;
        call.pressed(digit);
        const samples = Number(e.headers['DTMF-Duration']);
        send(c.dtmf(digit, Number.isFinite(samples) ? Math.round(samples / 8) : null));
      };
      const onHangup = (): void => finish({ kind: 'caller_hangup' });
      const silent = setTimeout(() => {
        if (!heard) finish(fail('bot_silent', `no message from the bot within ${settings.silenceTimeoutMs} ms`));
      }, settings.silenceTimeoutMs);
      // Keepalive: one ping in flight at a time; its pong must come within pingTimeoutMs.
      let pongDue: NodeJS.Timeout | undefined;
      const onPong = (): void => {
        clearTimeout(pongDue);
        pongDue = undefined;
      };
      const onPingTimeout = (): void =>
        finish(fail('bot_unresponsive', `no pong within ${settings.pingTimeoutMs} ms of a WebSocket ping`));
      const pinger = settings.pingIntervalMs > 0
        ? setInterval(() => {
            if (pongDue || sock.readyState !== WebSocket.OPEN) return;
            pongDue = setTimeout(onPingTimeout, settings.pingTimeoutMs);
            sock.ping();
          }, settings.pingIntervalMs)
        : undefined;

      udp.on('message', onDatagram);
      sock.on('message', onMessage);
      sock.on('close', onClose);
      sock.on('error', onError);
      sock.on('pong', onPong);
      const offEvent = call.channel.onEvent(onEvent);
      offEarly?.();
      offEarly = undefined;
      for (const e of early.splice(0)) onEvent(e);
      const offTick = clock.add(onTick);
      call.channel.signal.addEventListener('abort', onHangup, { once: true });
      cleanups.push(() => {
        clearTimeout(silent);
        clearInterval(pinger);
        clearTimeout(pongDue);
        sock.off('pong', onPong);
        offTick();
        offEvent();
        udp.off('message', onDatagram);
        sock.off('message', onMessage);
        sock.off('close', onClose);
        sock.off('error', onError);
        call.channel.signal.removeEventListener('abort', onHangup);
        stats.droppedFromBot = playout.dropped;
        stats.skippedFromBot = playout.skipped;
      });
      if (call.channel.signal.aborted) onHangup();
    });
    return result();
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        log.debug({ err }, 'bot leg cleanup step failed');
      }
    }
    if (ws) await closeBot(ws, codec, stopReason(end), settings.closeTimeoutMs);
    if (codec) {
      call.emit({ type: 'bot.ended', agentId: target.id, streamId, reason: endLabel(end), durationMs: Date.now() - t0 });
      log.info({ end, stats }, 'bot leg ended');
    }
  }
}

export function endLabel(e: BotLegEnd): string {
  return e.kind === 'failed' ? e.reason : e.kind;
}

function stopReason(e: BotLegEnd): StopReason {
  return e.kind === 'transfer' ? 'transfer' : e.kind === 'hangup' ? 'bot_hangup' : e.kind === 'caller_hangup' ? 'caller_hangup' : 'bot_error';
}

/**
 * `stop`, then a closing handshake bounded by `timeoutMs`, then terminate. Waits for `close` (which
 * follows terminate at once), so the listeners it adds are removed by reference: once the socket is
 * closed it emits nothing more.
 */
async function closeBot(ws: WebSocket, codec: DialectCodec | null, reason: StopReason, timeoutMs: number): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const ignore = (): void => undefined; // an error while closing changes nothing
  ws.on('error', ignore);
  let onClose!: () => void;
  const closed = new Promise<void>((resolve) => (onClose = resolve));
  ws.once('close', onClose);
  const handshake = setTimeout(() => ws.terminate(), timeoutMs);
  // Bound the wait for `close` after terminate too: a hung peer never hangs a call's teardown.
  const giveUp = setTimeout(onClose, 2 * timeoutMs + 100);
  try {
    if (ws.readyState === WebSocket.OPEN) {
      if (codec) ws.send(codec.stop(reason));
      ws.close(1000, reason);
    }
    await closed;
  } finally {
    clearTimeout(handshake);
    clearTimeout(giveUp);
    ws.off('close', onClose);
    // Still open only if even terminate got no `close`: keep the error sink then, or an error would throw.
    if ((ws.readyState as number) === WebSocket.CLOSED) ws.off('error', ignore);
  }
}

function bindUdp(udp: Socket, ip: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const onError = (err: Error): void => {
      udp.off('listening', onListening);
      resolve(`cannot bind ${ip}:${port}: ${err.message}`);
    };
    const onListening = (): void => {
      udp.off('error', onError);
      resolve(null);
    };
    udp.once('error', onError);
    udp.once('listening', onListening);
    udp.bind(port, ip);
  });
}

function closeUdp(udp: Socket): Promise<void> {
  return new Promise((resolve) => {
    // close(cb) adds cb with on(), not once(): it stays unless removed.
    const onClose = (): void => {
      udp.off('close', onClose);
      resolve();
    };
    try {
      udp.close(onClose);
    } catch {
      udp.off('close', onClose);
      resolve(); // already closed
    }
  });
}
