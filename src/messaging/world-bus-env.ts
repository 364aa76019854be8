import type { BrokerWorld } from './broker.js';
import type { BusEnv } from './bus-env.js';
import { connect } from './connect.js';
import { DEFAULT_EPOCH } from '../sim/world.js';

/**
 * The event bus's environment in a simulated world: the world's scheduler,
 * generator and trace, and connections to its in-memory broker.
 *
 * @example
 * const orders = await EventBus.connect(busEnvOf(world), 'orders');
 */
export function busEnvOf(world: BrokerWorld): BusEnv {
  return {
    clock: world.scheduler,
    rng: world.rng,
    trace: world.trace,
    epoch: world.epoch ?? DEFAULT_EPOCH,
    connect: (service) => connect(world, service),
  };
}
