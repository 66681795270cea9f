import { and, eq } from 'drizzle-orm';
import { transaction, type Db, type Tables } from '../../db/handle.ts';
import { isUniqueViolation } from '../../db/order.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { StoredDestination } from '../../db/schema/index.ts';
import { checkDestination, NULL_DESTINATION_TYPES, type DestinationTargets, type DirectDialPolicy, type FinalDestinationType } from '../../domain/destinations.ts';
import { assertNumberFree } from '../numbers/extension-numbers.ts';
import { loadDraftTargets } from '../numbers/targets.ts';
import { ConflictError, ValidationError, type FieldIssue } from '../../domain/errors.ts';
import type { IvrRow } from './dto.ts';
import { removeGreetingFile, type SoundsConfig } from './greeting.ts';
import { requireIvr } from './queries.ts';
import { findIvrReferences, type IvrReferences } from './references.ts';

export interface DestinationInput {
  type: FinalDestinationType;
  value?: string | null | undefined;
}

/** IVR fields as the API accepts them (snake_case). Absent = unchanged (update) or default (create). */
export interface IvrFields {
  name?: string | undefined;
  extension?: string | undefined;
  description?: string | null | undefined;
  timeout?: number | undefined;
  inter_digit_timeout?: number | undefined;
  max_retries?: number | undefined;
  timeout_retries?: number | null | undefined;
  invalid_retries?: number | null | undefined;
  enable_direct_dial?: boolean | undefined;
  direct_dial_policy?: DirectDialPolicy | undefined;
  direct_dial_list?: string[] | undefined;
  greeting_language?: string | undefined;
  greeting_voice?: string | undefined;
  timeout_prompt?: string | null | undefined;
  invalid_prompt?: string | null | undefined;
  timeout_destination?: DestinationInput | null | undefined;
  invalid_destination?: DestinationInput | null | undefined;
  status?: 'active' | 'inactive' | undefined;
}

type Columns = Partial<Tables['ivrs']['$inferInsert']>;

const blankToNull = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());

function destination(targets: DestinationTargets, field: string, d: DestinationInput | null | undefined, issues: FieldIssue[]): StoredDestination | null | undefined {
  if (d === undefined || d === null) return d;
  const value = d.value === undefined || d.value === null ? null : d.value.trim();
  const { problem } = checkDestination(targets, d.type, value);
  if (problem) issues.push({ field: `${field}.value`, message: problem.message });
  return { type: d.type, value: NULL_DESTINATION_TYPES.has(d.type) ? null : value };
}

/**
 * Keeps enable_direct_dial and direct_dial_policy consistent: enabled ⇔ policy ≠ disabled.
 * Turning direct dial on without a policy keeps the current one, or picks "all".
 */
function directDial(input: IvrFields, current: IvrRow | undefined, issues: FieldIssue[]): Columns {
  const out: Columns = {};
  if (input.direct_dial_policy !== undefined) {
    const enabled = input.direct_dial_policy !== 'disabled';
    if (input.enable_direct_dial !== undefined && input.enable_direct_dial !== enabled) {
      issues.push({ field: 'enable_direct_dial', message: `contradicts direct_dial_policy "${input.direct_dial_policy}"` });
    }
    out.enableDirectDial = enabled;
    out.directDialPolicy = input.direct_dial_policy;
  } else if (input.enable_direct_dial !== undefined) {
    const currentPolicy = current?.directDialPolicy ?? 'disabled';
    out.enableDirectDial = input.enable_direct_dial;
    out.directDialPolicy = !input.enable_direct_dial ? 'disabled' : currentPolicy !== 'disabled' ? currentPolicy : 'all';
  }
  if (input.direct_dial_list !== undefined) out.directDialList = [...new Set(input.direct_dial_list)];
  const policy = out.directDialPolicy ?? current?.directDialPolicy;
  const list = out.directDialList ?? current?.directDialList ?? [];
  if ((input.direct_dial_policy !== undefined || input.direct_dial_list !== undefined) && policy === 'allow_list' && list.length === 0) {
    issues.push({ field: 'direct_dial_list', message: 'must name at least one extension when direct_dial_policy is "allow_list"' });
  }
  return out;
}

/** Maps API fields to columns, collecting every invalid field before failing with one 400. */
async function toColumns(db: Db, orgId: string, input: IvrFields, current?: IvrRow): Promise<Columns> {
  const issues: FieldIssue[] = [];
  const targets = await loadDraftTargets(db, orgId, [input.timeout_destination?.value, input.invalid_destination?.value]);
  const cols: Columns = {
    name: input.name?.trim(),
    extension: input.extension?.trim(),
    description: blankToNull(input.description),
    timeout: input.timeout,
    interDigitTimeout: input.inter_digit_timeout,
    maxRetries: input.max_retries,
    timeoutRetries: input.timeout_retries,
    invalidRetries: input.invalid_retries,
    greetingLanguage: input.greeting_language,
    greetingVoice: input.greeting_voice,
    timeoutPrompt: blankToNull(input.timeout_prompt),
    invalidPrompt: blankToNull(input.invalid_prompt),
    timeoutDestination: destination(targets, 'timeout_destination', input.timeout_destination, issues),
    invalidDestination: destination(targets, 'invalid_destination', input.invalid_destination, issues),
    status: input.status,
    ...directDial(input, current, issues),
  };
  if (issues.length > 0) {
    throw new ValidationError(`Invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
  }
  return Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== undefined)) as Columns;
}

/** A concurrent writer took the extension between our check and our write: isUniqueViolation. */
const RACE_MESSAGE = 'An IVR with that extension already exists in this org';

/**
 * The check of the number and the write are one transaction (a savepoint inside the caller's): on PostgreSQL
 * assertNumberFree's lock on the organization then holds until the IVR is written, so an extension or queue
 * created at the same moment with the same number cannot slip in between.
 */
export async function createIvr(db: Db, orgId: string, input: IvrFields & { name: string; extension: string }): Promise<IvrRow> {
  try {
    return await transaction(db, async (tx) => {
      const cols = await toColumns(tx, orgId, input);
      await assertNumberFree(tx, orgId, cols.extension as string);
      const [row] = await tx.insert(tx.t.ivrs).values({ ...cols, orgId, name: cols.name as string, extension: cols.extension as string }).returning();
      return row!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(RACE_MESSAGE);
    throw err;
  }
}

export async function updateIvr(db: Db, orgId: string, id: string, input: IvrFields): Promise<IvrRow> {
  try {
    return await transaction(db, async (tx) => {
      const { ivrs } = tx.t;
      const current = await requireIvr(tx, orgId, id);
      const cols = await toColumns(tx, orgId, input, current);
      if (cols.extension !== undefined && cols.extension !== current.extension) await assertNumberFree(tx, orgId, cols.extension, { type: 'ivr', id: current.id });
      if (Object.keys(cols).length === 0) return current;
      const [row] = await tx.update(ivrs).set(cols).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, current.id))).returning();
      return row ?? (await requireIvr(tx, orgId, id));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(RACE_MESSAGE);
    throw err;
  }
}

/**
 * Deletes the IVR (its menu options go with it through the FK cascade) and reports what
 * still routes calls to it: those DIDs are dead until re-routed, and publish flags them.
 */
export function deleteIvr(db: Db, orgId: string, id: string): Promise<IvrReferences> {
  // One transaction: the references reported are those the delete left dangling.
  return transaction(db, async (tx) => {
    const { ivrs } = tx.t;
    const ivr = await requireIvr(tx, orgId, id);
    const refs = await findIvrReferences(tx, orgId, ivr.id);
    await tx.delete(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, ivr.id)));
    return refs;
  });
}

/** deleteIvr, then its greeting file (best effort: a file that cannot be removed is logged). */
export async function deleteIvrAndGreeting(deps: { db: Db; config: SoundsConfig; logger: Logger }, orgId: string, id: string): Promise<IvrReferences> {
  const refs = await deleteIvr(deps.db, orgId, id);
  await removeGreetingFile(deps.config, id, deps.logger);
  return refs;
}
