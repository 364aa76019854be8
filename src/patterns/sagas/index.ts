/** Sagas: the saga log, the orchestrator, choreography participants, and the reference order sagas. */
export * from './saga-trace-events.js';
export * from './saga-effects.js';
export * from './saga-log.js';
export * from './saga-process.js';
export * from './saga-env.js';
export * from './saga-definition.js';
export * from './saga-tracer.js';
export * from './saga-errors.js';
export * from './orchestrator.js';
export * from './choreography.js';
export * from './saga-order-types.js';
export * from './saga-order-choreography.js';
export * from './saga-order-orchestration.js';
export * from './saga-scenario.js';
