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
    // Two files at a time, each with its Chromium: one file alone leaves much of a 2-core machine idle
    // while its page waits (for runs, for timers). Measured on 2 cores: 6.4 min against 7.5 one file at
    // a time. The tests that judge timing read CPU time (long tasks) or wide margins, so sharing the
    // cores does not fail them; if one ever does, this is the switch to turn off.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
