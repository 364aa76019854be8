/** Invariant checkers over a run's trace: message handling, the order saga and the saga log. */
export * from './invariant-types.js';
export * from './invariant-order-saga.js';
export * from './invariant-messages.js';
export * from './invariant-saga-log.js';
export * from './invariant-checks.js';
