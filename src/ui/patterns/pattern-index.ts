import type { PatternId } from './pattern-types.js';

/** What the page knows of a pattern before the reference's content has loaded. */
export interface PatternIndexEntry {
  id: PatternId;
  title: string;
  /** Examples (by id) whose lessons use the pattern: their lesson panels link to its entry. */
  examples: readonly string[];
}

/**
 * The reference's table of contents: small, so the lesson panel can link to
 * the entries of the open example without loading the reference itself. The
 * entries (content/) take their id, title and examples from here.
 */
export const PATTERN_INDEX: readonly PatternIndexEntry[] = [
  { id: 'sync-call-timeout', title: 'Synchronous call with a timeout', examples: ['sync-rest-timeout', 'sync-vs-async', 'timeouts', 'cascading-failure'] },
  { id: 'async-request-reply', title: '202 Accepted and events (asynchronous request-reply)', examples: ['sync-vs-async', 'capstone'] },
  { id: 'service-tokens', title: 'Service-to-service tokens', examples: ['service-tokens'] },
  { id: 'work-queue', title: 'Work queue (competing consumers, acks, dead letters)', examples: ['message-queue', 'durable-consumers'] },
  { id: 'publish-subscribe', title: 'Publish/subscribe', examples: ['event-driven', 'choreography-saga', 'capstone'] },
  { id: 'event-store', title: 'Event store', examples: ['event-driven'] },
  { id: 'outbox', title: 'Transactional outbox', examples: ['publisher-reliability'] },
  { id: 'choreography-saga', title: 'Choreography saga', examples: ['choreography-saga', 'capstone'] },
  { id: 'orchestration-saga', title: 'Orchestration saga', examples: ['orchestration-saga', 'capstone'] },
  { id: 'circuit-breaker', title: 'Circuit breaker', examples: ['circuit-breaker', 'retry-storm', 'capstone'] },
  { id: 'retry-backoff-jitter', title: 'Retry with backoff and jitter', examples: ['retry-backoff', 'retry-storm', 'message-queue', 'idempotency', 'capstone'] },
  { id: 'timeout', title: 'Timeout (and deadline)', examples: ['timeouts', 'deadlines', 'sync-rest-timeout', 'cascading-failure', 'capstone'] },
  { id: 'fallback', title: 'Fallback', examples: ['graceful-failure', 'circuit-breaker'] },
  { id: 'bulkhead', title: 'Bulkhead', examples: ['cascading-failure'] },
  { id: 'idempotency-key', title: 'Idempotency key', examples: ['idempotency', 'capstone'] },
  { id: 'deduplication', title: 'Deduplication (idempotent consumer)', examples: ['idempotency', 'durable-consumers', 'choreography-saga', 'publisher-reliability', 'capstone'] },
];

/** The index entry of `id` (throws for an unknown id: a typo in the content must not compile quietly). */
export function patternIndexEntry(id: PatternId): PatternIndexEntry {
  const entry = PATTERN_INDEX.find((e) => e.id === id);
  if (!entry) throw new Error(`No pattern "${id}" in the index`);
  return entry;
}

/** The patterns whose entries the lesson of `exampleId` links to, in reference order. */
export function patternsOfExample(exampleId: string): PatternIndexEntry[] {
  return PATTERN_INDEX.filter((e) => e.examples.includes(exampleId));
}
