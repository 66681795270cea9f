// The metrics registry on its own: every metric is exposed with HELP and TYPE, the recorders and the bus move
// the counters, and the scrape-time gauges run their database queries (timed) when rendered.
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics, type MetricsOptions } from '../../src/metrics/metrics.ts';
import { createCallEventBus, type CallEvent } from '../../src/domain/call-events.ts';
import { CALL_OUTCOMES } from '../../src/call/outcome.ts';
import { silentLogger } from '../../src/runtime/logger.ts';
import { webhookBacklog } from '../../src/services/webhooks/backlog.ts';
import { campaignNumberCounts } from '../../src/services/campaigns/number-counts.ts';
import { eq } from 'drizzle-orm';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';

let api: AsyncTestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

function metrics(extra: Partial<MetricsOptions> = {}): Metrics {
  return createMetrics({ logger: silentLogger(), outcomes: CALL_OUTCOMES, sources: { activeCalls: () => 3 }, defaultMetrics: false, ...extra });
}

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const hangup = (disposition: string | null): CallEvent => ({ type: 'call.hangup', callId: 'c', orgId: 'o', cause: 'NORMAL_CLEARING', disposition, at: 'x' });

describe('metrics registry', () => {
  it('exposes every metric with HELP and TYPE, the process metrics included', async () => {
    const text = await createMetrics({ logger: silentLogger(), outcomes: CALL_OUTCOMES, sources: { activeCalls: () => 0 } }).render();
    const expected: Array<[string, string]> = [
      ['switchboard_calls_active', 'gauge'],
      ['switchboard_calls_total', 'counter'],
      ['switchboard_call_setup_seconds', 'histogram'],
      ['switchboard_dtmf_to_command_seconds', 'histogram'],
      ['switchboard_esl_inbound_connected', 'gauge'],
      ['switchboard_esl_inbound_reconnects_total', 'counter'],
      ['switchboard_esl_outbound_connections_total', 'counter'],
      ['switchboard_bot_legs_active', 'gauge'],
      ['switchboard_bot_legs_total', 'counter'],
      ['switchboard_bot_frames_dropped_total', 'counter'],
      ['switchboard_webhook_outbox_backlog', 'gauge'],
      ['switchboard_webhook_deliveries_total', 'counter'],
      ['switchboard_campaign_numbers', 'gauge'],
      ['switchboard_campaign_calls_placed_total', 'counter'],
      ['switchboard_db_query_seconds', 'histogram'],
      ['nodejs_eventloop_lag_seconds', 'gauge'],
      ['process_cpu_seconds_total', 'counter'],
    ];
    for (const [name, type] of expected) {
      expect(text, name).toMatch(new RegExp(`^# HELP ${name} \\S`, 'm'));
      expect(text, name).toContain(`# TYPE ${name} ${type}\n`);
    }
    // Every outcome is there from the start, at 0.
    for (const outcome of CALL_OUTCOMES) expect(sample(text, `switchboard_calls_total{outcome="${outcome}"}`), outcome).toBe(0);
  });

  it('counts call.hangup events by outcome; anything outside the vocabulary is "other"', async () => {
    const m = metrics();
    const bus = createCallEventBus();
    const off = m.attach(bus);
    bus.emit(hangup('ended_by_ivr'));
    bus.emit(hangup('ended_by_ivr'));
    bus.emit(hangup('abandoned'));
    bus.emit(hangup('made-up'));
    bus.emit(hangup(null));
    bus.emit({ type: 'call.answered', callId: 'c', orgId: 'o', at: 'x' });
    off();
    bus.emit(hangup('ended_by_ivr')); // detached: not counted
    const text = await m.render();
    expect(sample(text, 'switchboard_calls_total{outcome="ended_by_ivr"}')).toBe(2);
    expect(sample(text, 'switchboard_calls_total{outcome="abandoned"}')).toBe(1);
    expect(sample(text, 'switchboard_calls_total{outcome="other"}')).toBe(2);
    expect(sample(text, 'switchboard_calls_active')).toBe(3);
  });

  it('records latencies, bot legs, webhook attempts, placements and each switch\'s inbound link', async () => {
    const m = metrics({ sources: { activeCalls: () => 0, botLegsActive: () => 2 } });
    m.calls.setupTime(0.004);
    m.calls.dtmfToCommand(0.0007);
    m.calls.dtmfToCommand(0.2);
    m.eslOutboundConnection();
    m.botLegEnded({ end: { kind: 'hangup' }, stats: { droppedToBot: 3, droppedFromBot: 1, skippedFromBot: 2 } });
    m.botLegEnded({ end: { kind: 'failed' }, stats: { droppedToBot: 0, droppedFromBot: 0, skippedFromBot: 0 } });
    m.webhookAttempt('retry');
    m.webhookAttempt('delivered');
    m.campaignCallPlaced();
    m.dbQuery('call_log_batch', 0.0003);

    const listeners = new Set<(state: string) => void>();
    const link = { connected: false, onState: (l: (state: string) => void) => (listeners.add(l), () => void listeners.delete(l)) };
    const off = m.watchSwitch('fs1', link);
    const offOther = m.watchSwitch('fs2', { connected: false, onState: () => () => undefined });
    const to = (state: string, connected: boolean) => {
      link.connected = connected;
      for (const l of listeners) l(state);
    };
    to('connecting', false);
    to('connected', true); // the first connection is not a reconnect
    to('disconnected', false);
    to('connecting', false);
    to('connected', true);

    const text = await m.render();
    expect(sample(text, 'switchboard_call_setup_seconds_count')).toBe(1);
    expect(sample(text, 'switchboard_call_setup_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'switchboard_call_setup_seconds_bucket{le="0.0025"}')).toBe(0);
    expect(sample(text, 'switchboard_dtmf_to_command_seconds_count')).toBe(2);
    expect(sample(text, 'switchboard_dtmf_to_command_seconds_bucket{le="0.001"}')).toBe(1);
    expect(sample(text, 'switchboard_esl_outbound_connections_total')).toBe(1);
    expect(sample(text, 'switchboard_bot_legs_active')).toBe(2);
    expect(sample(text, 'switchboard_bot_legs_total{end="hangup"}')).toBe(1);
    expect(sample(text, 'switchboard_bot_legs_total{end="failed"}')).toBe(1);
    expect(sample(text, 'switchboard_bot_frames_dropped_total{direction="to_bot"}')).toBe(3);
    expect(sample(text, 'switchboard_bot_frames_dropped_total{direction="from_bot"}')).toBe(3);
    expect(sample(text, 'switchboard_webhook_deliveries_total{result="retry"}')).toBe(1);
    expect(sample(text, 'switchboard_webhook_deliveries_total{result="delivered"}')).toBe(1);
    expect(sample(text, 'switchboard_webhook_deliveries_total{result="failed"}')).toBe(0);
    expect(sample(text, 'switchboard_campaign_calls_placed_total')).toBe(1);
    expect(sample(text, 'switchboard_db_query_seconds_count{query="call_log_batch"}')).toBe(1);
    expect(sample(text, 'switchboard_esl_inbound_reconnects_total{switch="fs1"}')).toBe(1);
    expect(sample(text, 'switchboard_esl_inbound_reconnects_total{switch="fs2"}')).toBe(0);
    expect(sample(text, 'switchboard_esl_inbound_connected{switch="fs1"}')).toBe(1);
    expect(sample(text, 'switchboard_esl_inbound_connected{switch="fs2"}')).toBe(0);
    off();
    expect(listeners.size).toBe(0);
    const after = await m.render();
    expect(sample(after, 'switchboard_esl_inbound_connected{switch="fs1"}')).toBeUndefined();
    expect(sample(after, 'switchboard_esl_inbound_connected{switch="fs2"}')).toBe(0);
    offOther();
  });

  it('reads the webhook backlog and campaign numbers from the database when scraped, timing each query', async () => {
    api = await openTestApi();
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/webhooks', { token: org.token, body: { url: 'http://127.0.0.1:9/hook', events: ['*'] } });
    expect(res.status).toBe(201);
    const endpoint = ((await res.json()) as { id: string }).id;
    const { adb } = api.deps;
    const { webhookDeliveries, campaigns, campaignNumbers } = adb.t;
    const delivery = (id: string, status: string) => ({ id, orgId: org.orgId, endpointId: endpoint, eventType: 'call.hangup', body: '{}', status, nextAttemptAt: 0, createdAt: 'x' });
    await adb.insert(webhookDeliveries).values([delivery('d1', 'pending'), delivery('d2', 'pending'), delivery('d3', 'delivered')]);
    // Only the counts matter here: a bare campaign row to hold the numbers.
    const retry = { busy: { attempts: 1, spacingS: 60 }, no_answer: { attempts: 1, spacingS: 60 }, failed: { attempts: 1, spacingS: 60 } };
    await adb.insert(campaigns).values({ id: 'camp', orgId: org.orgId, name: 'Camp', did: '+918065978001', play: { kind: 'flow', ivrId: 'ivr' }, timezone: 'Asia/Kolkata', retry });
    const number = (id: string, n: string, status: string) => ({ id, campaignId: 'camp', orgId: org.orgId, number: n, status, createdAt: 'x', updatedAt: 'x' });
    await adb.insert(campaignNumbers).values([number('n1', '+919900000001', 'pending'), number('n2', '+919900000002', 'pending'), number('n3', '+919900000003', 'completed')]);

    const m = metrics({ sources: { activeCalls: () => 0, webhookBacklog: webhookBacklog(api.deps.adb), campaignNumbers: campaignNumberCounts(api.deps.adb) } });
    let text = await m.render();
    expect(sample(text, 'switchboard_webhook_outbox_backlog')).toBe(2);
    expect(sample(text, 'switchboard_campaign_numbers{status="pending"}')).toBe(2);
    expect(sample(text, 'switchboard_campaign_numbers{status="completed"}')).toBe(1);
    expect(sample(text, 'switchboard_campaign_numbers{status="dialing"}')).toBe(0);
    expect(sample(text, 'switchboard_db_query_seconds_count{query="webhook_backlog"}')).toBe(1);
    expect(sample(text, 'switchboard_db_query_seconds_count{query="campaign_numbers"}')).toBe(1);

    // The next scrape sees the change: the last pending number moved on, a delivery went out.
    await adb.update(campaignNumbers).set({ status: 'dialing' });
    await adb.update(webhookDeliveries).set({ status: 'delivered' }).where(eq(webhookDeliveries.id, 'd1'));
    text = await m.render();
    expect(sample(text, 'switchboard_webhook_outbox_backlog')).toBe(1);
    expect(sample(text, 'switchboard_campaign_numbers{status="pending"}')).toBe(0);
    expect(sample(text, 'switchboard_campaign_numbers{status="dialing"}')).toBe(3);
    expect(sample(text, 'switchboard_db_query_seconds_count{query="campaign_numbers"}')).toBe(2);
  });

  it('a failing source leaves its gauge and the scrape still answers', async () => {
    const m = metrics({ sources: { activeCalls: () => 1, webhookBacklog: () => { throw new Error('database is locked'); } } });
    const text = await m.render();
    expect(sample(text, 'switchboard_calls_active')).toBe(1);
    expect(text).toContain('# TYPE switchboard_webhook_outbox_backlog gauge');
    expect(sample(text, 'switchboard_db_query_seconds_count{query="webhook_backlog"}')).toBe(1);
  });
});
