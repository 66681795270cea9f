/**
 * The outbound Event Socket server FreeSWITCH connects to (`socket 127.0.0.1:8084 async full`).
 * For each connection: send `connect` at once (FS parks forever without a first command, fact 11),
 * type the channel data, hand an `OutboundSession` to `onCall`, and when `onCall` settles end the
 * socket with `exit`. Live sessions are tracked per server (no module state) so tests can assert that
 * nothing is left behind.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { lazyChild, type Logger } from '../runtime/logger.ts';
import { parseChannelData } from './channel-data.ts';
import { EslConnection } from './connection.ts';
import type { ParserLimits } from './parser.ts';
import { HeaderBlockCache } from './headers.ts';
import { OutboundSession } from './outbound-session.ts';
import { captureSocket } from './capture.ts';

export interface OutboundServerOptions {
  readonly host?: string;
  /** 0 picks a free port (tests); read it back with `address()`. */
  readonly port: number;
  readonly logger: Logger;
  readonly onCall: (session: OutboundSession) => Promise<void>;
  readonly commandTimeoutMs?: number;
  readonly executeTimeoutMs?: number;
  /**
   * Commands that need no channel data (`linger`, `event plain …`), sent in the same write as
   * `connect`: FreeSWITCH reads them in order, so the call is ready after one round trip. Every reply
   * must be `+OK` before `onCall` runs; an `-ERR` drops the connection (logged).
   */
  readonly afterConnect?: readonly string[];
  /** Time allowed for the connect reply (default: commandTimeoutMs). */
  readonly connectTimeoutMs?: number;
  /** Time allowed for `exit` → close at the end of a call (default 2 s). */
  readonly exitTimeoutMs?: number;
  readonly limits?: ParserLimits;
  /** Write every connection's bytes to `<dir>/<n>.jsonl` (fixtures from the real switch). */
  readonly captureDir?: string;
  /** Called as each connection is accepted, before `connect` (a connections counter). */
  readonly onConnection?: () => void;
}

export interface OutboundServer {
  address(): AddressInfo;
  /** Sessions whose socket is still open. */
  sessions(): readonly OutboundSession[];
  /** Sockets still open (including ones not yet past `connect`). */
  readonly connectionCount: number;
  /** Resolves when no connection is open. */
  idle(): Promise<void>;
  /** Stops listening, ends every session (exit, then destroy) and waits for the sockets to close. */
  close(): Promise<void>;
}

export async function createOutboundServer(options: OutboundServerOptions): Promise<OutboundServer> {
  const { logger, onCall } = options;
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
  const connections = new Set<EslConnection>();
  const headerBlocks = new HeaderBlockCache();
  const sessions = new Set<OutboundSession>();
  const idleWaiters = new Set<() => void>();
  let nextId = 1;

  const checkIdle = (): void => {
    if (connections.size > 0) return;
    for (const wake of [...idleWaiters]) wake();
    idleWaiters.clear();
  };

  const handle = async (socket: Socket): Promise<void> => {
    const acceptedAt = performance.now();
    const connId = nextId++;
    options.onConnection?.();
    if (options.captureDir) captureSocket(socket, options.captureDir, `${Date.now()}-${connId}`);
    const log = lazyChild(logger, { esl: 'outbound', conn: connId });
    const conn = new EslConnection(socket, {
      logger: log,
      commandTimeoutMs,
      executeTimeoutMs: options.executeTimeoutMs,
      limits: options.limits,
      headerBlocks,
    });
    connections.add(conn);
    let session: OutboundSession | undefined;
    try {
      const connectOpts = { timeoutMs: options.connectTimeoutMs ?? commandTimeoutMs };
      const [reply] = await Promise.all([
        conn.command('connect', undefined, connectOpts),
        ...(options.afterConnect ?? []).map((command) => conn.command(command, undefined, connectOpts)),
      ]);
      const channel = parseChannelData(reply.headers);
      session = new OutboundSession({
        conn,
        channel,
        logger: lazyChild(log, { callUuid: channel.uuid }),
        exitTimeoutMs: options.exitTimeoutMs,
        acceptedAt,
      });
      sessions.add(session);
      try {
        await onCall(session);
      } catch (error) {
        session.logger.error({ err: error }, 'call handler failed');
      }
      await session.exit();
    } catch (error) {
      log.warn({ err: error }, 'outbound connection failed');
      conn.destroy();
    } finally {
      await conn.closed;
      if (session) sessions.delete(session);
      connections.delete(conn);
      checkIdle();
    }
  };

  const server = createServer((socket) => {
    // One call per connection, not awaited: handle() logs the call's failures itself; what throws before
    // its try (capture, connection setup) lands here, and the socket is dropped rather than left open.
    handle(socket).catch((err: unknown) => {
      logger.error({ err }, 'outbound connection setup failed');
      socket.destroy();
    });
  });
  server.on('error', (error) => logger.error({ err: error }, 'outbound server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  const idle = (): Promise<void> =>
    connections.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.add(resolve));

  return {
    address: () => server.address() as AddressInfo,
    sessions: () => [...sessions],
    get connectionCount() {
      return connections.size;
    },
    idle,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([...sessions].map((s) => s.exit()));
      for (const conn of connections) conn.destroy();
      await idle();
      await stopped;
    },
  };
}
