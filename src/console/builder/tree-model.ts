/**
 * The menu as a tree of nodes: an IVR, its options (keys 1–9, 0, *, #), its timeout and invalid
 * destinations, and what they lead to: a nested IVR, or business hours with their open and closed
 * branches. A menu already above a node is shown as a loop back, not drawn again.
 */
import { describe, type Catalog } from '../catalog.ts';
import type { Destination, Ivr, MenuOption, Problem, Schedule } from '../types.ts';

export type NodeKind = 'ivr' | 'option' | 'fallback' | 'schedule' | 'branch' | 'loop';
export type FallbackField = 'timeout_destination' | 'invalid_destination';

export interface TreeNode {
  /** Unique in the tree (the route from the root), stable across reloads. */
  key: string;
  kind: NodeKind;
  title: string;
  detail: string;
  /** ivr: the IVR; option and fallback: the IVR they belong to; loop: the IVR it returns to. */
  ivrId?: string;
  digit?: string;
  field?: FallbackField;
  scheduleId?: string;
  /** branch: which of the schedule's destinations. */
  branch?: 'open' | 'closed';
  children: TreeNode[];
}

export const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'];
const MAX_DEPTH = 16;

export function sortOptions(options: MenuOption[]): MenuOption[] {
  return [...options].sort((a, b) => DIGITS.indexOf(a.digit) - DIGITS.indexOf(b.digit));
}

export function buildTree(catalog: Catalog, rootId: string): TreeNode | null {
  const ivrs = new Map(catalog.ivrs.map((i) => [i.id, i]));
  const schedules = new Map(catalog.schedules.map((s) => [s.id, s]));

  const leadsTo = (d: Destination | null, key: string, above: ReadonlySet<string>, depth: number): TreeNode[] => {
    if (!d?.value || depth > MAX_DEPTH) return [];
    if (d.type === 'ivr') {
      const target = ivrs.get(d.value);
      if (!target) return [];
      if (above.has(`ivr:${target.id}`)) {
        return [{ key: `${key}/loop`, kind: 'loop', title: `Back to ${target.name}`, detail: 'Returns to a menu above', ivrId: target.id, children: [] }];
      }
      return [ivrNode(target, `${key}/ivr:${target.id}`, above, depth + 1)];
    }
    if (d.type === 'time_condition') {
      const s = schedules.get(d.value);
      return s && !above.has(`schedule:${s.id}`) ? [scheduleNode(s, `${key}/schedule:${s.id}`, above, depth + 1)] : [];
    }
    return [];
  };

  const scheduleNode = (s: Schedule, key: string, above: ReadonlySet<string>, depth: number): TreeNode => {
    const inside = new Set(above).add(`schedule:${s.id}`);
    const branch = (name: 'open' | 'closed', d: Destination): TreeNode => ({
      key: `${key}/${name}`, kind: 'branch', title: name === 'open' ? 'When open' : 'When closed', detail: describe(catalog, d),
      scheduleId: s.id, branch: name, children: leadsTo(d, `${key}/${name}`, inside, depth),
    });
    return {
      key, kind: 'schedule', title: `Business hours: ${s.name}`, detail: `${weekSummary(s)} (${s.timezone})`, scheduleId: s.id,
      children: [branch('open', s.open_destination), branch('closed', s.closed_destination)],
    };
  };

  const ivrNode = (ivr: Ivr, key: string, above: ReadonlySet<string>, depth: number): TreeNode => {
    const inside = new Set(above).add(`ivr:${ivr.id}`);
    const options = sortOptions(ivr.menuOptions).map((o): TreeNode => {
      const d = { type: o.action_type, value: o.action_destination };
      const k = `${key}/${o.digit}`;
      return {
        key: k, kind: 'option', title: `Press ${o.digit}`, detail: [describe(catalog, d), o.description].filter(Boolean).join(' · '),
        ivrId: ivr.id, digit: o.digit, children: leadsTo(d, k, inside, depth),
      };
    });
    const fallback = (field: FallbackField, title: string): TreeNode => {
      const d = ivr[field];
      return { key: `${key}/${field}`, kind: 'fallback', title, detail: describe(catalog, d), ivrId: ivr.id, field, children: leadsTo(d, `${key}/${field}`, inside, depth) };
    };
    const greeting = ivr.greeting_text ? `“${ivr.greeting_text.length > 60 ? `${ivr.greeting_text.slice(0, 57)}…` : ivr.greeting_text}”` : 'No greeting yet';
    return {
      key, kind: 'ivr', title: `${ivr.name} (${ivr.extension})`, detail: greeting, ivrId: ivr.id,
      children: [...options, fallback('timeout_destination', 'On timeout'), fallback('invalid_destination', 'On invalid key')],
    };
  };

  const root = ivrs.get(rootId);
  return root ? ivrNode(root, `ivr:${root.id}`, new Set(), 0) : null;
}

/** "Mon–Fri 09:00–17:00" style summary of a week. */
export function weekSummary(s: Schedule): string {
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const parts = days
    .filter((d) => (s.weekly[d] ?? []).length > 0)
    .map((d) => `${d[0]!.toUpperCase()}${d.slice(1)} ${(s.weekly[d] ?? []).map((r) => `${r.start}–${r.end}`).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'Always closed';
}

/** The findings that belong on this node (the same IVR may appear at several places: each shows them). */
export function findingsFor(node: TreeNode, findings: Problem[]): Problem[] {
  return findings.filter((p) => {
    switch (node.kind) {
      case 'ivr':
        return p.ivr_id === node.ivrId && !p.option && p.field !== 'timeout_destination' && p.field !== 'invalid_destination'
          && !(p.field ?? '').startsWith('options.');
      case 'option':
        return p.ivr_id === node.ivrId && p.option === node.digit;
      case 'fallback':
        return p.ivr_id === node.ivrId && p.field === node.field;
      case 'schedule':
        return p.section === 'schedules' && p.object_id === node.scheduleId && p.field !== 'open_destination' && p.field !== 'closed_destination';
      case 'branch':
        return p.section === 'schedules' && p.object_id === node.scheduleId && p.field === `${node.branch}_destination`;
      case 'loop':
        return false;
    }
  });
}

/** Every node, depth first. */
export function walk(node: TreeNode, visit: (n: TreeNode, parent: TreeNode | null) => void, parent: TreeNode | null = null): void {
  visit(node, parent);
  for (const c of node.children) walk(c, visit, node);
}
