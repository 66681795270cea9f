/**
 * Validation before publishing (POST /config/validate, the same checks publish runs) and publishing: the
 * report lists every problem and warning, each with a button to its node in the tree.
 */
import { ApiError, messageOf, type Api } from '../api.ts';
import { button, fill, h, notify } from '../dom.ts';
import type { Problem, ValidationReport } from '../types.ts';
import { findingsFor, walk, type TreeNode } from './tree-model.ts';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The first node of the tree a finding is shown on, or null when it is about something outside this tree. */
export function nodeOf(tree: TreeNode | null, p: Problem): TreeNode | null {
  let found: TreeNode | null = null;
  if (tree) walk(tree, (n) => { if (!found && findingsFor(n, [p]).length > 0) found = n; });
  return found;
}

/** Draws the report into `box`. */
export function renderReport(box: HTMLElement, report: ValidationReport, tree: TreeNode | null, show: (key: string) => void): void {
  const entry = (p: Problem, kind: 'problem' | 'warning') => {
    const node = nodeOf(tree, p);
    return h('li', { class: `finding-${kind}` },
      h('span', {}, p.message),
      node ? button('Show', () => show(node.key), { class: 'link', 'aria-label': `Show in the tree: ${p.message}` }) : null);
  };
  fill(box,
    h('h2', {}, 'Checks'),
    h('p', { class: report.ok ? 'ok' : 'error' },
      report.ok ? `No problems: ready to publish${report.warnings.length ? ` (${plural(report.warnings.length, 'warning')})` : ''}` : `${plural(report.problems.length, 'problem')} to fix before publishing`),
    report.problems.length ? h('ul', { class: 'findings' }, ...report.problems.map((p) => entry(p, 'problem'))) : null,
    report.warnings.length ? h('details', {}, h('summary', {}, plural(report.warnings.length, 'warning')), h('ul', { class: 'findings' }, ...report.warnings.map((p) => entry(p, 'warning')))) : null);
}

export async function validate(api: Api): Promise<ValidationReport> {
  return api.post<ValidationReport>('/config/validate');
}

/** Publishes the organization; the result (version and warnings, or the problems) goes into `box`. */
export async function publish(api: Api, ivrId: string, box: HTMLElement): Promise<boolean> {
  fill(box, h('p', {}, 'Publishing…'));
  try {
    const r = await api.post<{ version: number; changed: boolean; warnings: Problem[] }>(`/ivrs/${ivrId}/publish`);
    fill(box,
      h('h2', {}, 'Published'),
      h('p', { class: 'ok' }, r.changed ? `Version ${r.version} is live.` : `Nothing changed since version ${r.version}.`),
      r.warnings.length ? h('ul', { class: 'findings' }, ...r.warnings.map((w) => h('li', { class: 'finding-warning' }, w.message))) : null,
      h('p', {}, h('a', { href: `#/versions/${r.version}` }, `See what changed in version ${r.version}`)));
    notify(r.changed ? `Published version ${r.version}` : 'Nothing to publish: no change', 'ok');
    return true;
  } catch (err) {
    const problems = err instanceof ApiError ? (err.details as { problems?: Problem[] } | null)?.problems ?? [] : [];
    fill(box,
      h('h2', {}, 'Not published'),
      h('p', { class: 'error' }, messageOf(err)),
      problems.length ? h('ul', { class: 'findings' }, ...problems.map((p) => h('li', { class: 'finding-problem' }, p.message))) : null);
    notify(messageOf(err), 'error');
    return false;
  }
}
