/**
 * The examples of the module. Each folder has a `meta.ts` (what the picker
 * shows) and an `index.ts` default-exporting its {@link Example}; the page
 * loads an example's content (code, lesson, exercises) only when it is opened,
 * so adding examples does not slow the first paint.
 */
import type { Example, ExampleMeta } from './types.js';

const metas = import.meta.glob<{ default: ExampleMeta }>('./*/meta.ts', { eager: true });
const loaders = import.meta.glob<{ default: Example }>('./*/index.ts');

/** Every example's id, title, topic and order, in course order. */
export const catalog: ExampleMeta[] = Object.values(metas)
  .map((m) => m.default)
  .sort((a, b) => a.order - b.order);

/** Loads one example's content; rejects for an unknown id. */
export async function loadExample(id: string): Promise<Example> {
  const load = loaders[`./${id}/index.ts`];
  if (!load || !catalog.some((m) => m.id === id)) throw new Error(`Unknown example "${id}"`);
  return (await load()).default;
}

/** Loads every example (tests, tools). */
export function loadAllExamples(): Promise<Example[]> {
  return Promise.all(catalog.map((m) => loadExample(m.id)));
}

export type { Example, ExampleMeta, Exercise, Check, CheckResult, RunOutcome } from './types.js';
