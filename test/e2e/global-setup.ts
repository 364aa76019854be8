import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { build } from 'vite';
import { serveStatic } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Builds the site once and serves dist/ on 127.0.0.1 from a nested path, as a
 * plain static host would, for the end-to-end tests.
 */
export default async function setup(project: TestProject) {
  if (!process.env['E2E_SKIP_BUILD']) {
    // The test runner sets NODE_ENV=test; the site under test is the production build.
    const env = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ logLevel: 'warn', mode: 'production' });
    } finally {
      process.env['NODE_ENV'] = env;
    }
  }
  const { server, url } = await serveStatic(fileURLToPath(new URL('../../dist/', import.meta.url)), '/some/nested/path/');
  project.provide('baseUrl', url);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
  };
}
