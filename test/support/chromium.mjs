// Where the test suites find Chromium, and how they launch it. Plain JavaScript, so that
// web-test-runner.config.mjs (loaded by Node without a TypeScript loader) shares it with the
// TypeScript suites (types in chromium.d.mts).
import { existsSync } from 'node:fs';

/** Launch flags Chromium needs as root on these machines (no sandbox, no background networking). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Path of the Chromium to drive: $CHROMIUM_PATH, $CHROME_PATH, then Debian's
 * /usr/bin/chromium. Throws with the command that installs one.
 */
export function findChromium() {
  for (const candidate of [process.env['CHROMIUM_PATH'], process.env['CHROME_PATH'], '/usr/bin/chromium']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error('Chromium not found: install it with `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH to a Chromium or Chrome binary.');
}
