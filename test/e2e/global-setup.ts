import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildSite } from '../../build/site-build.js';
import { serveStatic } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The sub-path the site was built for and is served under (as on GitHub Pages). */
    sitePath: string;
  }
}

/** The sub-path the site is built for, like a GitHub Pages project site's `/<repository>/`. */
const SITE_PATH = '/some/nested/path/';

/**
 * Builds the site once, the way the Pages workflow builds it (the same
 * command, with a sub-path as its base), and serves dist/ on 127.0.0.1 under
 * that sub-path, as a plain static host would, for the end-to-end tests.
 */
export default async function setup(project: TestProject) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  if (!process.env['E2E_SKIP_BUILD']) buildSite(root, SITE_PATH);
  const { server, url } = await serveStatic(fileURLToPath(new URL('../../dist/', import.meta.url)), SITE_PATH);
  project.provide('baseUrl', url);
  project.provide('sitePath', SITE_PATH);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
  };
}
