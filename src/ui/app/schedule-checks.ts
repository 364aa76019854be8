import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Example } from '../../../examples/types.js';
import type { AppRunner } from '../app-deps.js';
import { checkOverSchedules, type ExploringExercise, type ScheduleCheckState, type ScheduleVerdict } from '../exercise-explore.js';
import { openSeedRunners } from './seed-runners.js';

/** What a {@link ScheduleChecks} needs from the app. */
export interface ScheduleChecksOptions {
  runner: () => AppRunner;
  /** A check ran over every schedule: record it like a run's checks. Not called when it was stopped. */
  onVerdict: (example: Example, exercise: ExploringExercise, verdict: ScheduleVerdict) => void;
}

/**
 * Checks exercises whose flaw shows only in some schedules: runs the code
 * over the exercise's seeds (the sandbox's pool of Workers, or seed after
 * seed through the one sandbox), with progress and a Stop that keeps what was
 * found. One check at a time; opening another example forgets them all.
 *
 * @example
 * const checks = new ScheduleChecks(this, { runner: () => deps.runner, onVerdict: record });
 * void checks.check(example, exercise, code);
 * checks.state(exercise.id); // { kind: 'running', done: 40, total: 200, failedRuns: 3 }
 */
export class ScheduleChecks implements ReactiveController {
  private readonly states = new Map<string, ScheduleCheckState>();
  private abort: AbortController | undefined;
  /** True while a check runs seed after seed through the page's one sandbox (no pool). */
  private sharesRunner = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ScheduleChecksOptions,
  ) {
    host.addController(this);
  }

  state(exerciseId: string): ScheduleCheckState | undefined {
    return this.states.get(exerciseId);
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  /** Checks `exercise` on `code` over its schedules; a check under way is stopped first. */
  async check(example: Example, exercise: ExploringExercise, code: string): Promise<void> {
    this.stop();
    const abort = new AbortController();
    this.abort = abort;
    const set = (state: ScheduleCheckState) => {
      if (this.abort !== abort && state.kind === 'running') return; // a newer check took over
      this.states.set(exercise.id, state);
      this.host.requestUpdate();
    };
    set({ kind: 'running', done: 0, total: exercise.explore.runs, failedRuns: 0 });
    const runner = this.options.runner();
    this.sharesRunner = !runner.openPool;
    try {
      const opened = await openSeedRunners(runner, code);
      if (!opened.ok) {
        set({ kind: 'error', message: opened.report.error?.message ?? 'The code could not be prepared to run.' });
        return;
      }
      try {
        const verdict = await checkOverSchedules(example, exercise, opened.runners, {
          signal: abort.signal,
          onProgress: (p) => set({ kind: 'running', done: p.done, total: p.total, failedRuns: p.failedRuns }),
        });
        set({ kind: 'done', verdict });
        if (!verdict.stopped) this.options.onVerdict(example, exercise, verdict);
      } finally {
        opened.close();
      }
    } catch (e) {
      set({ kind: 'error', message: `The check over many schedules failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      if (this.abort === abort) {
        this.abort = undefined;
        this.sharesRunner = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Stops the check under way; what it found so far stays on screen, unsaved. */
  stop(): void {
    this.abort?.abort('stopped');
  }

  /**
   * A single run is about to use the sandbox: a check running seed after seed
   * through that same sandbox would be cut short by it, so it stops first.
   */
  yieldRunner(): void {
    if (this.sharesRunner) this.stop();
  }

  /** Stops and forgets every check (another example was opened). */
  reset(): void {
    this.stop();
    this.states.clear();
  }

  hostDisconnected(): void {
    this.stop();
  }
}
