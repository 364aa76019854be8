/**
 * Page side of the runner: runs on the page's main thread. It may touch the
 * DOM (the sandbox's hidden iframe), `window` messages and real timers (the
 * wall-clock budget); it hands the user's code to the transpiler's Worker
 * (`../transpiler/`) and the sandbox, and never parses or runs it itself. It
 * never imports `worker/`, which is only reached as the runtime's source text
 * sent into the sandbox.
 */
export * from './sandbox.js';
export * from './sandbox-frame.js';
export * from './transpiler-client.js';
export * from './run-pool.js';
export * from './pool-host.js';
export * from './pooled-worker.js';
