/**
 * Explore: run one program over many seeds with fault plans sampled from a
 * fault space, judge every run, keep counts and distributions in bounded
 * memory, and shrink each failure to its smallest case. Pure TypeScript with
 * no DOM: it runs in the page, in a Worker and in Node, and reaches the
 * program only through the `RunProgram` it is given (the sandbox in the
 * browser, the runner in Node).
 */
export * from './explore-request.js';
export * from './judge-run.js';
export * from './histogram.js';
export * from './run-metrics.js';
export * from './explore-tally.js';
export * from './explore.js';
export * from './fault-items.js';
export * from './smaller-items.js';
export * from './shrink-failure.js';
export * from './saga-checks.js';
