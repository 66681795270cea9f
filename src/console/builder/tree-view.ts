/**
 * The menu tree on the page: a WAI-ARIA tree (one Tab stop; arrows move, Right/Left open and close, Home/End,
 * Enter or Space selects). Each node shows its problems and warnings where they are.
 */
import { h } from '../dom.ts';
import type { Problem } from '../types.ts';
import { findingsFor, type TreeNode } from './tree-model.ts';

export interface TreeViewOptions {
  root: TreeNode;
  selectedKey: string | null;
  /** Keys of closed nodes (kept by the builder across reloads). */
  collapsed: Set<string>;
  problems: Problem[];
  warnings: Problem[];
  /** IVR ids on the last test call's path. */
  onPath: Set<string>;
  onSelect(node: TreeNode): void;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderTree(o: TreeViewOptions): HTMLUListElement {
  const byKey = new Map<string, TreeNode>();

  const item = (node: TreeNode, level: number): HTMLLIElement => {
    byKey.set(node.key, node);
    const problems = findingsFor(node, o.problems);
    const warnings = findingsFor(node, o.warnings);
    const open = !o.collapsed.has(node.key);
    const selected = node.key === o.selectedKey;
    const label = [node.title, node.detail, problems.length ? plural(problems.length, 'problem') : '', warnings.length ? plural(warnings.length, 'warning') : '']
      .filter(Boolean).join(', ');
    const classes = ['node', `node-${node.kind}`, problems.length ? 'has-problem' : '', warnings.length ? 'has-warning' : '',
      node.kind === 'ivr' && node.ivrId && o.onPath.has(node.ivrId) ? 'on-path' : ''].filter(Boolean).join(' ');
    const li = h('li', {
      role: 'treeitem', 'data-key': node.key, 'data-kind': node.kind, 'aria-level': level, 'aria-label': label,
      'aria-selected': selected ? 'true' : 'false', 'aria-expanded': node.children.length ? String(open) : null, tabindex: -1,
    },
    h('div', { class: classes, on: { click: (e) => { e.stopPropagation(); select(li); } } },
      node.children.length ? h('span', { class: 'caret', 'aria-hidden': 'true', on: { click: (e) => { e.stopPropagation(); toggle(li); } } }, open ? '▾' : '▸') : h('span', { class: 'caret', 'aria-hidden': 'true' }),
      h('span', { class: 'node-title' }, node.title),
      h('span', { class: 'node-detail' }, node.detail),
      problems.length ? h('span', { class: 'badge badge-problem', 'aria-hidden': 'true' }, plural(problems.length, 'problem')) : null,
      warnings.length ? h('span', { class: 'badge badge-warning', 'aria-hidden': 'true' }, plural(warnings.length, 'warning')) : null,
      problems.length || warnings.length
        ? h('ul', { class: 'node-findings' },
          ...problems.map((p) => h('li', { class: 'finding-problem' }, p.message)),
          ...warnings.map((p) => h('li', { class: 'finding-warning' }, p.message)))
        : null),
    node.children.length ? h('ul', { role: 'group', hidden: !open }, ...node.children.map((c) => item(c, level + 1))) : null);
    return li;
  };

  const tree = h('ul', { role: 'tree', class: 'tree', 'aria-label': 'Menu tree' }, item(o.root, 1));
  /** The items a person can see: none inside a closed group. */
  const items = () => [...tree.querySelectorAll<HTMLLIElement>('[role=treeitem]')].filter((li) => !li.parentElement?.closest('[role=group][hidden]'));
  const nodeOf = (li: HTMLLIElement) => byKey.get(li.dataset.key ?? '')!;
  const group = (li: HTMLLIElement) => li.querySelector<HTMLUListElement>(':scope > ul[role=group]');

  const focus = (li: HTMLLIElement | undefined | null) => {
    if (!li) return;
    for (const other of tree.querySelectorAll<HTMLElement>('[role=treeitem][tabindex="0"]')) other.tabIndex = -1;
    li.tabIndex = 0;
    li.focus();
  };
  const select = (li: HTMLLIElement) => {
    for (const other of tree.querySelectorAll('[aria-selected=true]')) other.setAttribute('aria-selected', 'false');
    li.setAttribute('aria-selected', 'true');
    focus(li);
    o.onSelect(nodeOf(li));
  };
  const setOpen = (li: HTMLLIElement, open: boolean) => {
    const g = group(li);
    if (!g) return;
    g.hidden = !open;
    li.setAttribute('aria-expanded', String(open));
    const caret = li.querySelector(':scope > .node > .caret');
    if (caret) caret.textContent = open ? '▾' : '▸';
    if (open) o.collapsed.delete(li.dataset.key ?? '');
    else o.collapsed.add(li.dataset.key ?? '');
  };
  const toggle = (li: HTMLLIElement) => setOpen(li, group(li)?.hidden ?? false);

  tree.addEventListener('keydown', (e) => {
    const li = (e.target as HTMLElement).closest<HTMLLIElement>('[role=treeitem]');
    if (!li) return;
    const list = items();
    const at = list.indexOf(li);
    const g = group(li);
    switch (e.key) {
      case 'ArrowDown': focus(list[at + 1]); break;
      case 'ArrowUp': focus(list[at - 1]); break;
      case 'Home': focus(list[0]); break;
      case 'End': focus(list.at(-1)); break;
      case 'ArrowRight':
        if (g?.hidden) setOpen(li, true);
        else if (g) focus(g.querySelector<HTMLLIElement>('[role=treeitem]'));
        break;
      case 'ArrowLeft':
        if (g && !g.hidden) setOpen(li, false);
        else focus(li.parentElement?.closest<HTMLLIElement>('[role=treeitem]'));
        break;
      case 'Enter':
      case ' ':
        select(li);
        break;
      default:
        return;
    }
    e.preventDefault();
  });

  // One Tab stop: the selected node, else the root.
  const start = (o.selectedKey && tree.querySelector<HTMLLIElement>(`[role=treeitem][data-key="${CSS.escape(o.selectedKey)}"]`)) || tree.querySelector<HTMLLIElement>('[role=treeitem]');
  if (start) start.tabIndex = 0;
  return tree;
}

/** Moves focus to the node with `key` (after a re-render), opening the nodes above it. */
export function focusNode(tree: HTMLElement, key: string): boolean {
  const li = tree.querySelector<HTMLLIElement>(`[role=treeitem][data-key="${CSS.escape(key)}"]`);
  if (!li) return false;
  for (let g = li.parentElement?.closest<HTMLElement>('[role=group]'); g; g = g.parentElement?.closest<HTMLElement>('[role=group]') ?? null) g.hidden = false;
  for (const other of tree.querySelectorAll<HTMLElement>('[role=treeitem][tabindex="0"]')) other.tabIndex = -1;
  li.tabIndex = 0;
  li.focus();
  return true;
}
