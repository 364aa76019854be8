import { brokerOf, connect, EventStore } from '../messaging/index.js';
import type { World } from '../sim/index.js';
import type { PlaygroundHost } from './host.js';

/**
 * The host of a simulated run: everything comes from `world`, so a program
 * behaves (and traces) exactly as it did when the playground read the world
 * directly.
 *
 * @example
 * setCurrentHost(simulationHost(createWorld({ seed: 7 })));
 */
export function simulationHost(world: World): PlaygroundHost {
  return {
    kind: 'simulation',
    clock: world.scheduler,
    rng: world.rng,
    trace: world.trace,
    epoch: world.epoch,
    get faults() {
      return world.faults;
    },
    log: world.log,
    http: world.http,
    service: (name) => world.service(name),
    amqpConnect: (url, socketOptions) => connect(world, url ?? 'client', socketOptions),
    connect: (service) => connect(world, service),
    runsHere: () => true,
    broker: () => brokerOf(world),
    eventStore: (name) => new EventStore(world, name),
  };
}
