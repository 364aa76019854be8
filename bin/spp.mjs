#!/usr/bin/env node
// Launcher of the `spp` command: loads tsx's TypeScript support, then the command itself
// (src/real/cli.ts), in this same process so Ctrl+C reaches it directly.
import { register } from 'tsx/esm/api';

register();
await import('../src/real/cli.ts');
