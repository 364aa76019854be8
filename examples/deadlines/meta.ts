import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'deadlines',
  title: 'Deadlines and correlation ids across a call chain',
  topic: 'Resilience',
  order: 11,
};

export default meta;
