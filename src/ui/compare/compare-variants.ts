import type { Example } from '../../../examples/types.js';
import type { CompareAgainst, Seed } from '../../share/index.js';
import { validateFaultPlan, type FaultPlan } from '../../sim/faults.js';

/** One side of a compare: what runs, and under which name. */
export interface Variant {
  /** Short name for headings: `your code`, `starting code`, `solution: One trial call`. */
  label: string;
  code: string;
  seed: Seed;
  faults: FaultPlan;
}

/** The code, seed and fault plan on screen: always the first variant. */
export interface CurrentRun {
  code: string;
  seed: Seed;
  faults: FaultPlan;
}

/** The two variants of a compare, or why there are not two. */
export type VariantPair = { ok: true; a: Variant; b: Variant } | { ok: false; message: string };

const copy = (plan: FaultPlan): FaultPlan => JSON.parse(JSON.stringify(plan)) as FaultPlan;

/** What the second variant is called in headings and in the picker. */
export function againstLabel(against: CompareAgainst, example: Pick<Example, 'exercises'>): string {
  switch (against.kind) {
    case 'starting':
      return 'starting code';
    case 'solution': {
      const ex = example.exercises.find((x) => x.id === against.exerciseId);
      return `solution: ${ex?.title ?? against.exerciseId}`;
    }
    case 'faults':
      return Object.keys(against.faults).length ? 'other fault plan' : 'no fault plan';
    case 'seed':
      return `seed ${against.seed}`;
  }
}

/**
 * The two variants: the code on screen with its seed and plan, against the
 * starting code, an exercise's reference solution (same seed and plan), or
 * the same code with another fault plan or seed. A solution the example
 * does not have, or a plan that is not valid, gives a message instead.
 *
 * @example
 * const pair = variantsFor(example, { code, seed, faults }, { kind: 'solution', exerciseId: 'one-trial' });
 * if (pair.ok) run(pair.a), run(pair.b);
 */
export function variantsFor(example: Pick<Example, 'code' | 'exercises'>, current: CurrentRun, against: CompareAgainst): VariantPair {
  const a: Variant = { label: current.code === example.code ? 'your code (starting code)' : 'your code', code: current.code, seed: current.seed, faults: copy(current.faults) };
  const same = { code: current.code, seed: current.seed, faults: copy(current.faults) };
  const label = againstLabel(against, example);
  switch (against.kind) {
    case 'starting':
      return { ok: true, a, b: { ...same, label, code: example.code } };
    case 'solution': {
      const ex = example.exercises.find((x) => x.id === against.exerciseId);
      if (!ex) return { ok: false, message: `This example has no exercise "${against.exerciseId}", so there is no solution to compare with.` };
      return { ok: true, a, b: { ...same, label, code: ex.solution } };
    }
    case 'faults': {
      const issues = validateFaultPlan(against.faults);
      if (issues.length) return { ok: false, message: `The other fault plan is not valid (${issues[0]!.path}: ${issues[0]!.message}).` };
      return { ok: true, a, b: { ...same, label, faults: copy(against.faults as FaultPlan) } };
    }
    case 'seed':
      return { ok: true, a, b: { ...same, label, seed: against.seed } };
  }
}
