import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "service-tokens",
  title: "Service-to-service tokens",
  topic: "Synchronous communication",
  order: 3,
};

export default meta;
