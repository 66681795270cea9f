import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import type { StoredDestination } from '../../db/schema/index.ts';

/** Something other than a DID that sends calls to an IVR. */
export interface IvrReference {
  type: 'ivr' | 'ai_agent';
  id: string;
  name: string;
  /** e.g. "menu option 1", "timeout_destination", "fallback_destination" */
  field: string;
}

export interface IvrReferences {
  dids: { id: string; number: string }[];
  references: IvrReference[];
}

const pointsAt = (d: StoredDestination | null | undefined, ivrId: string) => d?.type === 'ivr' && d.value === ivrId;

/** Everything in the organization's draft configuration that routes calls to `ivrId` (excluding the IVR itself). */
export async function findIvrReferences(db: Db, orgId: string, ivrId: string): Promise<IvrReferences> {
  const { aiAgents, dids, ivrMenuOptions, ivrs } = db.t;
  const didRows = await db
    .select({ id: dids.id, number: dids.number })
    .from(dids)
    .where(and(eq(dids.orgId, orgId), eq(dids.routingType, 'ivr'), eq(dids.routingDestination, ivrId)))
    .orderBy(dids.number);

  const references: IvrReference[] = [];
  const options = await db
    .select({ id: ivrs.id, name: ivrs.name, digit: ivrMenuOptions.digit })
    .from(ivrMenuOptions)
    .innerJoin(ivrs, eq(ivrs.id, ivrMenuOptions.ivrId))
    .where(and(eq(ivrMenuOptions.orgId, orgId), eq(ivrMenuOptions.actionType, 'ivr'), eq(ivrMenuOptions.destination, ivrId), ne(ivrs.id, ivrId)));
  for (const o of options) references.push({ type: 'ivr', id: o.id, name: o.name, field: `menu option ${o.digit}` });

  const others = await db
    .select({ id: ivrs.id, name: ivrs.name, t: ivrs.timeoutDestination, i: ivrs.invalidDestination })
    .from(ivrs)
    .where(and(eq(ivrs.orgId, orgId), ne(ivrs.id, ivrId)));
  for (const o of others) {
    if (pointsAt(o.t, ivrId)) references.push({ type: 'ivr', id: o.id, name: o.name, field: 'timeout_destination' });
    if (pointsAt(o.i, ivrId)) references.push({ type: 'ivr', id: o.id, name: o.name, field: 'invalid_destination' });
  }

  const agents = await db.select({ id: aiAgents.id, name: aiAgents.name, f: aiAgents.fallbackDestination }).from(aiAgents).where(eq(aiAgents.orgId, orgId));
  for (const a of agents) {
    if (pointsAt(a.f, ivrId)) references.push({ type: 'ai_agent', id: a.id, name: a.name, field: 'fallback_destination' });
  }
  return { dids: didRows, references };
}
