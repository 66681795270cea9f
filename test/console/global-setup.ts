/**
 * The browser project's one-time setup: find Chromium (Debian's `chromium`, or CHROMIUM_PATH) and build the
 * console once into a temp folder that every test's server serves (CONSOLE_DIR). Without Chromium the
 * browser tests skip, saying so in one line; with CI=true a missing Chromium fails the run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    consoleDir: string;
    chromium: string | null;
  }
}

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function findChromium(): string | null {
  const explicit = process.env.CHROMIUM_PATH;
  if (explicit) return explicit;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of NAMES) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return null;
}

export default function setup(project: TestProject): () => void {
  const chromium = findChromium();
  if (!chromium) {
    const line = 'browser tests (test/console): Chromium not found; install it with `apt-get install -y chromium` (or set CHROMIUM_PATH)';
    if (process.env.CI === 'true') throw new Error(`${line}. CI=true: a missing browser fails the run.`);
    process.stdout.write(`${line} — skipped\n`);
    project.provide('consoleDir', '');
    project.provide('chromium', null);
    return () => {};
  }
  const repo = resolve(import.meta.dirname, '../..');
  const consoleDir = mkdtempSync(join(tmpdir(), 'sb-console-'));
  execFileSync(process.execPath, ['scripts/build-console.mjs', consoleDir], { cwd: repo, stdio: 'inherit' });
  project.provide('consoleDir', consoleDir);
  project.provide('chromium', chromium);
  return () => rmSync(consoleDir, { recursive: true, force: true });
}
