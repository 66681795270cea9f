import { ValidationError, summarizeIssues, type FieldIssue } from '../../domain/errors.ts';

/**
 * Field problems found while mapping a vendor's request, named with the vendor's field names. The adapters
 * collect every problem of a request (their own and those our services find), then fail once with all of them.
 */
export class IssueList {
  readonly issues: FieldIssue[] = [];

  /** `rename`: our field name (as our services report it) → the vendor's. */
  constructor(private readonly rename: (field: string) => string = (f) => f) {}

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  /** Throws one ValidationError listing every problem, when there is any. */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ValidationError(`Invalid request: ${summarizeIssues(this.issues)}`, this.issues);
  }

  /** Adds one more problem and throws them all. */
  fail(field: string, message: string): never {
    this.add(field, message);
    throw new ValidationError(`Invalid request: ${summarizeIssues(this.issues)}`, this.issues);
  }

  /**
   * Runs one of our services' checks: a ValidationError's fields join the list under the vendor's names
   * (and `undefined` comes back); any other error passes.
   */
  collect<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      return this.absorb(err);
    }
  }

  /** collect for our services' async checks (on the async data layer, src/db/handle.ts). */
  async collectAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      return this.absorb(err);
    }
  }

  /** A ValidationError's fields join the list (undefined comes back); anything else is rethrown. */
  private absorb(err: unknown): undefined {
    if (!(err instanceof ValidationError)) throw err;
    for (const f of (err.details as { fields?: FieldIssue[] } | undefined)?.fields ?? []) this.add(this.rename(f.field), f.message);
    return undefined;
  }
}
