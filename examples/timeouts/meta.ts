import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "timeouts",
  title: "Timeouts stop the pile-up",
  topic: "Resilience",
  order: 10,
};

export default meta;
