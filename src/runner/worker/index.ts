/**
 * Sandbox side of the runner: runs inside the sandbox's Worker (bundled with
 * the `playground` module by `build/runtime-bundle.mjs`), and in Node for
 * tests and the command line. It takes over the global object it is given
 * (timers, `Date`, `Math.random`, `console`, uncaught errors) for the length of
 * one run and puts it back; it never touches the DOM or the page, and talks to
 * the outside only through the run's result.
 */
export * from './execute-run.js';
export * from './run-session.js';
export * from './run-report.js';
export * from './run-errors.js';
export * from './take-over-host.js';
export * from './worker-main.js';
export * from './host.js';
export * from './console-capture.js';
export * from './stack.js';
export * from './trace-limits.js';
