/**
 * Where an organization finds and buys phone numbers. The built-in provider is the organization's own
 * number pool (pool-provider.ts); a carrier's API can implement the same interface and be given to the
 * API as AppDeps.numbers without any route changing.
 */
export interface NumberRegion {
  /** `<country code>-<area prefix>`, e.g. "91-80" (regions.ts says how it is derived). */
  id: string;
  country_code: string;
  /** The first national digits that name the area, e.g. "80". */
  prefix: string;
  /** A known name for the area ("Bangalore"), else "+91 80". */
  name: string;
  /** Numbers free to buy in it now. */
  available: number;
}

export interface AvailableNumber {
  number: string;
  region: string;
  description: string | null;
}

export interface NumberSearch {
  region?: string | undefined;
  /** Digits with `*` for any run of digits (anchored to the whole number), or digits matched anywhere. */
  pattern?: string | undefined;
  limit: number;
  offset: number;
}

export interface PurchasedNumber {
  id: string;
  number: string;
}

export interface NumberProvider {
  regions(): Promise<NumberRegion[]>;
  search(q: NumberSearch): Promise<{ numbers: AvailableNumber[]; total: number }>;
  /** Moves `number` (E.164) to the organization; NotFoundError when it is not available, ConflictError when taken meanwhile. */
  purchase(orgId: string, number: string, actor: { id: string; kind: 'user' | 'api_key' }): Promise<PurchasedNumber>;
}
