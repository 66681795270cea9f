/**
 * The outbox claim on both databases: concurrent claimers (on PostgreSQL: two instances, i.e. two
 * pools) take every due row exactly once, a claimed row is leased, and the lease runs out.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openPostgres } from '../../src/db/postgres.ts';
import { createOutboxClaim, type ClaimDue } from '../../src/services/webhooks/claim.ts';
import { openTestApi, type AsyncTestApi, type TestOrg } from '../helpers/api.ts';

const LEASE_MS = 60_000;
const T0 = 1_800_000_000_000;

let api: AsyncTestApi;
let org: TestOrg;
beforeEach(async () => {
  api = await openTestApi();
  org = await api.org();
});
afterEach(() => api.close());

async function seed(due: number, opts: { disabledEndpoint?: boolean } = {}) {
  const { adb } = api.deps;
  const [endpoint] = await adb.insert(adb.t.webhookEndpoints)
    .values({ orgId: org.orgId, url: 'https://hooks.example/x', secret: 'whsec_test', events: ['*'], enabled: !opts.disabledEndpoint }).returning();
  const rows = Array.from({ length: due }, (_, i) => ({
    orgId: org.orgId, endpointId: endpoint!.id, eventType: 'call.hangup', body: `{"n":${i}}`, nextAttemptAt: T0 - 1000 + i,
  }));
  await adb.insert(adb.t.webhookDeliveries).values(rows);
  // Not due yet, and already delivered: never claimed.
  await adb.insert(adb.t.webhookDeliveries).values([
    { orgId: org.orgId, endpointId: endpoint!.id, eventType: 'call.hangup', body: '{}', nextAttemptAt: T0 + 10_000 },
    { orgId: org.orgId, endpointId: endpoint!.id, eventType: 'call.hangup', body: '{}', nextAttemptAt: T0 - 5000, status: 'delivered' },
  ]);
}

/** Claimers as separate instances would hold them: on PostgreSQL each with its own pool. */
async function claimers(n: number): Promise<{ claims: ClaimDue[]; close(): Promise<void> }> {
  if (api.dialect === 'sqlite') return { claims: Array.from({ length: n }, () => createOutboxClaim(api.deps.adb, LEASE_MS)), close: async () => undefined };
  const instances = await Promise.all(Array.from({ length: n }, () => openPostgres(api.config.DATABASE_URL, { max: 2 })));
  return { claims: instances.map((i) => createOutboxClaim(i.adb, LEASE_MS)), close: async () => void (await Promise.all(instances.map((i) => i.close()))) };
}

it('concurrent claimers take every due row exactly once, in small batches', async () => {
  await seed(60);
  const { claims, close } = await claimers(4);
  try {
    const taken: string[] = [];
    // Each claimer loops until it finds nothing more; all four run at once.
    await Promise.all(claims.map(async (claim) => {
      for (;;) {
        const batch = await claim(T0, 7);
        if (batch.length === 0) return;
        taken.push(...batch.map((d) => d.id));
      }
    }));
    expect(taken).toHaveLength(60);
    expect(new Set(taken).size).toBe(60);
  } finally {
    await close();
  }
});

it('a claimed row is leased: invisible until the lease runs out, then due again', async () => {
  await seed(3);
  const claim = createOutboxClaim(api.deps.adb, LEASE_MS);
  const first = await claim(T0, 10);
  expect(first.map((d) => JSON.parse(d.body) as unknown)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
  expect(first[0]).toMatchObject({ event_type: 'call.hangup', attempts: 0, url: 'https://hooks.example/x', secret: 'whsec_test' });
  expect(await claim(T0 + 1000, 10)).toEqual([]);
  // The lease ends LEASE_MS after the claim; the row not yet due at T0 is due by then too.
  expect((await claim(T0 + LEASE_MS, 10)).length).toBe(4);
});

it('rows of a disabled endpoint are not claimed', async () => {
  await seed(2, { disabledEndpoint: true });
  expect(await createOutboxClaim(api.deps.adb, LEASE_MS)(T0, 10)).toEqual([]);
});
