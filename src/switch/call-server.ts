import { createOutboundServer, type OutboundServer } from '../esl/outbound-server.ts';
import type { Logger } from '../runtime/logger.ts';
import { CALL_SETUP_COMMANDS, openEslChannel } from '../call/esl-channel.ts';
import { runCall } from '../call/runner.ts';
import { SocketHandoffs } from '../esl/handoffs.ts';
import type { CallDeps } from '../call/session.ts';

export interface CallServerOptions {
  host: string;
  port: number;
  logger: Logger;
  deps: CallDeps;
  commandTimeoutMs: number;
  /** ESL_SELF_ENDPOINT: where FreeSWITCH reaches this server for a call's async socket (default: the address each call's socket reached). */
  selfEndpoint?: string;
  /** ESL_CAPTURE_DIR: write every call's ESL bytes there (fixtures). */
  captureDir?: string;
  /** Called as FreeSWITCH opens each connection (a counter). */
  onConnection?: () => void;
  /** Which switch a call came from, by its connect headers (Switches.identify); absent = unknown. */
  identifySwitch?: (headers: Readonly<Record<string, string | undefined>>) => string | null;
}

/**
 * The outbound ESL server FreeSWITCH hands every call to (`socket host:port full`: a sync socket).
 * Each connection becomes a CallChannel run by runCall; a failure in one call never touches another.
 * A connection a call asked for (its second, async socket: CallChannel.goAsync) goes to that call.
 */
export interface CallServer extends OutboundServer {
  /**
   * Take no new calls: each one is let go right after `connect`, before the controller marks it, so the
   * dialplan hands it to the next controller (controller_next). Calls in progress go on, including the
   * second sockets they open.
   */
  drain(): void;
  readonly draining: boolean;
}

export async function createCallServer(o: CallServerOptions): Promise<CallServer> {
  const handoffs = new SocketHandoffs();
  let draining = false;
  const server = await createOutboundServer({
    host: o.host,
    port: o.port,
    logger: o.logger,
    commandTimeoutMs: o.commandTimeoutMs,
    captureDir: o.captureDir,
    onConnection: o.onConnection,
    // One round trip readies the call: linger and the event subscription ride with `connect`.
    afterConnect: CALL_SETUP_COMMANDS,
    onCall: async (session) => {
      const handedOff = handoffs.offer(session);
      if (handedOff) return handedOff;
      if (draining) {
        session.logger.info('draining: the call goes to the next controller');
        return;
      }
      const switchId = o.identifySwitch?.(session.channel.headers) ?? null;
      const channel = openEslChannel(session, { commandTimeoutMs: o.commandTimeoutMs, executeTimeoutMs: 120_000, handoffs, selfEndpoint: o.selfEndpoint, switchId });
      await runCall(channel, o.deps);
    },
  });
  return {
    address: () => server.address(),
    sessions: () => server.sessions(),
    get connectionCount() {
      return server.connectionCount;
    },
    idle: () => server.idle(),
    close: () => server.close(),
    drain() {
      draining = true;
    },
    get draining() {
      return draining;
    },
  };
}
