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
    // The files share their modules (playwright-core, axe-core, the examples) instead of loading
    // them again each: about 2 s of CPU per file. Each file still launches its own Chromium.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One file at a time: two Chromiums on a 2-core machine finish sooner (measured: two thirds of
    // the time), but the tests that judge timing (long tasks, a stopped loop's ticks) then share
    // their cores, and a flaky suite costs more than the minute saved.
    fileParallelism: false,
  },
});
