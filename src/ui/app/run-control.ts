import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunReport, RunRequest } from '../../runner/protocol.js';
import type { AppRunner } from '../app-deps.js';

/** Whether a run is under way, and which one (only its report counts). */
export type RunState = { kind: 'idle' } | { kind: 'running'; runId: string };

/** What a {@link RunControl} needs from the app. */
export interface RunControlOptions {
  /** The runner (read at each run: the app gets its dependencies after it is created). */
  runner: () => AppRunner;
  /** What to run now: the code, seed and fault plan on screen. */
  request: () => Omit<RunRequest, 'runId'>;
  /** A run ended (finished, failed, or stopped) and is the latest one asked for. */
  onReport: (report: RunReport) => void;
  /** The run could not even start; the message says what to do. */
  onError: (message: string) => void;
}

/**
 * Starts runs, now or after a delay (auto-run waits for typing to pause), and
 * hands on only the report of the latest run: a run that a newer one replaced,
 * or that belonged to an example the learner left, reports nothing.
 *
 * @example
 * const runs = new RunControl(this, { runner: () => deps.runner, request: () => ({ code, seed }), onReport: show, onError: warn });
 * runs.schedule(700); // after an edit
 * void runs.runNow(); // Ctrl+Enter
 */
export class RunControl implements ReactiveController {
  private runState: RunState = { kind: 'idle' };
  private counter = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: RunControlOptions,
  ) {
    host.addController(this);
  }

  /** The current state. */
  get state(): RunState {
    return this.runState;
  }

  /** True while a run is under way. */
  get running(): boolean {
    return this.runState.kind === 'running';
  }

  /** Runs after `delayMs`; a later call replaces an earlier one that has not started. */
  schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runNow(), delayMs);
  }

  /** Runs at once (a scheduled run is dropped: this one covers it). */
  async runNow(): Promise<void> {
    clearTimeout(this.timer);
    const runId = `run-${++this.counter}`;
    this.setState({ kind: 'running', runId });
    let report: RunReport;
    try {
      report = await this.options.runner().run({ runId, ...this.options.request() });
    } catch (e) {
      if (this.isCurrent(runId)) {
        this.setState({ kind: 'idle' });
        this.options.onError(`The run could not start (${e instanceof Error ? e.message : String(e)}). Try Run again.`);
      }
      return;
    }
    if (!this.isCurrent(runId)) return; // a newer run replaced this one, or the learner left its example
    this.setState({ kind: 'idle' });
    // A stopped run is reported too, trace or not: what is shown must be this run, not the one before it.
    this.options.onReport(report);
  }

  /** Drops a run scheduled for later (an auto-run after typing) that has not started. */
  cancelScheduled(): void {
    clearTimeout(this.timer);
  }

  /** Asks the runner to stop the run under way (its report still arrives, as `stopped`). */
  stop(): void {
    this.options.runner().stop();
  }

  /** Forgets the run under way, stopping it: what it reports is not wanted any more (the learner left its example). */
  abandon(): void {
    if (this.running) this.options.runner().stop();
    this.setState({ kind: 'idle' });
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
  }

  private isCurrent(runId: string): boolean {
    return this.runState.kind === 'running' && this.runState.runId === runId;
  }

  private setState(state: RunState): void {
    this.runState = state;
    this.host.requestUpdate();
  }
}
