import type { ExampleMeta } from '../types.js';

const meta: ExampleMeta = {
  id: 'capstone',
  title: 'Capstone: the order system',
  topic: 'Assignment',
  order: 18,
};

export default meta;
