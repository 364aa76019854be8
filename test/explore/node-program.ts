import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { RunProgram } from '../../src/explore/judge-run.js';
import { transpile } from '../../src/runner/transpiler/transpile.js';
import { transpileFailure } from '../../src/runner/reports.js';
import { createPositionMapper } from '../../src/runner/source-map.js';
import { executeRun, type ExecuteRunOptions } from '../../src/runner/worker/execute-run.js';
import { nodeProcessWatcher } from '../../src/runner/worker/host.js';
import { evaluateProgram } from '../runner/node-run.js';

const PLAYGROUND = fileURLToPath(new URL('../../src/playground/index.ts', import.meta.url));
const dir = join(tmpdir(), 'spp-explore');
let programs = 0;

/** A program an explore can run in Node, and how to clean up after it. */
export interface NodeProgram {
  run: RunProgram;
  /** Removes the transpiled file. */
  dispose(): void;
}

/**
 * Runs `code` in Node the way `runSource` does (test/runner/node-run.ts), but
 * transpiled, written and imported once: each run calls the program's
 * top-level code anew (fresh top-level state), as the sandbox's pool does.
 * Runs must not overlap: one run owns the thread's globals at a time.
 */
export function nodeProgram(code: string, options: Omit<ExecuteRunOptions, 'seed' | 'faults' | 'signal' | 'source'> = {}): NodeProgram {
  const out = transpile(code, { playgroundUrl: PLAYGROUND, program: true });
  if (!out.ok) return { run: async () => transpileFailure(out.error), dispose() {} };
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `program-${process.pid}-${threadId}-${++programs}.mjs`);
  writeFileSync(file, out.code);
  const toSource = createPositionMapper(out.mappings);
  const url = pathToFileURL(file).href;
  let module: Promise<unknown> | undefined;
  return {
    run: (seed, faults, signal) => {
      return executeRun(() => evaluateProgram((module ??= import(/* @vite-ignore */ url))), {
        watchUncaught: nodeProcessWatcher(process, { exclusive: true }),
        ...options,
        source: { url, toSource },
        seed,
        faults,
        ...(signal ? { signal } : {}),
      });
    },
    dispose: () => rmSync(file, { force: true }),
  };
}
