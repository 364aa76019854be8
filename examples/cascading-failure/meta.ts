import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'cascading-failure',
  title: 'Cascading failure and bulkheads',
  topic: 'Under load',
  order: 17,
};

export default meta;
