import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'durable-consumers',
  title: 'Consumers that survive crashes, duplicates and disorder',
  topic: 'Reliable messaging',
  order: 15,
};

export default meta;
