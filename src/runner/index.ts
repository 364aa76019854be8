/**
 * The runner: transpiles the user's TypeScript, runs it in a sandbox in
 * virtual time under a wall-clock and an event budget, and reports the trace.
 * Its code runs in four places, one folder each:
 *
 * - `page/`: the page's main thread: the sandbox host (`createSandbox`:
 *   iframe, budgets, killing) and the client of the transpiler's Worker;
 * - `transpiler/`: inside the transpiler's own Worker (and in Node): the
 *   user's TypeScript to JavaScript;
 * - `worker/`: inside the sandbox's Worker (and in Node, for tests and the
 *   command line): `executeRun` and what it installs around user code;
 * - `build/` (Node only, at build time): the Vite plugin that bundles the
 *   Worker's runtime.
 *
 * What they share sits here: the messages and reports (`protocol.ts`), the
 * run budgets (`limits.ts`), the empty reports, the source-map decoder and a
 * small JavaScript tokenizer (`js-tokens.ts`). This index exports only that
 * shared contract; import a side from its own index.
 */
export * from './protocol.js';
export * from './limits.js';
export * from './reports.js';
export * from './source-map.js';
export * from './js-tokens.js';
