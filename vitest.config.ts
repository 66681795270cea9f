import { defineConfig } from 'vitest/config';

const shared = {
  environment: 'node' as const,
  testTimeout: 20_000,
  hookTimeout: 20_000,
  env: { METADATA_SERVER_DETECTION: 'none', LOG_LEVEL: 'silent' },
};

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    projects: [
      // Everything that runs without FreeSWITCH, files in parallel.
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/switch/**'], sequence: { groupOrder: 0 } } },
      // The real switch, after the others: its SIPp calls and FreeSWITCH load must not skew the timing tests
      // (audio pacing), and the others must not slow its calls.
      { test: { ...shared, name: 'switch', include: ['test/switch/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
