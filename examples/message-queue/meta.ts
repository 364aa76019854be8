import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "message-queue",
  title: "A durable queue, acks and a dead-letter queue",
  topic: "Asynchronous messaging",
  order: 4,
};

export default meta;
