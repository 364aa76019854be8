/**
 * Page side of the runner: runs on the page's main thread. It may touch the
 * DOM (the sandbox's hidden iframe), `window` messages and real timers (the
 * wall-clock budget), and it transpiles the user's code; it never runs user
 * code and never imports `worker/`, which is only reached as the runtime's
 * source text sent into the sandbox.
 *
 * The page imports `sandbox.js` itself rather than this index: the transpiler
 * (sucrase) must stay a chunk of its own, loaded after the page has shown.
 */
export * from './sandbox.js';
export * from './sandbox-frame.js';
export * from './transpile.js';
export * from './module-specifiers.js';
