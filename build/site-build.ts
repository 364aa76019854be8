/**
 * How the site is built for hosting, in one place: the Pages workflow (.github/workflows/pages.yml)
 * runs this command with the base path in this variable, and the end-to-end tests build the site
 * they test the same way (test/e2e/global-setup.ts), so that what is tested is what is published.
 * test/site/pages-workflow.test.ts checks that the workflow still says so.
 */
import { execFileSync } from 'node:child_process';

/** The build command (package.json's `build` script: `vite build`). */
export const SITE_BUILD_COMMAND = 'npm run build';

/** The variable vite.config.ts reads the base path from (see site-base.ts). */
export const SITE_BASE_ENV = 'SPP_BASE';

/**
 * Builds dist/ under `base` (e.g. `/my-repo/`) with {@link SITE_BUILD_COMMAND}, as the workflow
 * does: in a process of its own, without the caller's NODE_ENV (a test runner sets `test`; the
 * build sets `production` itself). Throws with the build's output when it fails.
 */
export function buildSite(root: string, base: string): void {
  const env: NodeJS.ProcessEnv = { ...process.env, [SITE_BASE_ENV]: base };
  delete env['NODE_ENV'];
  const [command, ...args] = SITE_BUILD_COMMAND.split(' ');
  try {
    execFileSync(command!, args, { cwd: root, env, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    const { stdout = '', stderr = '' } = e as { stdout?: string; stderr?: string };
    throw new Error(`${SITE_BUILD_COMMAND} failed (${SITE_BASE_ENV}=${base}):\n${stdout}\n${stderr}`);
  }
}
