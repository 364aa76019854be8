import type { TranspileResult } from '../transpiler/transpile.js';
import type { TranspileRequest, TranspileResponse } from '../transpiler/transpile-worker.js';

/** Transpiles off the page's main thread; see {@link createWorkerTranspiler}. */
export interface Transpiler {
  /** The user's TypeScript as JavaScript for the sandbox, or the syntax or import error in it. Rejects only if the transpiler itself cannot work. */
  transpile(source: string, options: { playgroundUrl: string; program?: boolean }): Promise<TranspileResult>;
  /** Starts the transpiler now (it warms itself up), so the first run does not wait for it. */
  warmUp(): void;
  /** Ends its Worker; pending calls reject. */
  dispose(): void;
}

/** Options of {@link createWorkerTranspiler}. */
export interface WorkerTranspilerOptions {
  /** Makes the transpiler's Worker; default: a module Worker of `transpiler/transpile-worker.ts`. */
  createWorker?: () => Worker;
}

interface Pending {
  resolve: (result: TranspileResult) => void;
  reject: (error: Error) => void;
}

/**
 * A {@link Transpiler} backed by a Worker of its own (started on first use,
 * kept for later calls), so that a long program never freezes the page while
 * it is parsed. A Worker that fails is dropped: pending calls reject, and the
 * next call starts a new one.
 *
 * @example
 * const transpiler = createWorkerTranspiler();
 * const out = await transpiler.transpile(code, { playgroundUrl });
 * if (!out.ok) show(out.error);
 */
export function createWorkerTranspiler(options: WorkerTranspilerOptions = {}): Transpiler {
  const createWorker =
    options.createWorker ?? (() => new Worker(new URL('../transpiler/transpile-worker.ts', import.meta.url), { type: 'module', name: 'transpiler' }));
  const pending = new Map<number, Pending>();
  let worker: Worker | undefined;
  let counter = 0;

  function fail(message: string): void {
    worker?.terminate();
    worker = undefined;
    const error = new Error(message);
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  }

  function current(): Worker {
    if (worker) return worker;
    const w = createWorker();
    w.addEventListener('message', (e: MessageEvent<TranspileResponse>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if ('result' in e.data) p.resolve(e.data.result);
      else p.reject(new Error(e.data.failure));
    });
    w.addEventListener('error', (e) => {
      e.preventDefault();
      if (worker === w) fail(e.message || 'the transpiler did not start');
    });
    worker = w;
    return w;
  }

  return {
    transpile(source, { playgroundUrl, program }) {
      return new Promise<TranspileResult>((resolve, reject) => {
        const id = ++counter;
        pending.set(id, { resolve, reject });
        const request: TranspileRequest = { id, source, playgroundUrl, ...(program ? { program } : {}) };
        current().postMessage(request);
      });
    },
    warmUp() {
      current();
    },
    dispose() {
      fail('The transpiler was disposed.');
    },
  };
}
