import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'retry-storm',
  title: 'Retry storm under load',
  topic: 'Under load',
  order: 16,
};

export default meta;
