#!/usr/bin/env node
// Launcher of the `spp` command: loads tsx's TypeScript support, then the command itself
// (src/real/cli.ts), in this same process so Ctrl+C reaches it directly. Programs import the
// repository's playground module.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/real/cli.ts');
await runCli(new URL('../src/playground/index.ts', import.meta.url).href);
