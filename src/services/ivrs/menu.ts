import { and, eq } from 'drizzle-orm';
import { transaction, type Db } from '../../db/handle.ts';
import { ACTION_TYPES, checkDestination, isExtensionNumber, NULL_DESTINATION_TYPES, type ActionType } from '../../domain/destinations.ts';
import { ValidationError, type FieldIssue } from '../../domain/errors.ts';
import { loadDraftTargets } from '../numbers/targets.ts';
import type { IvrWithMenuDto } from './dto.ts';
import { getIvrWithMenu, requireIvr } from './queries.ts';

export const MENU_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;

export interface MenuOptionInput {
  digit: string | number;
  action_type: string;
  action_destination?: string | null | undefined;
  description?: string | null | undefined;
  /** The seed's "sort order in the UI": options are saved in ascending order (then body order; absent = last). */
  order?: number | undefined;
}

export interface MenuOption {
  digit: string;
  actionType: ActionType;
  destination: string | null;
  description: string | null;
}

/** When an IVR is named by its extension, say which UUID to send instead. */
async function ivrHint(db: Db, orgId: string, value: string): Promise<string> {
  if (!isExtensionNumber(value)) return '';
  const { ivrs } = db.t;
  const [ivr] = await db.select({ id: ivrs.id, name: ivrs.name }).from(ivrs).where(and(eq(ivrs.orgId, orgId), eq(ivrs.extension, value))).limit(1);
  return ivr ? `; use IVR "${ivr.name}"'s UUID "${ivr.id}"` : '';
}

/**
 * Checks the whole menu against the organization's configuration and reports every failing
 * option at once (fields like `options.2.action_destination`). Returns the options normalized.
 */
export async function validateMenu(db: Db, orgId: string, options: MenuOptionInput[]): Promise<MenuOption[]> {
  const issues: FieldIssue[] = [];
  const firstIndexOfDigit = new Map<string, number>();
  const targets = await loadDraftTargets(db, orgId, options.map((o) => o.action_destination));
  const out: MenuOption[] = [];
  for (const [i, o] of options.entries()) {
    const digit = String(o.digit).trim();
    if (!(MENU_DIGITS as readonly string[]).includes(digit)) {
      issues.push({ field: `options.${i}.digit`, message: `Invalid digit: ${digit} (use 0-9, * or #)` });
    } else if (firstIndexOfDigit.has(digit)) {
      issues.push({ field: `options.${i}.digit`, message: `duplicate digit "${digit}" (also options.${firstIndexOfDigit.get(digit)})` });
    } else firstIndexOfDigit.set(digit, i);

    const raw = o.action_destination === undefined || o.action_destination === null ? null : o.action_destination.trim();
    const destination = raw === '' ? null : raw;
    const knownType = (ACTION_TYPES as readonly string[]).includes(o.action_type);
    if (!knownType) {
      issues.push({ field: `options.${i}.action_type`, message: `Invalid action_type: ${o.action_type} (one of ${ACTION_TYPES.join(', ')})` });
    }
    const problem = knownType ? checkDestination(targets, o.action_type, destination).problem : null;
    if (problem) {
      const hint = o.action_type === 'ivr' && destination ? await ivrHint(db, orgId, destination) : '';
      issues.push({ field: `options.${i}.action_destination`, message: problem.message + hint });
    }
    const description = o.description?.trim() || null;
    out.push({ digit, actionType: o.action_type as ActionType, destination: NULL_DESTINATION_TYPES.has(o.action_type) ? null : destination, description });
  }
  if (issues.length > 0) {
    throw new ValidationError(`Invalid menu: ${issues.map((x) => `${x.field}: ${x.message}`).join('; ')}`, issues);
  }
  return inSortOrder(out, options);
}

/** The options by their `order` (stable: equal or absent keys keep body order, absent ones go last). */
function inSortOrder(out: MenuOption[], options: MenuOptionInput[]): MenuOption[] {
  if (options.every((o) => o.order === undefined)) return out;
  const key = (i: number) => options[i]?.order ?? Number.POSITIVE_INFINITY;
  return out.map((o, i) => ({ o, i })).sort((a, b) => key(a.i) - key(b.i) || a.i - b.i).map(({ o }) => o);
}

/** Replaces every option of the IVR in one transaction: either the whole new menu is saved or the old one stays. */
export function replaceMenu(db: Db, orgId: string, ivrId: string, options: MenuOption[]): Promise<void> {
  return transaction(db, async (tx) => {
    const { ivrMenuOptions, ivrs } = tx.t;
    await tx.delete(ivrMenuOptions).where(and(eq(ivrMenuOptions.orgId, orgId), eq(ivrMenuOptions.ivrId, ivrId)));
    // Inserted one by one in body order: insertion order (src/db/order.ts) is the menu order.
    for (const o of options) {
      await tx.insert(ivrMenuOptions).values({ ivrId, orgId, digit: o.digit, actionType: o.actionType, destination: o.destination, description: o.description });
    }
    // The IVR changed: bump updatedAt so clients see it (and publish diffs see it).
    await tx.update(ivrs).set({ updatedAt: new Date().toISOString() }).where(and(eq(ivrs.orgId, orgId), eq(ivrs.id, ivrId)));
  });
}

export async function putMenu(db: Db, orgId: string, ivrId: string, options: MenuOptionInput[]): Promise<IvrWithMenuDto> {
  const ivr = await requireIvr(db, orgId, ivrId);
  await replaceMenu(db, orgId, ivr.id, await validateMenu(db, orgId, options));
  return getIvrWithMenu(db, orgId, ivr.id);
}
