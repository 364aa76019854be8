import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'orchestration-saga',
  title: 'Orchestration saga: compensation and resume after a crash',
  topic: 'Sagas',
  order: 7,
};

export default meta;
