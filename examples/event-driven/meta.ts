import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "event-driven",
  title: "Events: competing consumers or one queue each",
  topic: "Asynchronous messaging",
  order: 5,
};

export default meta;
