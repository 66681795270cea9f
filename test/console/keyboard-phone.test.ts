/**
 * Without a mouse: sign in, reach the builder, walk the tree with the arrow keys, edit an option and save,
 * all from the keyboard. On a phone-sized screen (390×844): every screen fits the width (no sideways scroll).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { seedValid } from '../publish/seed-async.ts';
import { CHROMIUM, shotOnFailure, startConsole, type ConsoleUnderTest } from './harness.ts';

let c: ConsoleUnderTest | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

// Page-side code as strings: the tests' tsconfig has no DOM library (the console's own tsconfig has).
/** What has the focus: its role (or tag), and its accessible label or text. */
const focused = (page: Page) => page.evaluate<{ role: string; label: string }>(`(() => {
  const el = document.activeElement;
  return { role: el?.getAttribute('role') ?? el?.tagName.toLowerCase() ?? '', label: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '' };
})()`);

/** Presses Tab until `match` has the focus (at most 40 times). */
async function tabTo(page: Page, match: (f: { role: string; label: string }) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (match(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the element; focus is on ${JSON.stringify(await focused(page))}`);
}

describe.skipIf(!CHROMIUM)('the console from the keyboard', () => {
  it('signs in, opens the builder, walks the tree with the arrows and edits an option', async () => {
    c = await startConsole();
    shotOnFailure(() => c, 'keyboard');
    const { page } = c;
    const { ivr } = await seedValid(c.api.deps.adb, c.org.orgId);
    await page.goto(`${c.base}/console/`);
    await page.keyboard.type(c.org.email); // the email field has the focus
    await page.keyboard.press('Tab');
    await page.keyboard.type(c.org.password);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await tabTo(page, (f) => f.role === 'a' && f.label === 'Menus');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Menus (IVRs)' }).waitFor();
    await tabTo(page, (f) => f.label === 'Open Main in the builder');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Menu builder: Main' }).waitFor();

    await tabTo(page, (f) => f.role === 'treeitem');
    expect((await focused(page)).label).toMatch(/^Main \(7001\)/);
    const outline = await page.evaluate<string>("getComputedStyle(document.activeElement.querySelector('.node')).outlineWidth");
    expect(outline).toBe('3px'); // the focus shows
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).label).toMatch(/^Press 1/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Main: key 1' }).waitFor();
    await page.keyboard.press('ArrowLeft'); // to the parent
    expect((await focused(page)).label).toMatch(/^Main \(7001\)/);
    await page.keyboard.press('ArrowLeft'); // closes it
    expect(await page.getByRole('treeitem', { name: /^Main \(7001\)/ }).getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByRole('treeitem', { name: /^Press 1/ }).isVisible()).toBe(false);
    await page.keyboard.press('ArrowRight'); // opens it
    await page.keyboard.press('ArrowRight'); // first child
    expect((await focused(page)).label).toMatch(/^Press 1/);
    await page.keyboard.press('End');
    expect((await focused(page)).label).toMatch(/^On invalid key/);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect((await focused(page)).label).toMatch(/^Press 2/);
    await page.keyboard.press(' ');
    await page.getByRole('heading', { name: 'Main: key 2' }).waitFor();

    // Into the form: Tab leaves the tree (one stop) for the inspector.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ role: 'select' });
    await tabTo(page, (f) => f.role === 'input');
    await page.keyboard.type('Sales line');
    await page.keyboard.press('Enter');
    await page.getByText('Saved key 2 of Main').waitFor();
    expect((await focused(page)).label).toMatch(/^Press 2, Queue 5001 — Queue 5001 · Sales line/);
    await c.shot('keyboard-builder');
    const saved = await c.request<{ menuOptions: Array<{ digit: string; description: string | null }> }>('GET', `/api/v1/ivrs/${ivr.id}`);
    expect(saved.body.menuOptions.find((o) => o.digit === '2')?.description).toBe('Sales line');
  });
});

describe.skipIf(!CHROMIUM)('the console on a phone-sized screen', () => {
  it('renders every screen without sideways scrolling', async () => {
    c = await startConsole({ viewport: { width: 390, height: 844 } });
    shotOnFailure(() => c, 'phone');
    const { page } = c;
    const { ivr } = await seedValid(c.api.deps.adb, c.org.orgId);
    const started = new Date(Date.now() - 60_000).toISOString();
    c.api.database.sqlite
      .prepare(`insert into call_logs (id, call_uuid, org_id, direction, did, caller, started_at, answered_at, ended_at, duration_s, path, dtmf, disposition, created_at)
        values (?, 'u-1', ?, 'inbound', '+918065978001', '+919944421125', ?, ?, ?, 42, '[{"step":"menu"}]', '1', 'connected', ?)`)
      .run(randomUUID(), c.org.orgId, started, started, new Date().toISOString(), started);
    await c.login();

    const screens: Array<[name: string, hash: string, heading: string]> = [
      ['phone-numbers', '#/numbers', 'Phone numbers'], ['phone-menus', '#/ivrs', 'Menus (IVRs)'], ['phone-builder', `#/builder/${ivr.id}`, 'Menu builder: Main'],
      ['phone-versions', '#/versions', 'Published versions'], ['phone-live', '#/live', 'Live calls'], ['phone-calls', '#/calls', 'Call logs'], ['phone-agents', '#/agents', 'AI agents'],
    ];
    for (const [name, hash, heading] of screens) {
      await page.goto(`${c.base}/console/${hash}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      if (name === 'phone-builder') {
        await page.getByRole('treeitem', { name: /^Press 2/ }).locator(':scope > .node').click();
        await page.getByRole('heading', { name: 'Main: key 2' }).waitFor();
      }
      if (name === 'phone-numbers') await page.getByRole('cell', { name: '+918065978001' }).first().waitFor();
      const widths = await page.evaluate<{ scroll: number; view: number }>('({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })');
      expect(widths.scroll, `${hash} is ${widths.scroll}px wide`).toBeLessThanOrEqual(widths.view);
      await c.shot(name);
    }
  });
});
