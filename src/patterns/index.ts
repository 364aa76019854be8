export * from './options.js';
export * from './resilience/index.js';
export * from './idempotency/index.js';
export * from './tokens/index.js';
export * from './sagas/index.js';
export * from './invariants/index.js';
export * from './load/index.js';
