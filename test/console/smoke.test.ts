import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, startConsole, type ConsoleUnderTest } from './harness.ts';

describe.skipIf(!CHROMIUM)('console smoke', () => {
  let c: ConsoleUnderTest;
  beforeAll(async () => { c = await startConsole(); });
  afterAll(async () => { await c?.close(); });

  it('logs in', async () => {
    await c.login();
    await c.shot('numbers');
    expect(await c.page.title()).toContain('Numbers');
  });
});
