import { defineConfig } from 'vitest/config';
import unit from './vitest.config.js';

/**
 * Real mode: programs run by the `spp` command on real HTTP (loopback) and a
 * throwaway RabbitMQ node that the global setup starts for the suite.
 */
export default defineConfig({
  resolve: unit.resolve,
  test: {
    include: ['test/real/**/*.test.ts'],
    globalSetup: ['test/real/global-setup.ts'],
    // Each test file starts `spp` processes of its own; two files at a time keep the machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    // Tests marked concurrent (the examples) run three at a time.
    maxConcurrency: 3,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
