/**
 * One RabbitMQ virtual host per program or test file that uses the broker, so
 * each sees a broker of its own as in the simulation: the examples declare
 * durable queues on one `events` exchange, and what one run leaves (queues,
 * bindings, messages) must not reach the next one, nor a run of another test
 * file that happens at the same time.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ROOT } from './spp.js';

/** Test files that take a virtual host of their own, besides one per example. */
const FILES = ['bus-and-sagas', 'choreography-split', 'export-project', 'export-compose'];

/** Every virtual host the suite's node gets (created by the global setup). */
export function suiteVhosts(): string[] {
  const dir = join(ROOT, 'examples');
  const examples = readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory());
  // The exported-project test loads every example once more, beside the examples' own runs.
  return [...examples, ...examples.map((id) => `export-${id}`), ...FILES];
}

/** The suite's broker URL for the virtual host `name` (one of {@link suiteVhosts}). */
export function vhostUrl(name: string): string {
  return `${inject('amqpUrl')}/${name}`;
}
