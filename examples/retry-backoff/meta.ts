import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "retry-backoff",
  title: "Retry with backoff and jitter",
  topic: "Resilience",
  order: 9,
};

export default meta;
