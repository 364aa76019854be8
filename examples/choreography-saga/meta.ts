import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'choreography-saga',
  title: 'Choreography saga with compensation',
  topic: 'Sagas',
  order: 6,
};

export default meta;
