import type { Example } from '../../../examples/types.js';
import { sagaInvariantChecks, type ExploreCheck } from '../../explore/index.js';

/** What judges every run of an explore, in groups the panel can name. */
export interface ExploreChecks {
  /** The example's exercise checks (ids `<exercise>/<check>`). */
  exercise: ExploreCheck[];
  /** The order saga's invariants (ids `saga/<invariant>`), when the program runs a saga. */
  saga: ExploreCheck[];
}

/**
 * The checks an explore of `example` runs: every exercise check (each judges
 * a run by its trace and result, whatever its seed and faults), and the saga
 * invariant checkers when the program runs a saga. The program's own
 * invariants come with each run and need no listing here.
 *
 * @example
 * const { exercise, saga } = exploreChecksFor(example, { sagas: usesSagas(report.events) }); // usesSagas: explore-tab.ts
 */
export function exploreChecksFor(example: Pick<Example, 'exercises'> | undefined, options: { sagas: boolean }): ExploreChecks {
  const exercise: ExploreCheck[] = (example?.exercises ?? []).flatMap((ex) =>
    ex.checks.map((c) => ({
      id: `${ex.id}/${c.id}`,
      title: `${ex.title}: ${c.title}`,
      check: (run) => {
        const r = c.check(run);
        return { passed: r.passed, message: r.message };
      },
    })),
  );
  return { exercise, saga: options.sagas ? sagaInvariantChecks() : [] };
}

/** What kind of judge a tally key is, in words. */
export function judgeKind(key: string): string {
  if (key.startsWith('invariant:')) return 'your invariant';
  if (key.startsWith('check:saga/')) return 'saga invariant';
  if (key.startsWith('check:')) return 'exercise check';
  return 'run error';
}
