import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'retry-storm',
  title: 'Retry storm under load',
  topic: 'Resilience',
  order: 12.5,
};

export default meta;
