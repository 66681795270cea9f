/**
 * The menu builder: the IVR tree on one side, the selected node's form on the other; checks (the same
 * validation as publish) drawn on the nodes; publish; a test call.
 */
import { messageOf } from '../api.ts';
import { loadCatalog, type Catalog } from '../catalog.ts';
import { button, fill, h, notify, select as selectInput } from '../dom.ts';
import type { Session } from '../session.ts';
import type { Ivr, Schedule, ValidationReport } from '../types.ts';
import type { View } from '../view.ts';
import { publish, renderReport, validate } from './checks.ts';
import type { BuilderContext } from './context.ts';
import { ivrForm } from './ivr-form.ts';
import { fallbackForm, optionForm } from './option-form.ts';
import { scheduleForm } from './schedule-form.ts';
import { simulatePanel } from './simulate.ts';
import { buildTree, walk, type TreeNode } from './tree-model.ts';
import { focusNode, renderTree } from './tree-view.ts';

export function builderView(session: Session, rootId: string): View {
  const { api } = session;
  let catalog: Catalog | null = null;
  let tree: TreeNode | null = null;
  let selectedKey: string | null = null;
  let report: ValidationReport = { ok: true, problems: [], warnings: [] };
  let onPath = new Set<string>();
  const collapsed = new Set<string>();

  const title = h('h1', {}, 'Menu builder');
  const rootPicker = h('div', { class: 'root-picker' });
  const treePane = h('div', { class: 'tree-pane' });
  const inspector = h('div', {}, h('p', { class: 'hint' }, 'Select a node of the tree to edit it.'));
  const reportBox = h('section', { class: 'report', 'aria-live': 'polite' });
  const publishBox = h('section', { class: 'publish-result', 'aria-live': 'polite' });
  const ivrName = (id: string) => catalog?.ivrs.find((i) => i.id === id)?.name ?? id;

  const ctx: BuilderContext = {
    api,
    get catalog() { return catalog!; },
    canEdit: session.can('ivr.write'),
    canEditSchedules: session.can('schedule.write'),
    create: {
      async ivr(name, extension) {
        const created = await api.post<Ivr>('/ivrs', { name, extension });
        catalog!.ivrs.push({ ...created, menuOptions: [] });
        notify(`Created menu ${name}`, 'ok');
        return created.id;
      },
      async schedule(name, timezone) {
        const hangup = { type: 'hangup', value: null };
        const created = await api.post<Schedule>('/business-hours', { name, timezone, open_destination: hangup, closed_destination: hangup });
        catalog!.schedules.push(created);
        notify(`Created business hours ${name}`, 'ok');
        return created.id;
      },
    },
    showForm(form) {
      fill(inspector, form);
      form.querySelector<HTMLElement>('select, input, textarea')?.focus();
    },
    async saved(message, opts = {}) {
      if (opts.selectKey) selectedKey = opts.selectKey;
      await reload(!opts.keepInspector);
      notify(message, 'ok');
      if (!opts.keepInspector && selectedKey) focusNode(treePane, selectedKey);
    },
  };

  const find = (key: string | null): TreeNode | null => {
    let found: TreeNode | null = null;
    if (tree && key) walk(tree, (n) => { if (n.key === key) found = n; });
    return found;
  };

  const showInspector = () => {
    const node = find(selectedKey);
    const c = catalog;
    if (!node || !c) {
      fill(inspector, h('p', { class: 'hint' }, 'Select a node of the tree to edit it.'));
      return;
    }
    const ivr = c.ivrs.find((i) => i.id === node.ivrId);
    const schedule = c.schedules.find((s) => s.id === node.scheduleId);
    const parentKey = node.key.slice(0, node.key.lastIndexOf('/'));
    let form: HTMLElement;
    if (node.kind === 'ivr' && ivr) form = ivrForm(ctx, ivr, node.key);
    else if (node.kind === 'option' && ivr) form = optionForm(ctx, ivr, ivr.menuOptions.find((o) => o.digit === node.digit) ?? null, parentKey);
    else if (node.kind === 'fallback' && ivr && node.field) form = fallbackForm(ctx, ivr, node.field);
    else if ((node.kind === 'schedule' || node.kind === 'branch') && schedule) form = scheduleForm(ctx, schedule);
    else if (node.kind === 'loop') {
      form = h('div', {}, h('h2', {}, node.title), h('p', {}, 'The caller goes back to a menu above; it is drawn once, where it first appears.'),
        button('Go to that menu', () => select(firstIvrNode(node.ivrId)?.key ?? null)));
    } else form = h('p', {}, 'This node no longer exists.');
    fill(inspector, form);
  };

  const firstIvrNode = (ivrId: string | undefined): TreeNode | null => {
    let found: TreeNode | null = null;
    if (tree) walk(tree, (n) => { if (!found && n.kind === 'ivr' && n.ivrId === ivrId) found = n; });
    return found;
  };

  const select = (key: string | null) => {
    selectedKey = key;
    drawTree();
    showInspector();
    if (key) focusNode(treePane, key);
  };

  const drawTree = () => {
    if (!catalog) return;
    tree = buildTree(catalog, rootId);
    if (!tree) {
      fill(treePane, h('p', { class: 'error' }, 'This menu does not exist (any more).'), h('a', { href: '#/ivrs' }, 'All menus'));
      return;
    }
    fill(treePane, renderTree({
      root: tree, selectedKey, collapsed, problems: report.problems, warnings: report.warnings, onPath,
      onSelect: (n) => { selectedKey = n.key; showInspector(); },
    }));
    renderReport(reportBox, report, tree, (key) => select(key));
  };

  const check = async () => {
    report = await validate(api);
    drawTree();
  };

  const reload = async (redrawInspector: boolean) => {
    catalog = await loadCatalog(api, session.can);
    report = await validate(api).catch(() => report);
    const root = catalog.ivrs.find((i) => i.id === rootId);
    title.textContent = root ? `Menu builder: ${root.name}` : 'Menu builder';
    const picker = selectInput('root', catalog.ivrs.map((i) => [i.id, `${i.name} (${i.extension})`]), rootId, { id: 'root-ivr' });
    picker.addEventListener('change', () => { location.hash = `#/builder/${picker.value}`; });
    fill(rootPicker, h('label', { for: 'root-ivr' }, 'Menu'), picker);
    selectedKey ??= tree?.key ?? `ivr:${rootId}`;
    drawTree();
    if (redrawInspector) showInspector();
  };

  const element = h('section', { class: 'builder', 'aria-labelledby': 'builder-title' },
    h('header', { class: 'page-head' }, Object.assign(title, { id: 'builder-title' }), rootPicker,
      h('div', { class: 'toolbar' },
        button('Check', () => void check().then(() => notify(report.ok ? 'No problems' : `${report.problems.length} problem(s)`, report.ok ? 'ok' : 'error'), (e: unknown) => notify(messageOf(e), 'error'))),
        ctx.canEdit ? button('Publish', () => void publish(api, rootId, publishBox).then(() => check()), { class: 'primary' }) : null)),
    h('div', { class: 'builder-grid' },
      h('section', { class: 'pane', 'aria-label': 'Menu tree' }, treePane),
      h('section', { class: 'pane inspector', 'aria-label': 'Selected node' }, inspector)),
    reportBox,
    publishBox,
    simulatePanel(api, () => rootId, ivrName, (ids) => { onPath = ids; drawTree(); }));

  reload(true).catch((err: unknown) => notify(messageOf(err), 'error'));
  return { element, title: 'Menu builder' };
}
