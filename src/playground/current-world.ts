import type { World } from '../sim/world.js';
import { setCurrentHost } from './host.js';
import { simulationHost } from './simulation-host.js';

/**
 * Makes `world` the one that the `playground` module's functions act on, for
 * the duration of one run. The runner calls this before loading user code and
 * clears it afterwards, so nothing outlives a run.
 */
export function setCurrentWorld(world: World | undefined): void {
  setCurrentHost(world ? simulationHost(world) : undefined);
}
