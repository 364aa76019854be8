import type { TestProject } from 'vitest/node';
import { rabbitMissing, startRabbit } from '../support/rabbitmq.js';
import { suiteVhosts } from './vhosts.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `amqp://guest:guest@127.0.0.1:<port>` of the suite's RabbitMQ node. */
    amqpUrl: string;
  }
}

/** Starts one throwaway RabbitMQ node for the whole real-mode suite (with its virtual hosts), and removes it afterwards. */
export default async function setup(project: TestProject) {
  const missing = rabbitMissing();
  if (missing) throw new Error(missing);
  const node = await startRabbit();
  try {
    await node.addVhosts(suiteVhosts());
  } catch (e) {
    await node.remove();
    throw e;
  }
  project.provide('amqpUrl', node.url);
  return () => node.remove();
}
