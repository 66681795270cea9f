import { count, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createCallHarness, type CallHarness } from '../originate/harness.ts';

let h: CallHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Session = { id: string; status: string; first_phone: string; second_phone: string; logid: string; expires_at: string; did: string };
type Err = { error: string; details?: { fields?: { field: string }[]; missing_permission?: string } };

const db = (hh: CallHarness) => hh.api.deps.adb;

describe('masking sessions', () => {
  it('bridges both through the DID; ending the call forgets the pair, logs keep masked numbers', async () => {
    h = await createCallHarness({ talkMs: 40 });
    const org = await h.org();
    const res = await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body: { first_phone: '9944421125', second_phone: '09944421126', did: org.did } });
    expect(res.status).toBe(201);
    const s = (await res.json()) as Session;
    expect(s).toMatchObject({ status: 'active', first_phone: '+9199******25', second_phone: '+9199******26', did: org.did });
    await h.waitStatus(org, s.logid, ['bridged', 'ended']);
    const cmd = h.emu.commandLog.find((l) => l.startsWith('bgapi originate'))!;
    expect(cmd).toContain('origination_caller_id_number=' + org.did);
    expect(cmd).toContain('}sofia/gateway/pstn/+919944421125 ');
    expect(cmd).toContain('sofia/gateway/pstn/+919944421126');
    expect(cmd).toContain(`effective_caller_id_number=${org.did}`);
    await h.waitStatus(org, s.logid, 'ended');
    // The session ends just after the call's row does (its own write): poll for it.
    const sessionStatus = async () => ((await (await h!.api.call('GET', `/api/v1/masking-sessions/${s.id}`, { token: org.token })).json()) as Session).status;
    await expect.poll(sessionStatus, { timeout: 2_000 }).toBe('ended');
    const { maskingSessions, callLogs, outboundCalls } = db(h).t;
    const stored = await db(h).select({ first_phone: maskingSessions.firstPhone, second_phone: maskingSessions.secondPhone, first_masked: maskingSessions.firstMasked })
      .from(maskingSessions).where(eq(maskingSessions.id, s.id));
    expect(stored).toEqual([{ first_phone: null, second_phone: null, first_masked: '+9199******25' }]);
    // No real number anywhere in the call tables.
    const dump = JSON.stringify([await db(h).select().from(callLogs), await db(h).select().from(outboundCalls)]);
    expect(dump).not.toContain('9944421125');
    expect(dump).not.toContain('9944421126');
    const logs = (await (await h.api.call('GET', `/api/v1/masking-sessions/${s.id}/logs`, { token: org.token })).json()) as Array<Record<string, unknown>>;
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ call_id: s.logid, from: '+9199******25', to: '+9199******26', status: 'ended', hangup_cause: 'NORMAL_CLEARING' });
    expect(typeof logs[0]!.duration).toBe('number');
    const list = (await (await h.api.call('GET', '/api/v1/call-logs?type=masking', { token: org.token })).json()) as { calls: { caller_number: string }[] };
    expect(list.calls[0]!.caller_number).toBe('+9199******25');
  });

  it('update extends a live session; cancel hangs up and wipes; 409 once ended', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const s = (await (await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body: { first_phone: '9944421125', second_phone: '9944421126', did: org.did, duration_minutes: 5 } })).json()) as Session;
    await h.waitStatus(org, s.logid, 'bridged');
    const upd = await h.api.call('PATCH', `/api/v1/masking-sessions/${s.id}`, { token: org.token, body: { duration_minutes: 30 } });
    expect(upd.status).toBe(200);
    const u = (await upd.json()) as Session;
    expect(Date.parse(u.expires_at) - Date.parse(s.expires_at)).toBe(25 * 60_000);
    const cancel = await h.api.call('DELETE', `/api/v1/masking-sessions/${s.id}`, { token: org.token });
    expect(cancel.status).toBe(200);
    expect(((await cancel.json()) as Session).status).toBe('cancelled');
    await h.waitStatus(org, s.logid, 'ended');
    expect(h.emu.sim!.liveCount).toBe(0);
    expect((await h.api.call('DELETE', `/api/v1/masking-sessions/${s.id}`, { token: org.token })).status).toBe(409);
    expect((await h.api.call('PATCH', `/api/v1/masking-sessions/${s.id}`, { token: org.token, body: { duration_minutes: 9 } })).status).toBe(409);
  });

  it('400 names the field; 401; 403; 404 across orgs; list filters by status', async () => {
    h = await createCallHarness();
    const org = await h.org();
    const other = await h.org();
    for (const [body, field] of [
      [{ first_phone: 'x', second_phone: '9944421126', did: org.did }, 'first_phone'],
      [{ first_phone: '9944421125', second_phone: '9944421125', did: org.did }, 'second_phone'],
      [{ first_phone: '9944421125', second_phone: '9944421126', did: other.did }, 'did'],
      [{ first_phone: '9944421125', second_phone: '9944421126', did: org.did, duration_minutes: 0 }, 'duration_minutes'],
    ] as const) {
      const r = await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body });
      expect(r.status, field).toBe(400);
      expect(((await r.json()) as Err).details?.fields?.[0]?.field).toBe(field);
    }
    expect((await h.api.call('GET', '/api/v1/masking-sessions')).status).toBe(401);
    const key = await h.api.call('POST', '/api/v1/api-keys', { token: org.token, body: { name: 'k', permissions: ['masking.read'] } });
    const ro = ((await key.json()) as { key: string }).key;
    const denied = await h.api.call('POST', '/api/v1/masking-sessions', { apiKey: ro, body: {} });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Err).details?.missing_permission).toBe('masking.write');
    const s = (await (await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body: { first_phone: '9944421125', second_phone: '9944421126', did: org.did } })).json()) as Session;
    for (const [method, path, body] of [['GET', '', undefined], ['PATCH', '', { duration_minutes: 5 }], ['DELETE', '', undefined], ['GET', '/logs', undefined]] as const) {
      expect((await h.api.call(method, `/api/v1/masking-sessions/${s.id}${path}`, { token: other.token, body })).status, `${method}${path}`).toBe(404);
    }
    const active = (await (await h.api.call('GET', '/api/v1/masking-sessions?status=active', { apiKey: ro })).json()) as { total: number };
    expect(active.total).toBe(1);
    expect((await h.api.call('GET', '/api/v1/masking-sessions?status=x', { token: org.token })).status).toBe(400);
  });

  it('503 without a switch; nothing about the pair is kept', async () => {
    h = await createCallHarness({}, { connect: false });
    const org = await h.org();
    const r = await h.api.call('POST', '/api/v1/masking-sessions', { token: org.token, body: { first_phone: '9944421125', second_phone: '9944421126', did: org.did } });
    expect(r.status).toBe(503);
    expect(await db(h).select({ n: count() }).from(db(h).t.maskingSessions)).toEqual([{ n: 0 }]);
  });
});
