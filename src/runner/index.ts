/**
 * The runner: transpiles the user's TypeScript, runs it in a sandbox in
 * virtual time under a wall-clock and an event budget, and reports the trace.
 * Its code runs in three places, one folder each:
 *
 * - `page/`: the page's main thread: the sandbox host (`createSandbox`:
 *   iframe, budgets, killing) and the transpiler;
 * - `worker/`: inside the sandbox's Worker (and in Node, for tests and the
 *   command line): `executeRun` and what it installs around user code;
 * - `build/` (Node only, at build time): the Vite plugin that bundles the
 *   Worker's runtime.
 *
 * What both sides share sits here: the messages and reports (`protocol.ts`), the run
 * budgets (`limits.ts`), the empty reports and the source-map decoder. This
 * index exports only that shared contract; import a side from its own index.
 */
export * from './protocol.js';
export * from './limits.js';
export * from './reports.js';
export * from './source-map.js';
