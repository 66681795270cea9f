/** What the builder's inspector forms share: the API, the org's lists, what the session may change, and how to reload. */
import type { Api } from '../api.ts';
import type { Catalog } from '../catalog.ts';
import type { PickerOptions } from '../destination.ts';

export interface BuilderContext {
  api: Api;
  catalog: Catalog;
  /** ivr.write: menus, greetings, publishing. */
  canEdit: boolean;
  /** schedule.write: business hours. */
  canEditSchedules: boolean;
  /** Creates a menu or schedule from a destination picker (and adds it to the catalog). */
  create: PickerOptions['create'];
  /** Puts a form in the inspector (e.g. a new option's) and focuses its first control. */
  showForm(form: HTMLElement): void;
  /**
   * After a save: reload the lists, redraw the tree, validate again; then select `selectKey` (default: the
   * same node). `keepInspector`: leave the form as it is (a greeting still playing).
   */
  saved(message: string, opts?: { selectKey?: string; keepInspector?: boolean }): Promise<void>;
}

/** Reads a whole-number input; blank = null. */
export function intOrNull(el: HTMLInputElement): number | null {
  const v = el.value.trim();
  return v === '' ? null : Number.parseInt(v, 10);
}
