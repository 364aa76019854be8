import type { TestProject } from 'vitest/node';
import { build, preview } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Builds the site once and serves dist/ on 127.0.0.1 for the end-to-end tests. */
export default async function setup(project: TestProject) {
  if (!process.env['E2E_SKIP_BUILD']) await build({ logLevel: 'warn' });
  const server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 4391, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server did not report its address');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
  };
}
