/**
 * The runner: transpiles the user's TypeScript, runs it in a sandbox in
 * virtual time under a wall-clock and an event budget, and reports the trace.
 *
 * Page side: {@link createSandbox}. Shared by the sandbox's Worker and by Node:
 * {@link executeRun}. Build side (Node only): `runtime-bundle.mjs`.
 */
export * from './protocol.js';
export * from './reports.js';
export * from './transpile.js';
export * from './source-map.js';
export * from './module-specifiers.js';
export * from './stack.js';
export * from './console-capture.js';
export * from './trace-limits.js';
export * from './host.js';
export * from './execute-run.js';
export * from './sandbox.js';
