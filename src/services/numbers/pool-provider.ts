/** The built-in NumberProvider: the organization's number pool (dids with no organization). */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/handle.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { listPool, requestFromPool } from '../dids/did-service.ts';
import type { NumberProvider, NumberRegion } from './number-provider.ts';
import { numberMatcher, regionOf } from './regions.ts';

export function poolNumberProvider(db: Db, opts: { defaultCountryCode: string; now: () => Date }): NumberProvider {
  const cc = opts.defaultCountryCode;
  const available = async () => (await listPool(db)).filter((d) => d.status === 'active');
  return {
    async regions() {
      const byId = new Map<string, NumberRegion>();
      for (const d of await available()) {
        const r = regionOf(d.number, cc);
        const seen = byId.get(r.id);
        if (seen) seen.available += 1;
        else byId.set(r.id, { id: r.id, country_code: r.countryCode, prefix: r.prefix, name: r.name, available: 1 });
      }
      return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
    },
    async search(q) {
      const matches = q.pattern ? numberMatcher(q.pattern, cc) : () => true;
      const all = (await available())
        .map((d) => ({ number: d.number, region: regionOf(d.number, cc).id, description: d.description }))
        .filter((n) => (q.region === undefined || n.region === q.region) && matches(n.number));
      return { numbers: all.slice(q.offset, q.offset + q.limit), total: all.length };
    },
    async purchase(orgId, number, actor) {
      const { dids } = db.t;
      const [row] = await db.select({ id: dids.id }).from(dids).where(eq(dids.number, number)).limit(1);
      // requestFromPool answers 404 for another organization's number and 409 for one taken or not active.
      if (!row) throw new NotFoundError(`Number ${number} is not available`);
      const { did } = await requestFromPool(db, orgId, row.id, actor, opts.now());
      return { id: did.id, number: did.number };
    },
  };
}
