import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  testTimeout: 20_000,
  hookTimeout: 20_000,
  env: { METADATA_SERVER_DETECTION: 'none', LOG_LEVEL: 'silent' },
};

/** Test files that also run on PostgreSQL (docs/postgres.md): every suite that touches the database. */
const PG_SUITES = [
  'test/api/**/*.test.ts',
  'test/bot/**/*.test.ts',
  'test/calls/**/*.test.ts',
  'test/campaigns/**/*.test.ts',
  'test/compat/**/*.test.ts',
  'test/controller/**/*.test.ts',
  'test/metrics/**/*.test.ts',
  'test/multiswitch/**/*.test.ts',
  'test/originate/**/*.test.ts',
  // test/publish/switch-control.test.ts has no database.
  'test/publish/{compile,did-mapping,publish,publish-async,reader,schedules}.test.ts',
  'test/reconcile/**/*.test.ts',
  'test/simulate/{simulator,command,agreement}.test.ts',
  'test/smoke/start-postgres.test.ts',
  'test/tts/greeting-engine.test.ts',
  'test/voicemail/**/*.test.ts',
  'test/webhooks/delivery.test.ts',
  'test/webhooks/outbox-claim.test.ts',
];
/** Files that need the PostgreSQL test cluster (inject('pgUrl')): in PG_SUITES, left out of `unit`. */
const PG_ONLY = ['test/smoke/start-postgres.test.ts'];
/** The pg project runs where PostgreSQL can: a server given, Debian's binaries installed, or CI (which must have them). */
const pgAvailable = Boolean(process.env.TEST_DATABASE_URL) || process.env.CI === 'true' ||
  (existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)));

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    projects: [
      // Everything that runs without FreeSWITCH, files in parallel.
      // Three files at a time even on 2 CPUs (vitest's default there is one): most files wait on sockets,
      // timers and PostgreSQL rather than compute; measured 277 s instead of 524 s for unit + pg together.
      { test: { ...shared, maxWorkers: 3, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/switch/**', 'test/console/**', ...PG_ONLY], sequence: { groupOrder: 0 } } },
      // The same suites again on PostgreSQL (docs/postgres.md): a throwaway
      // cluster (or TEST_DATABASE_URL) and a fresh database per test, copied from a migrated template.
      ...(pgAvailable
        ? [{ test: { ...shared, maxWorkers: 3, name: 'pg', include: PG_SUITES, globalSetup: ['test/helpers/pg-global-setup.ts'], sequence: { groupOrder: 0 } } }]
        : []),
      // The web console in headless Chromium (playwright-core), against the API in-process; after the unit
      // tests (their CPU would slow the browser), before the real switch.
      {
        test: {
          ...shared, name: 'browser', include: ['test/console/**/*.test.ts'], globalSetup: ['test/console/global-setup.ts'],
          testTimeout: 45_000, hookTimeout: 30_000, sequence: { groupOrder: 1 },
        },
      },
      // The real switch, after the others: its SIPp calls and FreeSWITCH load must not skew the timing tests
      // (audio pacing), and the others must not slow its calls.
      { test: { ...shared, name: 'switch', include: ['test/switch/**/*.test.ts'], sequence: { groupOrder: 2 } } },
    ],
  },
});
