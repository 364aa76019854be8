import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: { playground: fileURLToPath(new URL('./src/playground/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['test/web/**', 'test/e2e/**', 'test/real/**', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'threads',
  },
});
