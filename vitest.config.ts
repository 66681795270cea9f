import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    env: { METADATA_SERVER_DETECTION: 'none', LOG_LEVEL: 'silent' },
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
  },
});
