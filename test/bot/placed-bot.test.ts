// Outbound bot calls: the customer answers, the controller hands the call to the bot with the request's
// values in `start`; a bot that fails hands the customer to the agent extension (hybrid hand-off).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachPlacing, type Placing } from '../helpers/placing.ts';
import { preconnectPlacedBot } from '../../src/call/bots.ts';
import { createAsyncSnapshotReader } from '../../src/publish/reader.ts';
import type { PlacedSpec } from '../../src/services/calls/placed-spec.ts';
import { DID, closedPortUrl, endedCallLog, startBotHarness, startTestBot, type BotHarness } from './helpers.ts';

let h: BotHarness;
let p: Placing;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  h = await startBotHarness(41200);
  // As main.ts wires it: a bot call with connect: immediate opens its WebSocket while the phone rings (here 400 ms).
  const preconnect = preconnectPlacedBot(h.bots, createAsyncSnapshotReader(h.api.deps.adb), 10_000);
  p = await attachPlacing(h, { ringMs: 400, onDial: (row) => preconnect(row.id, row.orgId, row.spec as PlacedSpec | null), onEnd: (id) => h.bots.release(id) });
});
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
  await p.close();
  await h.close();
});

const ended = (logid: string) => endedCallLog(h.api.deps.adb, logid);

describe('outbound bot calls', () => {
  it('an ad-hoc wss_url: headers on the upgrade, the request\'s values in start, the bot hangs up: bot_completed', async () => {
    let token: unknown;
    const bot = await startTestBot((ws, msg) => {
      if (msg.type === 'start') ws.send(JSON.stringify({ type: 'session.hangup' }));
    }, { verify: (info, cb) => ((token = info.req.headers['x-token']), cb(true)) });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url }); // publishes the organization
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/bot', {
      did: DID, customer_number: '+919944421125', wss_url: bot.url, headers: { 'X-Token': 'abc' },
      system_msg: 'Be brief', text: 'Hello from Acme', language: 'hi-IN', parameters: { order_id: 'ORD1' },
    });
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'bot', disposition: 'bot_completed', caller: '+919944421125', did: DID });
    expect(token).toBe('abc');
    const start = (await bot.waitFor((m) => m.type === 'start')) as Record<string, any>;
    expect(start).toMatchObject({ call_id: placed.logid, from: '+919944421125', did: DID });
    expect(start.custom_parameters).toMatchObject({ system_prompt: 'Be brief', opening_text: 'Hello from Acme', language: 'hi-IN' });
    expect(start.custom_parameters.metadata).toMatchObject({ direction: 'outbound', order_id: 'ORD1', connect: 'answer' });
    await h.settle();
    expect(h.events.filter((e) => e.type === 'call.hangup' && e.callId === placed.logid)).toHaveLength(1);
  });

  it('a published agent by id; the bot cannot be reached: the agent extension takes the customer: connected', async () => {
    const agentId = await h.routeTo({ agent: { ws_url: await closedPortUrl(), connect_timeout_ms: 500 } });
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/bot', { did: DID, customer_number: '+919944421125', agent_id: agentId, agent_extension: '1001' });
    const log = await ended(placed.logid);
    expect(log).toMatchObject({ direction: 'bot', disposition: 'connected', answeredBy: '1001' });
    const types = (log.path as Array<{ step: string; type?: string }>).map((s) => s.type ?? s.step);
    expect(types).toEqual(expect.arrayContaining(['placed', 'ai_agent', 'extension']));
  });

  it('connect: immediate opens the WebSocket while the phone rings; answer: only once answered', async () => {
    const connectedAt: number[] = [];
    const bot = await startTestBot((ws, msg) => {
      if (msg.type === 'start') ws.send(JSON.stringify({ type: 'session.hangup' }));
    }, { onConnect: () => void connectedAt.push(Date.now()) });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    const answeredAt = (logid: string) => Date.parse(h.events.find((e) => e.type === 'call.answered' && e.callId === logid)!.at);
    for (const connect of ['immediate', 'answer'] as const) {
      const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/bot', { did: DID, customer_number: '+919944421125', wss_url: bot.url, connect });
      expect(await ended(placed.logid)).toMatchObject({ disposition: 'bot_completed' });
      const at = connectedAt.at(-1)!;
      if (connect === 'immediate') expect(at).toBeLessThan(answeredAt(placed.logid) - 200);
      else expect(at).toBeGreaterThanOrEqual(answeredAt(placed.logid));
    }
    expect(connectedAt).toHaveLength(2);
  });

  it('connect: immediate, the customer never answers: the early connection is closed with the call', async () => {
    let closed = false;
    const bot = await startTestBot(undefined, { onConnect: (ws) => ws.on('close', () => (closed = true)) });
    closers.push(() => bot.close());
    await h.routeTo({ url: bot.url });
    p.customer.outcome = 'busy';
    const placed = await h.req<{ logid: string }>('POST', '/api/v1/calls/bot', { did: DID, customer_number: '+919944421125', wss_url: bot.url, connect: 'immediate' });
    expect(await ended(placed.logid)).toMatchObject({ disposition: 'busy' });
    const deadline = Date.now() + 3_000;
    while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toBe(true);
  });

  it('refuses both or neither of agent_id and wss_url, an unknown agent and an unknown extension', async () => {
    await h.routeTo({ url: 'ws://127.0.0.1:9' });
    const post = (body: Record<string, unknown>) => h.api.call('POST', '/api/v1/calls/bot', { token: h.org.token, body: { did: DID, customer_number: '+919944421125', ...body } });
    expect((await post({})).status).toBe(400);
    expect((await post({ agent_id: 'x', wss_url: 'ws://127.0.0.1:9' })).status).toBe(400);
    expect((await post({ agent_id: 'nope' })).status).toBe(400);
    expect((await post({ wss_url: 'http://example.com' })).status).toBe(400);
    expect((await post({ wss_url: 'ws://127.0.0.1:9', agent_extension: '9999' })).status).toBe(400);
    expect(p.originates()).toHaveLength(0);
  });
});
