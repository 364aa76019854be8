import type { ExampleMeta } from '../types.js';

/** What the example picker shows before the example itself is loaded. */
const meta: ExampleMeta = {
  id: 'publisher-reliability',
  title: 'Publishing reliably: confirms, returns and the transactional outbox',
  topic: 'Reliable messaging',
  order: 14,
};

export default meta;
