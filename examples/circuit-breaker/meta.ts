import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "circuit-breaker",
  title: "Circuit breaker with a fallback",
  topic: "Resilience",
  order: 8,
};

export default meta;
