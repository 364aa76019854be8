import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { executeRun, type ExecuteRunOptions } from '../../src/runner/worker/execute-run.js';
import { nodeProcessWatcher } from '../../src/runner/worker/host.js';
import type { ExecutedRun } from '../../src/runner/protocol.js';
import { transpileFailure } from '../../src/runner/reports.js';
import { createPositionMapper } from '../../src/runner/source-map.js';
import { transpile } from '../../src/runner/transpiler/transpile.js';

const PLAYGROUND = fileURLToPath(new URL('../../src/playground/index.ts', import.meta.url));
// One shared folder; each module file is removed right after its run.
const dir = join(tmpdir(), 'spp-runner');
mkdirSync(dir, { recursive: true });
const prefix = `${process.pid}-${threadId}-${Date.now().toString(36)}`;
let count = 0;

/**
 * Runs user TypeScript in Node the way the sandbox does in the browser:
 * transpile into a program module (see `toProgramFactory`) whose
 * `'playground'` import points at the playground module, import it, and
 * `executeRun` its top-level code.
 */
export async function runSource(code: string, options: ExecuteRunOptions = {}): Promise<ExecutedRun> {
  const out = transpile(code, { playgroundUrl: PLAYGROUND, program: true });
  if (!out.ok) return transpileFailure(out.error);
  const file = join(dir, `user-${prefix}-${++count}.mjs`);
  writeFileSync(file, out.code);
  try {
    return await executeRun(() => evaluateProgram(import(/* @vite-ignore */ file)), {
      watchUncaught: nodeProcessWatcher(process, { exclusive: true }),
      source: { url: file, code: out.code, toSource: createPositionMapper(out.mappings) },
      ...options,
    });
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Runs a program module's top-level code once, as the sandbox does: its
 * default export called as a plain function; resolves to `{ default }`.
 */
export function evaluateProgram(module: Promise<unknown>): Promise<unknown> {
  return module.then((m) => {
    const topLevel = (m as { default: () => Promise<unknown> }).default;
    return topLevel();
  });
}
