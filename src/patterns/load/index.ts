/** Load generation: open-loop calls at a rate, recorded in the trace, and their latency summary. */
export * from './trace-events.js';
export * from './latency-summary.js';
export * from './load-generator.js';
