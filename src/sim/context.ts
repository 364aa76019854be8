import type { FaultPlan, LatencySpec } from './faults.js';
import type { Rng } from './rng.js';
import type { VirtualScheduler } from './scheduler.js';
import type { TraceRecorder } from './trace.js';

/** What the parts of a world share: clock, randomness, trace and the fault plan in force. */
export interface SimContext {
  readonly scheduler: VirtualScheduler;
  readonly rng: Rng;
  readonly trace: TraceRecorder;
  /** The fault plan in force (validated). */
  readonly faults: FaultPlan;
  /** One-way network latency when no link fault says otherwise. */
  readonly networkLatency: LatencySpec;
}
