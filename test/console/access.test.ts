/**
 * The console follows the API's permissions: a read-only key sees everything and no control that changes
 * anything, and when the page asks anyway the API refuses it (403 naming the permission).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedValid } from '../publish/seed-async.ts';
import { CHROMIUM, shotOnFailure, startConsole, type ConsoleUnderTest } from './harness.ts';

describe.skipIf(!CHROMIUM)('a read-only API key in the console', () => {
  let c: ConsoleUnderTest;
  let key: string;
  let ivrId: string;
  beforeAll(async () => {
    c = await startConsole();
    ivrId = (await seedValid(c.api.deps.adb, c.org.orgId)).ivr.id;
    key = (await c.request<{ key: string }>('POST', '/api/v1/api-keys', { name: 'viewer', permissions: ['*.read'] })).body.key;
    await c.request('POST', '/api/v1/ai-agents', { name: 'Support bot', ws_url: 'ws://127.0.0.1:9/ws' });
  });
  afterAll(async () => { await c?.close(); });

  it('shows no edit controls on any screen, and the API refuses an edit sent from the page', async () => {
    shotOnFailure(() => c, 'read-only');
    const { page } = c;
    await c.loginWithKey(key);
    await page.getByText('API key (read-only)').waitFor();

    const editButtons = /Save|Add option|Publish|Generate|Create|Edit routing|Remove|Test connection|New AI agent|Save note/;
    const screens: Array<[string, string]> = [
      ['#/numbers', 'Phone numbers'], ['#/ivrs', 'Menus (IVRs)'], [`#/builder/${ivrId}`, 'Menu builder: Main'], ['#/agents', 'AI agents'], ['#/calls', 'Call logs'],
    ];
    for (const [hash, heading] of screens) {
      await page.goto(`${c.base}/console/${hash}`);
      await page.getByRole('heading', { name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getByRole('button', { name: editButtons }).count(), hash).toBe(0);
    }

    // The builder: forms are there to read, disabled; the tree and the checks work.
    await page.goto(`${c.base}/console/#/builder/${ivrId}`);
    await page.getByRole('treeitem', { name: /^Press 1/ }).locator(':scope > .node').click();
    const panel = page.getByRole('region', { name: 'Selected node' });
    await panel.getByRole('heading', { name: 'Main: key 1' }).waitFor();
    expect(await panel.getByLabel('Goes to').isDisabled()).toBe(true);
    expect(await panel.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByText(/No problems: ready to publish/).waitFor();
    await c.shot('read-only-builder');

    // An edit the page does not offer, sent with the page's own credential: refused.
    const refused = await page.evaluate(async ([id, k]) => {
      const res = await fetch(`/api/v1/ivrs/${id}`, { method: 'PUT', headers: { 'x-api-key': k, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Hacked' }) });
      return { status: res.status, body: (await res.json()) as { details?: { missing_permission?: string } } };
    }, [ivrId, key] as const);
    expect(refused.status).toBe(403);
    expect(refused.body.details?.missing_permission).toBe('ivr.write');
    expect((await c.request<{ name: string }>('GET', `/api/v1/ivrs/${ivrId}`)).body.name).toBe('Main');
  });

  it('a refused key goes back to the sign-in screen', async () => {
    const { page } = c;
    await page.goto(`${c.base}/console/`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill('ak_not_a_real_key');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByText('The credential was refused: sign in again').waitFor();
  });
});
