import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { Example } from '../../../examples/types.js';
import { MAX_COMPARE_RUNS, encodeCompareLink, parseSeed, type CompareAgainst, type CompareLink, type Seed } from '../../share/index.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { AppDeps } from '../app-deps.js';
import { openSeedRunners } from '../app/seed-runners.js';
import { renderSolutionConfirm } from '../solution-confirm.js';
import { themeStyles } from '../views/theme.js';
import { define } from '../views/view-events.js';
import './compare-diagrams.js';
import { DEFAULT_COMPARE_RUNS, compareOneSeed, compareSeeds, type CompareProgress, type SeedsCompare, type SingleCompare } from './compare-runs.js';
import { compareTableStyles, renderCompareTable, summaryOf } from './compare-table.js';
import { variantsFor } from './compare-variants.js';

/** What the panel needs from the page. */
export type CompareDeps = Pick<AppDeps, 'runner' | 'initialUrl' | 'replaceHash' | 'copyText'>;

/** A finished compare and what it was run with (to tell when the code on screen has moved on). */
interface Shown {
  result: SingleCompare | SeedsCompare;
  labels: [string, string];
  seeds: [Seed, Seed];
  inputs: string;
}

const inputsKey = (code: string, seed: Seed, faults: FaultPlan) => JSON.stringify([code, seed, faults]);
const sameJson = (x: unknown, y: unknown) => JSON.stringify(x ?? {}) === JSON.stringify(y ?? {});

/**
 * `<spp-compare-panel>`: the Compare tab. Runs the code on screen and a
 * second variant (the starting code, an exercise's reference solution after
 * the same confirmation the lesson asks, or the same code with another fault
 * plan or seed) on one seed, showing both sequence diagrams on one time axis
 * and a table of differences, or over many schedules through explore, with
 * progress and Stop, and one table of what the change improved or worsened.
 * "Copy link" makes a link that reproduces the compare.
 *
 * Properties: `example`, `code`, `seed`, `faults` (what is on screen),
 * `deps` (the runner, the page's URL and clipboard), `start` (a compare
 * link to run once, when the page opened one), `idle` (the page runs
 * nothing of its own: the link's compare waits for that).
 */
export class SppComparePanel extends LitElement {
  static override properties = {
    example: { attribute: false },
    code: { attribute: false },
    seed: { attribute: false },
    faults: { attribute: false },
    deps: { attribute: false },
    start: { attribute: false },
    idle: { attribute: false },
    _choice: { state: true },
    _otherSeed: { state: true },
    _mode: { state: true },
    _runs: { state: true },
    _asking: { state: true },
    _running: { state: true },
    _progress: { state: true },
    _shown: { state: true },
    _message: { state: true },
    _note: { state: true },
  };

  declare example: Example | undefined;
  declare code: string;
  declare seed: Seed;
  declare faults: FaultPlan;
  declare deps: CompareDeps | undefined;
  declare start: CompareLink | undefined;
  /** The page has no run of its own under way; a compare link waits for that, since runs share the sandbox. */
  declare idle: boolean;
  declare private _choice: string;
  declare private _otherSeed: string;
  declare private _mode: 'single' | 'seeds';
  declare private _runs: string;
  declare private _asking: boolean;
  declare private _running: boolean;
  declare private _progress: CompareProgress | undefined;
  declare private _shown: Shown | undefined;
  declare private _message: string;
  declare private _note: string;

  /** Exercises whose solution the learner agreed to compare with (asked once each). */
  private readonly confirmed = new Set<string>();
  private linkFaults: FaultPlan | undefined;
  private startedFrom: CompareLink | undefined;
  private abort: AbortController | undefined;
  /** How the compare under way runs: one seed (its runs go straight to the runner) or many. */
  private runningMode: 'single' | 'seeds' = 'single';

  constructor() {
    super();
    this.example = undefined;
    this.code = '';
    this.seed = 1;
    this.faults = {};
    this.deps = undefined;
    this.start = undefined;
    this.idle = true;
    this._choice = '';
    this._otherSeed = '';
    this._mode = 'single';
    this._runs = String(DEFAULT_COMPARE_RUNS);
    this._asking = false;
    this._running = false;
    this._progress = undefined;
    this._shown = undefined;
    this._message = '';
    this._note = '';
  }

  static override styles = [
    themeStyles,
    compareTableStyles,
    css`
      :host {
        background: transparent;
        container-type: inline-size;
      }
      input[aria-invalid='true'] {
        border-color: var(--_error);
        outline: 1px solid var(--_error);
      }
      @container (max-width: 480px) {
        .mark {
          display: block;
        }
      }
      .intro {
        margin: 0 0 8px;
        color: var(--_muted);
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 6px 14px;
        align-items: end;
        margin-bottom: 8px;
      }
      label {
        display: flex;
        flex-direction: column;
        gap: 2px;
        font-size: 12px;
        color: var(--_muted);
      }
      label > select,
      label > input {
        color: var(--_fg);
        max-width: 100%;
      }
      label:has(> select) {
        flex: 1 1 16rem;
        min-width: 0;
      }
      label > select {
        width: 100%;
      }
      fieldset {
        border: 1px solid var(--_border);
        border-radius: 6px;
        padding: 2px 8px 4px;
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 2px 12px;
        align-items: center;
      }
      legend {
        font-size: 12px;
        color: var(--_muted);
      }
      fieldset label {
        flex-direction: row;
        align-items: center;
        color: var(--_fg);
      }
      input[type='number'] {
        width: 6em;
        background: var(--_bg);
        border: 1px solid var(--_border);
        border-radius: 6px;
        padding: 2px 6px;
      }
      .actions {
        display: flex;
        gap: 6px;
        flex-wrap: wrap;
      }
      button.primary {
        background: var(--_accent);
        color: var(--spp-on-accent, #fff);
        border-color: var(--_accent);
      }
      button:disabled {
        opacity: 0.6;
        cursor: default;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 6px;
        align-items: center;
      }
      .confirm {
        border: 1px solid var(--_warn);
        border-radius: 6px;
        padding: 6px 8px;
        margin: 6px 0;
      }
      .message {
        color: var(--_error);
        margin: 6px 0;
      }
      .note,
      .stale {
        margin: 6px 0;
      }
      .stale {
        color: var(--_warn);
      }
      .progress {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 6px 10px;
        margin: 6px 0;
      }
      progress {
        flex: 1;
        min-width: 120px;
        accent-color: var(--_accent);
      }
      .summary {
        font-weight: 600;
        margin: 8px 0 4px;
      }
      spp-compare-diagrams {
        margin-top: 10px;
      }
      .note code {
        overflow-wrap: anywhere;
      }
    `,
  ];

  /** Stops a compare under way (the page calls it when the example changes). */
  stop(): void {
    if (!this.abort) return;
    this.abort.abort();
    if (this.runningMode === 'single') this.deps?.runner.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('example') && this.example && !this._choice) this._choice = this.defaultChoice();
    if (changed.has('seed') && !this._otherSeed) this._otherSeed = typeof this.seed === 'number' ? String(this.seed + 1) : `${String(this.seed).slice(0, 28)}-alt`;
    if (this.start && this.start !== this.startedFrom && this.example && this.idle) {
      this.startedFrom = this.start;
      this.applyLink(this.start);
      void this.updateComplete.then(() => this.compare());
    }
  }

  private defaultChoice(): string {
    const example = this.example!;
    if (this.code !== example.code) return 'starting';
    const first = example.exercises[0];
    return first ? `solution:${first.id}` : Object.keys(this.faults).length ? 'faults:none' : 'seed';
  }

  private applyLink(link: CompareLink): void {
    const a = link.against;
    if (a.kind === 'solution') this._choice = `solution:${a.exerciseId}`;
    else if (a.kind === 'seed') {
      this._choice = 'seed';
      this._otherSeed = String(a.seed);
    } else if (a.kind === 'faults') {
      if (Object.keys(a.faults).length === 0) this._choice = 'faults:none';
      else if (sameJson(a.faults, this.example!.faults)) this._choice = 'faults:example';
      else {
        this.linkFaults = a.faults as FaultPlan;
        this._choice = 'faults:link';
      }
    } else this._choice = 'starting';
    this._mode = link.runs === undefined ? 'single' : 'seeds';
    if (link.runs !== undefined) this._runs = String(link.runs);
  }

  /** The variant chosen in the form, or a message saying what is wrong with it. */
  private against(): CompareAgainst | string {
    const c = this._choice;
    if (c.startsWith('solution:')) return { kind: 'solution', exerciseId: c.slice('solution:'.length) };
    if (c === 'faults:none') return { kind: 'faults', faults: {} };
    if (c === 'faults:example') return { kind: 'faults', faults: (this.example?.faults ?? {}) as Record<string, unknown> };
    if (c === 'faults:link') return { kind: 'faults', faults: (this.linkFaults ?? {}) as Record<string, unknown> };
    if (c === 'seed') {
      const seed = parseSeed(this._otherSeed.trim());
      return seed === undefined ? 'The other seed must be a whole number or 1–32 letters, digits, "_" or "-".' : { kind: 'seed', seed };
    }
    return { kind: 'starting' };
  }

  private runsWanted(): number | string {
    if (this._mode === 'single') return 1;
    const n = Number(this._runs);
    return /^\d+$/.test(this._runs.trim()) && n >= 1 && n <= MAX_COMPARE_RUNS
      ? n
      : `The number of schedules must be a whole number from 1 to ${MAX_COMPARE_RUNS.toLocaleString('en-US')} (got ${this._runs.trim() || 'nothing'}).`;
  }

  /** Runs the compare the form describes (asking first before a reference solution is run). */
  async compare(): Promise<void> {
    const example = this.example;
    const deps = this.deps;
    if (!example || !deps || this._running) return;
    this._message = '';
    this._note = '';
    const against = this.against();
    const runs = this.runsWanted();
    if (typeof against === 'string' || typeof runs === 'string') {
      this._message = typeof against === 'string' ? against : (runs as string);
      return;
    }
    if (against.kind === 'solution' && !this.confirmed.has(against.exerciseId)) {
      this._asking = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[data-confirm-solution]')?.focus();
      return;
    }
    const pair = variantsFor(example, { code: this.code, seed: this.seed, faults: this.faults }, against);
    if (!pair.ok) {
      this._message = pair.message;
      return;
    }
    const { a, b } = pair;
    const inputs = inputsKey(this.code, this.seed, this.faults);
    const abort = (this.abort = new AbortController());
    this.runningMode = this._mode;
    this._running = true;
    this._progress = undefined;
    try {
      const result =
        this._mode === 'single'
          ? await compareOneSeed(example, a, b, { run: (r) => deps.runner.run(r) }, abort.signal)
          : await compareSeeds(example, a, b, { run: (r) => deps.runner.run(r), open: (code) => openSeedRunners(deps.runner, code) }, { runs, signal: abort.signal, onProgress: (p) => (this._progress = p) });
      if (!result) this._message = 'Stopped before both variants had run: nothing to compare yet.';
      else if (result.kind === 'failed') this._message = result.message;
      else this._shown = { result, labels: [a.label, b.label], seeds: [a.seed, b.seed], inputs };
    } catch (e) {
      this._message = `The compare could not run (${e instanceof Error ? e.message : String(e)}). Press Compare to try again.`;
    } finally {
      this._running = false;
      this._progress = undefined;
      if (this.abort === abort) this.abort = undefined;
    }
  }

  private confirmSolution(yes: boolean): void {
    this._asking = false;
    const against = this.against();
    if (!yes || typeof against === 'string' || against.kind !== 'solution') return;
    this.confirmed.add(against.exerciseId);
    void this.compare();
  }

  private async copyLink(): Promise<void> {
    const { example, deps } = this;
    if (!example || !deps) return;
    const against = this.against();
    const runs = this.runsWanted();
    if (typeof against === 'string' || typeof runs === 'string') {
      this._message = typeof against === 'string' ? against : (runs as string);
      return;
    }
    const encoded = encodeCompareLink(
      {
        exampleId: example.id,
        seed: this.seed,
        ...(this.code !== example.code ? { code: this.code } : {}),
        ...(Object.keys(this.faults).length ? { faults: this.faults as Record<string, unknown> } : {}),
        against,
        ...(this._mode === 'seeds' ? { runs } : {}),
      },
      deps.initialUrl,
    );
    if (!encoded.ok) {
      this._message = encoded.error.message;
      return;
    }
    deps.replaceHash(encoded.hash);
    try {
      await deps.copyText(encoded.url);
      this._note = 'Link copied: it reproduces this compare (both variants, the seeds and the fault plans).';
    } catch {
      this._note = `Copy this link: ${encoded.url}`;
    }
  }

  private renderForm(example: Example) {
    const exampleFaults = example.faults && Object.keys(example.faults).length > 0 && !sameJson(example.faults, this.faults);
    const option = (value: string, label: string) => html`<option value=${value} ?selected=${this._choice === value}>${label}</option>`;
    // The panel checks the fields itself and says what is wrong under them (the browser's own bubble
    // goes away after a moment and says nothing about the seed).
    const runs = this.runsWanted();
    const badRuns = this._mode === 'seeds' && typeof runs === 'string';
    return html`<form
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void this.compare();
      }}
    >
      <label
        >Compare your code with
        <select id="against" data-field="against" @change=${(e: Event) => ((this._choice = (e.target as HTMLSelectElement).value), (this._asking = false))}>
          ${option('starting', 'the starting code')}
          ${example.exercises.map((x, i) => option(`solution:${x.id}`, `the reference solution of exercise ${i + 1}: ${x.title}`))}
          ${Object.keys(this.faults).length ? option('faults:none', 'your code without the fault plan') : nothing}
          ${exampleFaults ? option('faults:example', "your code with the example's fault plan") : nothing}
          ${this.linkFaults ? option('faults:link', "your code with the link's other fault plan") : nothing}
          ${option('seed', 'your code with another seed')}
        </select>
      </label>
      ${this._choice === 'seed'
        ? html`<label
            >Other seed
            <input type="text" data-field="other-seed" .value=${this._otherSeed} spellcheck="false" @input=${(e: Event) => (this._otherSeed = (e.target as HTMLInputElement).value)} />
          </label>`
        : nothing}
      <fieldset>
        <legend>Run on</legend>
        <label><input type="radio" name="mode" value="single" .checked=${this._mode === 'single'} @change=${() => (this._mode = 'single')} /> one seed (${String(this.seed)})</label>
        <label
          ><input type="radio" name="mode" value="seeds" .checked=${this._mode === 'seeds'} @change=${() => (this._mode = 'seeds')} /> over
          <input
            type="number"
            min="1"
            max=${MAX_COMPARE_RUNS}
            data-field="runs"
            aria-label="Number of schedules"
            aria-invalid=${badRuns ? 'true' : 'false'}
            .value=${this._runs}
            @input=${(e: Event) => ((this._runs = (e.target as HTMLInputElement).value), (this._mode = 'seeds'))}
          />
          schedules</label
        >
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" data-action="compare" ?disabled=${this._running}>${this._mode === 'seeds' ? `Compare over ${typeof runs === 'number' ? runs.toLocaleString('en-US') : '…'} schedules` : 'Compare'}</button>
        ${this._running ? html`<button type="button" data-action="stop-compare" @click=${() => this.stop()}>Stop</button>` : nothing}
        <button type="button" data-action="copy-compare-link" @click=${() => void this.copyLink()}>Copy link</button>
      </div>
    </form>`;
  }

  private renderProgress() {
    if (!this._running) return nothing;
    const p = this._progress;
    if (!p) return html`<p class="progress" role="status">Running…</p>`;
    return html`<div class="progress" role="status">
      <progress max=${p.total} value=${p.done} aria-label="Runs done"></progress>
      <span>${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')} runs (now: ${p.side === 'a' ? 'your code' : 'the other variant'}) · ${p.runsPerSecond.toLocaleString('en-US')} runs/s</span>
    </div>`;
  }

  private renderResult() {
    const shown = this._shown;
    if (!shown) return nothing;
    const [la, lb] = shown.labels;
    const r = shown.result;
    const stale = shown.inputs !== inputsKey(this.code, this.seed, this.faults);
    const caption =
      r.kind === 'single'
        ? `One seed: ${String(shown.seeds[0])}${shown.seeds[1] !== shown.seeds[0] ? ` for A, ${String(shown.seeds[1])} for B` : ' for both'}`
        : `${r.a.runs.toLocaleString('en-US')}${r.b.runs !== r.a.runs ? ` (A) and ${r.b.runs.toLocaleString('en-US')} (B)` : ''} schedules from seed ${String(shown.seeds[0])}${shown.seeds[1] !== shown.seeds[0] ? ` for A and ${String(shown.seeds[1])} for B` : ', the same for both'}`;
    return html`<section class="result" aria-label="Compare result" data-kind=${r.kind}>
      ${stale ? html`<p class="stale">Your code, seed or fault plan changed since this compare: press Compare to run it again.</p>` : nothing}
      ${r.kind === 'seeds' && r.stopped
        ? html`<p class="stale">Stopped early: ${la} ran ${r.a.runs} schedules and ${lb} ${r.b.runs}, so the figures cover different schedules.</p>`
        : nothing}
      <p class="summary">${summaryOf(r.rows, lb[0]!.toUpperCase() + lb.slice(1))}</p>
      ${renderCompareTable(r.rows, la, lb, caption)}
      ${r.kind === 'single' ? html`<spp-compare-diagrams .a=${r.a.run.events} .b=${r.b.run.events} .labelA=${la} .labelB=${lb}></spp-compare-diagrams>` : nothing}
    </section>`;
  }

  protected override render() {
    const example = this.example;
    if (!example) return html`<p class="intro">Loading…</p>`;
    return html`<p class="intro">Run your code and another variant on the same seed, or over the same schedules, and see what the change does.</p>
      ${this.renderForm(example)}
      ${this._asking ? renderSolutionConfirm(() => this.confirmSolution(true), () => this.confirmSolution(false)) : nothing}
      ${this.renderProgress()}
      ${this._message ? html`<p class="message" role="alert">${this._message}</p>` : nothing}
      ${this._note ? html`<p class="note" role="status">${this._note}</p>` : nothing}
      ${this.renderResult()}`;
  }
}

define('spp-compare-panel', SppComparePanel);

declare global {
  interface HTMLElementTagNameMap {
    'spp-compare-panel': SppComparePanel;
  }
}
