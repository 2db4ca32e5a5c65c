import { defineConfig } from 'vitest/config';

// Integration tests start real processes (ffmpeg, mosquitto, chromium, the daemon);
// on a 2-core box, two test files at a time keeps them from starving each other.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
  },
});
