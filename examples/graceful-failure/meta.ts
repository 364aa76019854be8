import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "graceful-failure",
  title: "Failing gracefully: cached and default answers",
  topic: "Resilience",
  order: 12,
};

export default meta;
