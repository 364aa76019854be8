/**
 * Entry of the prebuilt real-mode runtime that a project downloaded from the
 * page ships as one file (`spp.mjs`, built by `build/real-runtime.mjs`): the
 * `spp` command and the `playground` module in one ES module. Started as
 * `node spp.mjs run src/main.ts`, it runs the command; the program's
 * `'playground'` import is pointed at this very file, which Node has already
 * loaded, so the program and the command share one playground module (and its
 * current host). Nothing here may wait at the top level: the program imports
 * this module while the command is still running.
 */
import { runCli } from './cli.js';

export * from '../playground/index.js';

void runCli(import.meta.url);
