import { PATTERN_INDEX } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { CALL_PATTERNS } from './calls.js';
import { IDEMPOTENCY_PATTERNS } from './idempotency.js';
import { MESSAGING_PATTERNS } from './messaging.js';
import { RESILIENCE_PATTERNS } from './resilience.js';
import { SAGA_PATTERNS } from './sagas.js';

const byId = new Map<string, PatternEntry>([...CALL_PATTERNS, ...MESSAGING_PATTERNS, ...SAGA_PATTERNS, ...RESILIENCE_PATTERNS, ...IDEMPOTENCY_PATTERNS].map((e) => [e.id, e]));

/** Every entry of the reference, in the order of the index (a pattern missing from the content fails here, at load). */
export const PATTERN_ENTRIES: readonly PatternEntry[] = PATTERN_INDEX.map((i) => {
  const entry = byId.get(i.id);
  if (!entry) throw new Error(`The pattern reference has no entry for "${i.id}"`);
  return entry;
});
