import type { ExecutedRun } from '../runner/protocol.js';
import type { FaultPlan } from '../sim/faults.js';

/** A run's seed: a safe integer, or up to 32 of `A-Z a-z 0-9 _ -` (what a share link carries). */
export type Seed = string | number;

/**
 * Runs the program once with `seed` and `faults` and reports the run (in the
 * browser: the sandbox; in Node: the runner on the same thread). Aborting
 * `signal` asks it to stop the run in progress.
 */
export type RunProgram = (seed: Seed, faults: FaultPlan, signal?: AbortSignal) => Promise<ExecutedRun>;
