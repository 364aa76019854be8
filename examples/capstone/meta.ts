import type { ExampleMeta } from '../types.js';

const meta: ExampleMeta = {
  id: 'capstone',
  title: 'Capstone: the order system',
  topic: 'Assignment',
  order: 19,
};

export default meta;
