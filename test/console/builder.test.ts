/**
 * The main path of the console: sign in, build a menu from nothing through the page (greeting, options with
 * destinations, a nested menu), hear the greeting, see a problem marked on its node, fix it, publish, and find
 * in the published snapshot what the page built. Then the test-call panel (POST /simulate, the real simulator on the draft).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM, shotOnFailure, startConsole, type ConsoleUnderTest } from './harness.ts';

const inspector = (page: Page) => page.getByRole('region', { name: 'Selected node' });
const node = (page: Page, name: RegExp) => page.getByRole('treeitem', { name });
/** The node's own card (a tree item also holds its children). */
const card = (page: Page, name: RegExp) => node(page, name).first().locator(':scope > .node');

/** Adds an option to the IVR shown in the inspector: key, destination type and the value's option label. */
async function addOption(page: Page, o: { key: string; type: string; valueLabel?: string; value?: string; description?: string }) {
  const panel = inspector(page);
  await panel.getByRole('button', { name: 'Add option' }).click();
  await panel.getByLabel('Key').selectOption(o.key);
  await panel.getByLabel('Goes to').selectOption({ label: o.type });
  if (o.valueLabel && o.value) await panel.getByLabel(o.valueLabel, { exact: true }).selectOption(o.value);
  if (o.description) await panel.getByLabel('Description').fill(o.description);
  await panel.getByRole('button', { name: 'Add option' }).click();
  await node(page, new RegExp(`^Press ${o.key.replace('*', '\\*')}`)).first().waitFor();
}

describe.skipIf(!CHROMIUM)('the menu builder', () => {
  let c: ConsoleUnderTest;
  let didId: string;
  beforeAll(async () => {
    c = await startConsole();
    expect((await c.request('POST', '/api/v1/extensions', { number: '1001', name: 'Reception' })).status).toBe(201);
    expect((await c.request('POST', '/api/v1/queues', { number: '5001', name: 'Sales' })).status).toBe(201);
    const did = await c.request<{ id: string }>('POST', '/api/v1/dids', { number: '+918065978001', assign: true });
    expect(did.status).toBe(201);
    didId = did.body.id;
  });
  afterAll(async () => { await c?.close(); });

  it('builds a menu from scratch, marks a problem on its node, and publishes what it built', async () => {
    shotOnFailure(() => c, 'builder');
    const { page } = c;
    await c.login();

    // A new menu, from the Menus screen.
    await page.getByRole('link', { name: 'Menus' }).click();
    await page.getByLabel('Name').fill('Main menu');
    await page.getByLabel('Extension').fill('7001');
    await page.getByRole('button', { name: 'Create menu' }).click();
    await page.getByRole('heading', { name: 'Menu builder: Main menu' }).waitFor();
    const mainId = decodeURIComponent(page.url().split('#/builder/')[1]!);

    // Type a greeting and hear it: the audio element loads the WAV from the API.
    await card(page, /^Main menu \(7001\)/).click();
    const panel = inspector(page);
    await panel.getByLabel('What callers hear first').fill('Welcome to Acme. For reception press 1, for sales press 2, for more press 3.');
    const audio = page.waitForResponse((r) => r.url().includes(`/ivrs/${mainId}/greeting-audio`));
    await panel.getByRole('button', { name: 'Generate and play' }).click();
    const wav = await audio;
    expect(wav.status()).toBe(200);
    expect(wav.headers()['content-type']).toBe('audio/wav');
    await expect.poll(() => panel.locator('audio').evaluate((a) => (a as unknown as { readyState: number }).readyState)).toBeGreaterThan(0);
    await c.shot('builder-greeting');

    // Options: an extension, a queue, and a nested menu made on the spot.
    await addOption(page, { key: '1', type: 'Extension', valueLabel: 'Extension', value: '1001', description: 'Reception' });
    await card(page, /^Main menu \(7001\)/).click();
    await addOption(page, { key: '2', type: 'Queue', valueLabel: 'Queue', value: '5001', description: 'Sales' });
    await card(page, /^Main menu \(7001\)/).click();
    await panel.getByRole('button', { name: 'Add option' }).click();
    await panel.getByLabel('Key').selectOption('3');
    await panel.getByLabel('Goes to').selectOption({ label: 'Menu (IVR)' });
    await panel.getByLabel('Menu (IVR)', { exact: true }).selectOption({ label: 'New menu…' });
    await panel.getByLabel('New menu name').fill('More options');
    await panel.getByLabel('Its extension (4 digits)').fill('7002');
    await panel.getByRole('button', { name: 'Create menu' }).click();
    await expect.poll(() => panel.getByLabel('Menu (IVR)', { exact: true }).evaluate((s) => (s as unknown as { selectedOptions: Array<{ text: string }> }).selectedOptions[0]?.text)).toBe('More options (7002)');
    await panel.getByRole('button', { name: 'Add option' }).click();

    // The nested menu has no options: the same check as publish marks its node.
    const nested = node(page, /^More options \(7002\)/);
    await nested.waitFor();
    await expect.poll(() => nested.getAttribute('aria-label')).toMatch(/1 problem/);
    await expect.poll(() => nested.locator(':scope > .node').getAttribute('class')).toContain('has-problem');
    expect(await nested.locator(':scope > .node .finding-problem').textContent()).toContain('has no menu options');
    await c.shot('builder-problem');

    // Fix it: an option in the nested menu; the mark goes away.
    await nested.locator(':scope > .node').click();
    await addOption(page, { key: '9', type: 'Hang up' });
    await expect.poll(() => nested.locator(':scope > .node').getAttribute('class')).not.toContain('has-problem');

    // Business hours: key 4 goes to a new schedule; open on Mondays to the queue, closed: hang up.
    await card(page, /^Main menu \(7001\)/).click();
    await panel.getByRole('button', { name: 'Add option' }).click();
    await panel.getByLabel('Key').selectOption('4');
    await panel.getByLabel('Goes to').selectOption({ label: 'Business hours' });
    await panel.getByLabel('Business hours', { exact: true }).selectOption({ label: 'New schedule…' });
    await panel.getByLabel('New schedule name').fill('Office hours');
    await panel.getByLabel('Timezone (IANA)').fill('Asia/Kolkata');
    await panel.getByRole('button', { name: 'Create schedule' }).click();
    await expect.poll(() => panel.getByLabel('Business hours', { exact: true }).evaluate((s) => (s as unknown as { selectedOptions: Array<{ text: string }> }).selectedOptions[0]?.text)).toBe('Office hours');
    await panel.getByRole('button', { name: 'Add option' }).click();
    await card(page, /^Business hours: Office hours/).click();
    await panel.getByLabel('Monday').fill('09:00-13:00, 14:00-18:00');
    const whenOpen = panel.getByRole('group', { name: 'When open' });
    await whenOpen.getByLabel('Goes to').selectOption({ label: 'Queue' });
    await whenOpen.getByLabel('Queue', { exact: true }).selectOption('5001');
    await panel.getByRole('button', { name: 'Save business hours' }).click();
    await node(page, /^When open, Queue 5001 — Sales/).waitFor();
    await node(page, /^Business hours: Office hours, Mon 09:00–13:00, 14:00–18:00 \(Asia\/Kolkata\)/).waitFor();

    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText('No problems: ready to publish').waitFor();

    // Route the number to the menu, then publish.
    await page.getByRole('link', { name: 'Numbers' }).click();
    await page.getByRole('button', { name: 'Edit routing of +918065978001' }).click();
    await page.getByLabel('Goes to').selectOption({ label: 'Menu (IVR)' });
    await page.getByLabel('Menu (IVR)', { exact: true }).selectOption(mainId);
    await page.getByRole('button', { name: 'Save routing' }).click();
    await page.getByRole('cell', { name: 'Menu (IVR) Main menu' }).waitFor();
    await page.getByRole('link', { name: 'Open menu' }).click();
    await page.getByRole('heading', { name: 'Menu builder: Main menu' }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    // (Routing the number was live at once: that wrote a version already.)
    const live = page.getByText(/^Version \d+ is live\.$/);
    await live.waitFor();
    const version = Number(/\d+/.exec((await live.textContent())!)![0]);
    await c.shot('builder-published');

    // The published snapshot has what the page built.
    const snap = await c.request<{ ivrs: Record<string, any>; dids: Record<string, any> }>('GET', `/api/v1/config/versions/${version}`);
    const main = snap.body.ivrs[mainId];
    const moreId = Object.values(snap.body.ivrs).find((i: any) => i.name === 'More options')!.id as string;
    expect(main).toMatchObject({ name: 'Main menu', extension: '7001', greetingText: expect.stringContaining('Welcome to Acme') });
    expect(main.greetingFile).toMatch(/greeting_ivr_.*\.wav$/);
    expect(main.options).toMatchObject({
      1: { type: 'extension', value: '1001', description: 'Reception' },
      2: { type: 'queue', value: '5001', description: 'Sales' },
      3: { type: 'ivr', value: moreId },
    });
    expect(snap.body.ivrs[moreId].options).toMatchObject({ 9: { type: 'hangup', value: null } });
    const officeHours = Object.values((snap.body as unknown as { schedules: Record<string, any> }).schedules)[0];
    expect(main.options[4]).toMatchObject({ type: 'time_condition', value: officeHours.id });
    expect(officeHours).toMatchObject({
      name: 'Office hours', timezone: 'Asia/Kolkata', open: { type: 'queue', value: '5001' }, closed: { type: 'hangup', value: null },
    });
    expect(officeHours.weekly.mon).toEqual([{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }]);
    expect(snap.body.dids['+918065978001']).toMatchObject({ didId, routingType: 'ivr', destination: mainId });

    // What changed, on the versions screen.
    await page.getByRole('link', { name: `See what changed in version ${version}` }).click();
    await page.getByText('Added menu Main menu').waitFor();
    await page.getByText('Added menu More options').waitFor();
    await c.shot('versions');
  });

  it('runs a test call through POST /simulate and marks the menus it passed', async () => {
    shotOnFailure(() => c, 'test-call');
    const { page } = c;
    const ivrs = (await c.request<Array<{ id: string; name: string }>>('GET', '/api/v1/ivrs')).body;
    const main = ivrs.find((i) => i.name === 'Main menu')!;
    // The real simulator, on the draft: the greeting, key 3 → More options, key 9 → hang up; key 4 is left over.
    let sent: unknown;
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/simulate')) sent = r.postDataJSON();
    });
    await page.goto(`${c.base}/console/#/builder/${main.id}`);
    await page.getByLabel('Keys to press').fill('3 9 4');
    await page.getByRole('button', { name: 'Run test call' }).click();
    await page.getByText('Hears: Welcome to Acme').waitFor();
    expect(sent).toEqual({ ivrId: main.id, source: 'draft', keys: ['3', '9', '4'] });
    await page.getByText('Keys not used: 4').waitFor();
    await page.getByText('Menu: More options').waitFor();
    await expect.poll(() => node(page, /^More options \(7002\)/).locator(':scope > .node').getAttribute('class')).toContain('on-path');
    await c.shot('builder-test-call');
  });
});
