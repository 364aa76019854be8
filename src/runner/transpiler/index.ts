/**
 * The transpiler: the user's TypeScript to JavaScript for the sandbox
 * (sucrase, types stripped, lines kept, only `playground` imports allowed).
 * In the page it runs in a Worker of its own (`transpile-worker.ts`, started
 * by `page/transpiler-client.ts`); in Node it is called directly.
 */
export * from './transpile.js';
export * from './module-specifiers.js';
