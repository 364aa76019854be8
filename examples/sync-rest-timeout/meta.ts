import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: "sync-rest-timeout",
  title: "REST call with a timeout",
  topic: "Synchronous communication",
  order: 2,
};

export default meta;
