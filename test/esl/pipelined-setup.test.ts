/**
 * Setup pipelined with `connect` (createOutboundServer's afterConnect): one write out, and whatever
 * FreeSWITCH sends back in one read — including a hangup that lands before the session exists.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createOutboundServer, type OutboundServer } from '../../src/esl/outbound-server.ts';
import type { OutboundSession } from '../../src/esl/outbound-session.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { ChannelModel } from '../emulator/channel-model.ts';
import * as wire from '../emulator/fs-encode.ts';

const SETUP = ['linger 30', 'filter Event-Name CHANNEL_HANGUP', 'myevents'];
let server: OutboundServer | undefined;
let fs: Socket | undefined;
afterEach(async () => {
  fs?.destroy();
  await server?.close();
});

/** A raw FreeSWITCH side: waits for `connect` + the setup, then writes `reply` as one chunk. */
function switchSide(port: number, reply: (model: ChannelModel) => Buffer): Promise<string> {
  const model = new ChannelModel({ destination: '918065978001', callerIdNumber: '9800000001' });
  return new Promise((resolve) => {
    let got = '';
    fs = connect(port, '127.0.0.1', () => undefined);
    fs.on('error', () => undefined);
    fs.on('data', (d) => {
      got += d.toString('utf8');
      if (got.split('\n\n').filter(Boolean).length === 1 + SETUP.length && got.endsWith('\n\n')) {
        fs!.write(reply(model));
        resolve(got);
      }
    });
  });
}

const replies = (m: ChannelModel): Buffer[] => [
  Buffer.from(`${wire.encodePairs(m.connectReply())}\n`),
  wire.commandReply('+OK will linger 30 seconds'),
  wire.commandReply('+OK filter added. [Event-Name]=[CHANNEL_HANGUP]'),
  wire.commandReply('+OK Events Enabled'),
];

describe('setup pipelined with connect', () => {
  it('sends connect and the setup in one write and hands over the session after their replies', async () => {
    const seen: OutboundSession[] = [];
    server = await createOutboundServer({ port: 0, logger: silentLogger(), commandTimeoutMs: 1_000, exitTimeoutMs: 200, afterConnect: SETUP, onCall: async (s) => void seen.push(s) });
    const got = await switchSide(server.address().port, (m) => Buffer.concat(replies(m)));
    expect(got).toBe(['connect', ...SETUP].map((c) => `${c}\n\n`).join(''));
    await server.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.hungUp).toBe(false);
  });

  it('a CHANNEL_HANGUP read together with the replies still aborts the session it precedes', async () => {
    let state: { hungUp: boolean; aborted: boolean; cause: string | undefined } | undefined;
    server = await createOutboundServer({
      port: 0,
      logger: silentLogger(),
      commandTimeoutMs: 1_000,
      exitTimeoutMs: 200,
      afterConnect: SETUP,
      onCall: async (s) => void (state = { hungUp: s.hungUp, aborted: s.signal.aborted, cause: s.hangupCause }),
    });
    await switchSide(server.address().port, (m) => {
      m.hangupCause = 'ORIGINATOR_CANCEL';
      return Buffer.concat([...replies(m), wire.eventPlain(m.event('CHANNEL_HANGUP', [['Hangup-Cause', 'ORIGINATOR_CANCEL']]))]);
    });
    await server.idle();
    expect(state).toEqual({ hungUp: true, aborted: true, cause: 'ORIGINATOR_CANCEL' });
  });

  it('an -ERR to a setup command drops the connection before onCall', async () => {
    let called = false;
    server = await createOutboundServer({ port: 0, logger: silentLogger(), commandTimeoutMs: 1_000, afterConnect: SETUP, onCall: async () => void (called = true) });
    await switchSide(server.address().port, (m) => {
      const r = replies(m);
      r[2] = wire.commandReply('-ERR invalid filter');
      return Buffer.concat(r);
    });
    await server.idle();
    expect(called).toBe(false);
    expect(server.connectionCount).toBe(0);
  });
});
