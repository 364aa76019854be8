/**
 * Every example of the module, in course order. Each folder's index.ts
 * default-exports its {@link Example}; adding a folder adds the example.
 */
import type { Example } from './types.js';

const modules = import.meta.glob<{ default: Example }>('./*/index.ts', { eager: true });

export const examples: Example[] = Object.values(modules)
  .map((m) => m.default)
  .sort((a, b) => a.order - b.order);

export type { Example, Exercise, Check, CheckResult, RunOutcome } from './types.js';
