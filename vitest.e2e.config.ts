import { defineConfig } from 'vitest/config';
import unit from './vitest.config.js';

/** End-to-end tests: the built site in headless Chromium, driven by playwright-core. */
export default defineConfig({
  // Same module resolution as the unit tests, so Node runs user code exactly as they do.
  resolve: unit.resolve,
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    pool: 'threads',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
