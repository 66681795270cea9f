/** The ESL boundary: our own parser, connection, outbound server and inbound client (no modesl). */
export * from './parser.ts';
export * from './replies.ts';
export * from './event.ts';
export * from './channel-data.ts';
export * from './connection.ts';
export type { ExecuteResult } from './pending.ts';
export * from './outbound-session.ts';
export * from './call-signal.ts';
export * from './outbound-server.ts';
export * from './inbound-client.ts';
export { safeDecode } from './headers.ts';
export { formatCommand, EslInvalidCommandError, type CommandHeaders } from './wire.ts';
