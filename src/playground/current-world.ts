import type { World } from '../sim/world.js';

let current: World | undefined;

/**
 * Makes `world` the one that the `playground` module's functions act on, for
 * the duration of one run. The runner calls this before loading user code and
 * clears it afterwards, so nothing outlives a run.
 */
export function setCurrentWorld(world: World | undefined): void {
  current = world;
}

/** The world of the run in progress; throws a clear message outside a run. */
export function currentWorld(): World {
  if (!current) throw new Error('No run in progress: playground functions can only be used by code the playground runs.');
  return current;
}
