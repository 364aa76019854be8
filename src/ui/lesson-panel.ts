import { LitElement, css, html } from 'lit';
import { emitControl } from './control-events.js';
import type { ScheduleCheckState } from './exercise-explore.js';
import { loadMarkdown, markdownStyles, renderMarkdown } from './markdown.js';
import { patternHref } from './patterns/page-route.js';
import { renderSolutionConfirm } from './solution-confirm.js';

/** An exercise as the lesson panel shows it. */
export interface LessonExercise {
  id: string;
  title: string;
  task: string;
  hint: string;
  solution: string;
  /** Check results of the latest run of this exercise, if any. */
  checks: Array<{ id: string; title: string; passed: boolean }>;
  /** All checks passed at some point (saved progress). */
  solved: boolean;
  /** The code the exercise starts from, when it is not the example's. */
  starter?: string;
  /** Judged over this many schedules instead of on the run; with the state of the latest such check. */
  schedules?: { runs: number; finalRuns?: number; state: ScheduleCheckState | undefined; checks: Array<{ id: string; title: string }> };
}

/** A pattern the lesson links to in the pattern reference. */
export interface LessonPattern {
  id: string;
  title: string;
}

/**
 * The lesson beside the editor: objectives, links to the lesson's patterns
 * in the pattern reference, the lesson text, and the exercises with their
 * status, hints, and solutions shown only on request after a confirmation.
 *
 * An exercise whose flaw shows only in some schedules is checked on request
 * over many of them, with progress, Stop, and the simplest failing case to
 * replay.
 *
 * Events (typed in control-events.ts): `load-solution` {exerciseId, code}, `navigate` {direction: -1 | 1},
 * `load-starter` {exerciseId}, `check-schedules` {exerciseId}, `stop-schedules`, `replay-case` {seed, faults}.
 */
export class LessonPanel extends LitElement {
  static override properties = {
    heading: { type: String },
    summary: { type: String },
    objectives: { attribute: false },
    lesson: { type: String },
    exercises: { attribute: false },
    patterns: { attribute: false },
    activeExercise: { type: String },
    hasPrev: { type: Boolean },
    hasNext: { type: Boolean },
    revealed: { state: true },
    confirming: { state: true },
  };
  declare heading: string;
  declare summary: string;
  declare objectives: string[];
  declare lesson: string;
  declare exercises: LessonExercise[];
  /** The lesson's patterns (links into the reference; the reference itself is always linked). */
  declare patterns: LessonPattern[];
  declare activeExercise: string;
  declare hasPrev: boolean;
  declare hasNext: boolean;
  private declare revealed: Set<string>;
  private declare confirming: string;

  constructor() {
    super();
    this.heading = '';
    this.summary = '';
    this.objectives = [];
    this.lesson = '';
    this.exercises = [];
    this.patterns = [];
    this.activeExercise = '';
    this.hasPrev = false;
    this.hasNext = false;
    this.revealed = new Set<string>();
    this.confirming = '';
  }

  static override styles = [
    markdownStyles,
    css`
    :host {
      display: block;
      font-size: 0.92rem;
      line-height: 1.5;
      color: var(--spp-fg, #222);
    }
    h1 {
      font-size: 1.25rem;
      margin: 0 0 0.3rem;
    }
    .summary {
      color: var(--spp-muted, #667);
      margin: 0 0 0.6rem;
    }
    h2 {
      font-size: 1.05rem;
      margin: 1rem 0 0.4rem;
    }
    h3 {
      font-size: 0.98rem;
      margin: 0.9rem 0 0.3rem;
    }
    h4 {
      font-size: 0.92rem;
      margin: 0.8rem 0 0.2rem;
    }
    code {
      font-family: var(--spp-font-mono, monospace);
      font-size: 0.85em;
      background: var(--spp-bg-2, #f3f3f3);
      padding: 0.05em 0.3em;
      border-radius: 4px;
    }
    pre {
      background: var(--spp-bg-2, #f3f3f3);
      padding: 0.6rem;
      border-radius: 6px;
      overflow: auto;
      font-size: 0.8rem;
      max-height: 22rem;
    }
    pre code {
      background: none;
      padding: 0;
    }
    .objectives {
      border-left: 3px solid var(--spp-accent, #25d);
      padding: 0.2rem 0 0.2rem 0.8rem;
      margin: 0.6rem 0;
    }
    .objectives ul {
      margin: 0.2rem 0;
      padding-left: 1.2rem;
    }
    .exercise {
      border: 1px solid var(--spp-border, #ddd);
      border-radius: 8px;
      padding: 0.5rem 0.8rem;
      margin: 0.6rem 0;
    }
    .exercise[data-active] {
      border-color: var(--spp-accent, #25d);
    }
    .exercise header {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: space-between;
    }
    .badge {
      font-size: 0.75rem;
      padding: 0.1rem 0.45rem;
      border-radius: 999px;
      border: 1px solid var(--spp-border, #ccc);
      white-space: nowrap;
    }
    .badge.ok {
      color: var(--spp-ok, #173);
      border-color: currentColor;
    }
    .badge.fail {
      color: var(--spp-error, #c22);
      border-color: currentColor;
    }
    ul.checks {
      list-style: none;
      padding: 0;
      margin: 0.3rem 0;
      font-size: 0.85rem;
    }
    ul.checks li::before {
      content: attr(data-mark) ' ';
    }
    li[data-passed='true'] {
      color: var(--spp-ok, #173);
    }
    li[data-passed='false'] {
      color: var(--spp-error, #c22);
    }
    button {
      font: inherit;
      font-size: 0.85rem;
      padding: 0.25rem 0.6rem;
      border-radius: 6px;
      border: 1px solid var(--spp-border, #ccc);
      background: var(--spp-bg, #fff);
      color: var(--spp-fg, #222);
      cursor: pointer;
    }
    button:focus-visible {
      outline: 2px solid var(--spp-accent, #25d);
    }
    .row {
      display: flex;
      gap: 0.5rem;
      flex-wrap: wrap;
      align-items: center;
      margin: 0.4rem 0;
    }
    .confirm {
      background: color-mix(in srgb, var(--spp-warn, #960) 12%, transparent);
      padding: 0.4rem 0.6rem;
      border-radius: 6px;
    }
    nav.lessons {
      display: flex;
      justify-content: space-between;
      margin-top: 1rem;
    }
    .schedules progress {
      width: 10rem;
      max-width: 100%;
    }
    .schedules .msg {
      display: block;
      color: var(--spp-fg, #222);
      margin-left: 1.1em;
      font-size: 0.82rem;
      overflow-wrap: anywhere;
    }
    details summary {
      cursor: pointer;
      color: var(--spp-accent, #25d);
    }
    .patterns {
      font-size: 0.85rem;
      margin: 0.4rem 0 0.6rem;
      color: var(--spp-muted, #667);
    }
    .patterns a {
      color: var(--spp-accent, #25d);
    }
    .patterns a:focus-visible {
      outline: 2px solid var(--spp-accent, #25d);
      outline-offset: 1px;
    }
  `,
  ];

  private renderExercise(ex: LessonExercise, index: number) {
    return html`<section class="exercise" ?data-active=${ex.id === this.activeExercise} data-exercise=${ex.id}>
      <header>
        <h3 tabindex="-1">Exercise ${index + 1}: ${ex.title}</h3>
        ${ex.schedules ? this.scheduleBadge(ex) : this.runBadge(ex)}
      </header>
      ${renderMarkdown(ex.task)}
      ${ex.schedules
        ? this.renderSchedules(ex, ex.schedules)
        : ex.checks.length > 0
          ? html`<ul class="checks" aria-label="Checks">
              ${ex.checks.map((c) => html`<li data-passed=${String(c.passed)} data-mark=${c.passed ? '✓' : '✗'}>${c.title}</li>`)}
            </ul>`
          : null}
      <details>
        <summary>Hint</summary>
        ${renderMarkdown(ex.hint)}
      </details>
      ${this.revealed.has(ex.id)
        ? html`<h4>Reference solution</h4>
            <pre><code>${ex.solution}</code></pre>
            <div class="row">
              <button @click=${() => emitControl(this, 'load-solution', { exerciseId: ex.id, code: ex.solution })}>Load solution into the editor</button>
              <button @click=${() => this.hide(ex.id)}>Hide solution</button>
            </div>`
        : this.confirming === ex.id
          ? renderSolutionConfirm(
              () => this.reveal(ex.id),
              () => (this.confirming = ''),
            )
          : html`<div class="row">
              <button data-show-solution @click=${() => (this.confirming = ex.id)}>Show solution…</button>
            </div>`}
    </section>`;
  }

  private runBadge(ex: LessonExercise) {
    const ran = ex.checks.length > 0;
    if (ran && ex.checks.every((c) => c.passed)) return html`<span class="badge ok">passed</span>`;
    if (ran) return html`<span class="badge fail">not yet</span>`;
    return ex.solved ? html`<span class="badge ok">solved before</span>` : html`<span class="badge">not run</span>`;
  }

  private scheduleBadge(ex: LessonExercise) {
    const state = ex.schedules?.state;
    if (state?.kind === 'running') return html`<span class="badge">checking…</span>`;
    if (state?.kind === 'done' && !state.verdict.stopped) {
      return state.verdict.checks.every((c) => c.passed) ? html`<span class="badge ok">passed</span>` : html`<span class="badge fail">not yet</span>`;
    }
    return ex.solved ? html`<span class="badge ok">solved before</span>` : html`<span class="badge">not checked</span>`;
  }

  /** The check over many schedules: its button, its progress and Stop, or what it found. */
  private renderSchedules(ex: LessonExercise, schedules: NonNullable<LessonExercise['schedules']>) {
    const { runs, finalRuns, state } = schedules;
    const running = state?.kind === 'running';
    return html`<div class="schedules" data-schedules=${state?.kind ?? 'idle'}>
      <div class="row">
        ${ex.starter
          ? html`<button data-load-starter @click=${() => emitControl(this, 'load-starter', { exerciseId: ex.id })}>Load the starting code</button>`
          : null}
        ${running
          ? html`<button data-stop-schedules @click=${() => emitControl(this, 'stop-schedules')}>Stop</button>`
          : html`<button data-check-schedules @click=${() => emitControl(this, 'check-schedules', { exerciseId: ex.id })}>Check over ${runs} schedules</button>
              ${finalRuns
                ? html`<button data-final-grade @click=${() => emitControl(this, 'check-schedules', { exerciseId: ex.id, final: true })}>
                    Final grade (${finalRuns.toLocaleString('en-US')} schedules)
                  </button>`
                : null}`}
      </div>
      ${state?.kind === 'running'
        ? html`<div class="row" role="status">
            <progress max=${state.total} value=${state.done} aria-label="Schedules checked"></progress>
            <span>${state.done} of ${state.total} schedules, ${state.failedRuns} failing</span>
          </div>`
        : state?.kind === 'error'
          ? html`<p role="alert">${state.message}</p>`
          : state?.kind === 'done'
            ? this.renderVerdict(state.verdict)
            : html`<p class="summary">Judged over ${runs} schedules (each a seed and a fault plan), not on your one run.</p>
                <ul class="checks" aria-label="Checks">
                  ${schedules.checks.map((c) => html`<li data-mark="·">${c.title}</li>`)}
                </ul>`}
    </div>`;
  }

  private renderVerdict(v: Extract<ScheduleCheckState, { kind: 'done' }>['verdict']) {
    const simplest = v.checks.find((c) => c.simplest)?.simplest;
    return html`<p role="status">
        ${v.stopped ? `Stopped after ${v.runs} of ${v.total} schedules; not saved.` : `Checked over ${v.runs} schedules.`}
      </p>
      <ul class="checks" aria-label="Checks">
        ${v.checks.map(
          (c) => html`<li data-passed=${String(c.passed)} data-mark=${c.passed ? '✓' : '✗'}>${c.title}<span class="msg">${c.message}</span></li>`,
        )}
      </ul>
      ${v.errors.length > 0 ? html`<p class="summary">Runs that failed on their own: ${v.errors.join('; ')}</p>` : null}
      ${simplest
        ? html`<div class="row">
            <button data-replay-case @click=${() => emitControl(this, 'replay-case', { seed: simplest.seed, faults: simplest.faults })}>
              Replay the simplest failing case
            </button>
          </div>`
        : null}`;
  }

  private reveal(id: string) {
    this.revealed = new Set(this.revealed).add(id);
    this.confirming = '';
  }

  private hide(id: string) {
    const next = new Set(this.revealed);
    next.delete(id);
    this.revealed = next;
  }

  /** Marks exercise `id` as the one to look at and scrolls it into view (a link from the pattern reference). */
  revealExercise(id: string): void {
    this.activeExercise = id;
    // The lesson text above the exercise renders once the markdown parser is there: scroll after it.
    const rendered = loadMarkdown().then(
      () => this.updateComplete,
      () => this.updateComplete,
    );
    void rendered.then(() => {
      const section = this.renderRoot.querySelector<HTMLElement>(`[data-exercise="${CSS.escape(id)}"]`);
      section?.scrollIntoView({ block: 'start' });
      section?.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
    });
  }

  /** Forgets revealed solutions and the exercise a link pointed at (called when the example changes). */
  resetReveals(): void {
    this.revealed = new Set();
    this.confirming = '';
    this.activeExercise = '';
  }

  override render() {
    return html`
      <article>
        <h1>${this.heading}</h1>
        <p class="summary">${this.summary}</p>
        <nav class="patterns" aria-label="Patterns of this lesson">
          ${this.patterns.length
            ? html`Patterns in this lesson: ${this.patterns.map((p, i) => html`${i ? ', ' : null}<a href=${patternHref(p.id)} data-pattern-link=${p.id}>${p.title}</a>`)} · `
            : null}<a href=${patternHref()} data-pattern-link="">Pattern reference</a>
        </nav>
        ${this.objectives.length
          ? html`<div class="objectives">
              <strong>You will learn to</strong>
              <ul>
                ${this.objectives.map((o) => html`<li>${o}</li>`)}
              </ul>
            </div>`
          : null}
        ${renderMarkdown(this.lesson)}
        ${this.exercises.length ? html`<h2>Exercises</h2>${this.exercises.map((ex, i) => this.renderExercise(ex, i))}` : null}
        <nav class="lessons" aria-label="Lessons">
          <button ?disabled=${!this.hasPrev} @click=${() => emitControl(this, 'navigate', { direction: -1 })}>← Previous lesson</button>
          <button ?disabled=${!this.hasNext} @click=${() => emitControl(this, 'navigate', { direction: 1 })}>Next lesson →</button>
        </nav>
      </article>
    `;
  }
}
customElements.define('spp-lesson-panel', LessonPanel);
declare global {
  interface HTMLElementTagNameMap {
    'spp-lesson-panel': LessonPanel;
  }
}
