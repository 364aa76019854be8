import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "idempotency",
  title: "Charge once: idempotency keys and deduplication",
  topic: "Resilience",
  order: 13,
};

export default meta;
