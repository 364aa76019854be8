import type { BusEnv } from '../../messaging/bus-env.js';
import { busEnvOf } from '../../messaging/world-bus-env.js';
import type { Rng } from '../../sim/rng.js';
import type { World } from '../../sim/world.js';
import type { ProcessEnv } from './saga-process.js';

/** What an orchestrator needs: a {@link ProcessEnv} and a seeded generator (for the backoff's jitter). */
export type OrchestratorEnv = ProcessEnv & { readonly rng: Rng };

/**
 * Everything the saga helpers need: processes, the event bus and a seeded
 * generator. The playground's host is one (simulated or real); for a world,
 * see {@link sagaEnvOf}.
 */
export type SagaEnv = BusEnv & OrchestratorEnv;

/**
 * The saga helpers' environment in a simulated world: its scheduler,
 * generator, trace, fault plan (as it is when read), services and in-memory
 * broker.
 *
 * @example
 * const shop = await createOrderChoreography(sagaEnvOf(world), { stock: { book: 5 } });
 */
export function sagaEnvOf(world: World): SagaEnv {
  return {
    ...busEnvOf(world),
    get faults() {
      return world.faults;
    },
    service: (name) => world.service(name),
  };
}
