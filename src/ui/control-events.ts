import type { FaultPlan } from '../sim/faults.js';

/** Detail of `code-change`: the editor's whole text after an edit. */
export interface CodeChangeDetail {
  value: string;
}

/** Detail of `autorun-change`: auto-run switched on or off. */
export interface AutoRunChangeDetail {
  value: boolean;
}

/** Detail of `seed-change`: a well-formed seed the user typed. */
export interface SeedChangeDetail {
  seed: string;
}

/** Detail of `example-select`: the example picked in the list. */
export interface ExampleSelectDetail {
  id: string;
}

/** Detail of `navigate`: to the previous (-1) or next (1) lesson. */
export interface NavigateDetail {
  direction: -1 | 1;
}

/** Detail of `load-solution`: an exercise's solution, to put into the editor. */
export interface LoadSolutionDetail {
  exerciseId: string;
  code: string;
}

/** Detail of `load-starter`: the exercise whose starting code to load. */
export interface ExerciseDetail {
  exerciseId: string;
}

/** Detail of `check-schedules`: check an exercise over its schedules (its final grade's, when `final`). */
export interface CheckSchedulesDetail extends ExerciseDetail {
  final?: boolean;
}

/** Detail of `replay-case`: a schedule (seed and fault plan) to run as a normal run. */
export interface ReplayCaseDetail {
  seed: string | number;
  faults: FaultPlan;
}

/** Detail of `faults-change`: the fault plan as edited (already valid). */
export interface FaultsChangeDetail {
  plan: FaultPlan;
}

/**
 * The events the page's controls dispatch (they bubble and cross shadow
 * roots, so the app listens once on itself). Events without a detail carry
 * `null`, as a `CustomEvent` made without one does.
 *
 * - editor: `code-change`, `run-request`, `explore-request`, `share-request`, `editor-ready`
 * - toolbar: `run-request`, `stop-request`, `autorun-change`, `seed-change`, `new-seed`,
 *   `reset-code`, `share-request`, `export-trace`, `copy-mermaid`, `open-trace`, `download-project`, `theme-toggle`
 * - picker: `example-select`; lesson panel: `navigate`, `load-solution`, `load-starter`,
 *   `check-schedules`, `stop-schedules`, `replay-case`; fault panel: `faults-change`
 */
export interface ControlEventMap {
  'code-change': CustomEvent<CodeChangeDetail>;
  'editor-ready': CustomEvent<null>;
  'run-request': CustomEvent<null>;
  'share-request': CustomEvent<null>;
  'explore-request': CustomEvent<null>;
  'stop-request': CustomEvent<null>;
  'autorun-change': CustomEvent<AutoRunChangeDetail>;
  'seed-change': CustomEvent<SeedChangeDetail>;
  'new-seed': CustomEvent<null>;
  'reset-code': CustomEvent<null>;
  'export-trace': CustomEvent<null>;
  'copy-mermaid': CustomEvent<null>;
  'download-project': CustomEvent<null>;
  'open-trace': CustomEvent<null>;
  'theme-toggle': CustomEvent<null>;
  'example-select': CustomEvent<ExampleSelectDetail>;
  navigate: CustomEvent<NavigateDetail>;
  'load-solution': CustomEvent<LoadSolutionDetail>;
  'faults-change': CustomEvent<FaultsChangeDetail>;
  'load-starter': CustomEvent<ExerciseDetail>;
  'check-schedules': CustomEvent<CheckSchedulesDetail>;
  'stop-schedules': CustomEvent<null>;
  'replay-case': CustomEvent<ReplayCaseDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends ControlEventMap {}
}

type DetailOf<K extends keyof ControlEventMap> = ControlEventMap[K]['detail'];

/**
 * Dispatches a typed control event from `target` (bubbling, composed). The
 * detail is required exactly when the event has one.
 *
 * @example
 * emitControl(this, 'seed-change', { seed: '42' });
 * emitControl(this, 'run-request');
 */
export function emitControl<K extends keyof ControlEventMap>(target: EventTarget, type: K, ...detail: DetailOf<K> extends null ? [] : [DetailOf<K>]): boolean {
  return target.dispatchEvent(new CustomEvent(type, { detail: detail[0] ?? null, bubbles: true, composed: true }));
}

/**
 * Adds a listener for a typed element event and returns what removes it. Only
 * names of `HTMLElementEventMap` compile, so a renamed event breaks the build
 * instead of going silently unheard.
 *
 * @example
 * const off = listen(app, 'code-change', (e) => save(e.detail.value));
 */
export function listen<K extends keyof HTMLElementEventMap>(target: HTMLElement, type: K, handler: (event: HTMLElementEventMap[K]) => void): () => void {
  target.addEventListener(type, handler);
  return () => target.removeEventListener(type, handler);
}
