/** Every example of the module, in course order. */
import type { Example } from './types.js';
import { syncRestTimeout } from './sync-rest-timeout/index.js';

export const examples: Example[] = [syncRestTimeout].sort((a, b) => a.order - b.order);

export type { Example, Exercise, Check, CheckResult, RunOutcome } from './types.js';
