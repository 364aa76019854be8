import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "sync-vs-async",
  title: "Synchronous chain or 202 and events",
  topic: "Communication styles",
  order: 1,
};

export default meta;
