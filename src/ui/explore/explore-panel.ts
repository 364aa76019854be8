import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { Example } from '../../../examples/types.js';
import { checkExploreRequest, DEFAULT_EXPLORE_RUNS, type ExploreProgress, type ExploreRequest } from '../../explore/index.js';
import { encodeExploreLink } from '../../share/explore-link.js';
import { encodeShareLink } from '../../share/index.js';
import { checkFaultSpace } from '../../sim/fault-space-check.js';
import { faultSpaceFrom, type FaultSpace, type FaultSpaceIssue } from '../../sim/fault-space.js';
import type { FaultPlan } from '../../sim/faults.js';
import { define } from '../views/view-events.js';
import { exploreChecksFor } from './explore-checks.js';
import type { ExploreCommand, ExploreHost, ReplayCase, Seed } from './explore-host.js';
import { explorePanelStyles } from './explore-panel-styles.js';
import { renderResults, type CaseOf } from './explore-results.js';
import { ExploreSession } from './explore-session.js';
import './fault-space-editor.js';
import type { SpaceChangeDetail } from './fault-space-editor.js';
import { countDimensions, spaceGroups } from './fault-space-form.js';

/** A seed as typed: digits are a number (as the toolbar reads them), anything else text. */
export const parseSeedText = (text: string): Seed => (/^-?\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : text.trim());
/** A run count as typed (`1,000` and `1 000` read as 1000); undefined when empty. */
export const parseRunsText = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.replace(/[\s,_]/g, '')));

/**
 * Wall-clock budget of each explored run (ms). More than a single run's: no
 * one waits on one run of an explore, and a machine busy with other work must
 * not turn a slow run into a failure. A run that never ends still ends on its
 * event budget, which does not depend on the machine.
 */
export const EXPLORE_RUN_BUDGET_MS = 5_000;

/** A link and what happened to it (copied, or to be copied by hand). */
interface LinkNote {
  text: string;
  url: string;
}

/**
 * `<spp-explore-panel>`: runs the program over many seeds with fault plans
 * drawn from a fault space, and shows what failed, how often, and the
 * smallest case of each failure. Loaded with its tab (see explore-tab.ts).
 *
 * Properties (from the page): `host` ({@link ExploreHost}), `example`,
 * `code`, `faults` (the page's plan: the space starts from it), `services`
 * and `queues` (of the last run), `sagas` (the saga invariants judge runs
 * too), `command` (a new id starts an explore, with the settings it carries).
 */
export class ExplorePanel extends LitElement {
  static override properties = {
    host: { attribute: false },
    example: { attribute: false },
    code: { attribute: false },
    faults: { attribute: false },
    services: { attribute: false },
    queues: { attribute: false },
    sagas: { attribute: false },
    command: { attribute: false },
    runsText: { state: true },
    seedText: { state: true },
    space: { state: true },
    linkNote: { state: true },
    spaceProblem: { state: true },
  };

  declare host: ExploreHost;
  declare example: Example | undefined;
  declare code: string;
  declare faults: FaultPlan;
  declare services: string[];
  declare queues: string[];
  declare sagas: boolean;
  declare command: ExploreCommand | undefined;
  private declare runsText: string;
  private declare seedText: string;
  private declare space: FaultSpace;
  private declare linkNote: LinkNote | undefined;
  /** Why the space a link brought was not used. */
  private declare spaceProblem: string | undefined;

  static override styles = explorePanelStyles;

  private readonly session = new ExploreSession({ runner: () => this.host.runner, onChange: () => this.requestUpdate() });
  /** The example the fault space and the findings belong to. */
  private spaceOf: string | undefined;
  private handledCommand: number | undefined;
  private startAfterUpdate = false;

  constructor() {
    super();
    this.code = '';
    this.faults = {};
    this.services = [];
    this.queues = [];
    this.sagas = false;
    this.runsText = String(DEFAULT_EXPLORE_RUNS);
    this.seedText = '1';
    this.space = {};
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.stop(); // nothing keeps running for a panel that has gone
  }

  /** The example's own space: around the page's fault plan. */
  private resetSpace(): void {
    this.space = faultSpaceFrom(this.faults);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('example') && this.example && this.example.id !== this.spaceOf) {
      this.spaceOf = this.example.id;
      this.resetSpace();
      this.session.reset();
      this.linkNote = undefined;
    }
    const command = this.command;
    if (changed.has('command') && command && command.id !== this.handledCommand) {
      this.handledCommand = command.id;
      this.startAfterUpdate = true;
      this.spaceProblem = undefined;
      if (command.settings) {
        this.seedText = String(command.settings.baseSeed);
        this.runsText = String(command.settings.runs);
        // A link's space is checked before it is used: one that is not valid is reported, and nothing starts.
        const issues = checkFaultSpace(command.settings.space);
        if (issues.length === 0) this.space = structuredClone(command.settings.space) as FaultSpace;
        else {
          this.spaceProblem = `The link's fault space is not valid (${issues[0]!.path}: ${issues[0]!.message}${issues.length > 1 ? `, and ${issues.length - 1} more` : ''}), so the explore did not start; the fault space below is the example's own.`;
          this.startAfterUpdate = false;
        }
      }
    }
  }

  protected override updated(): void {
    if (this.startAfterUpdate) {
      this.startAfterUpdate = false;
      // After this update, not inside it: starting changes what the panel shows.
      void Promise.resolve().then(() => this.explore());
    }
  }

  /** The request the form describes, and what is wrong with it (by field: `runs`, `baseSeed`, `space.<path>`). */
  private formRequest(): { request: ExploreRequest; issues: FaultSpaceIssue[] } {
    const runs = parseRunsText(this.runsText);
    const request = {
      code: this.code,
      baseSeed: parseSeedText(this.seedText),
      runs: runs as number,
      space: this.space,
      budgetMs: EXPLORE_RUN_BUDGET_MS,
      ...(this.example ? { exampleId: this.example.id } : {}),
    };
    return { request, issues: checkExploreRequest(request) };
  }

  /** Starts an explore of the form's settings (nothing while one runs or while the form is invalid). */
  async explore(): Promise<void> {
    const { request, issues } = this.formRequest();
    if (this.session.busy || issues.length > 0 || !this.host) return;
    this.linkNote = undefined;
    const { exercise, saga } = exploreChecksFor(this.example, { sagas: this.sagas });
    await this.session.start({ ...request, space: structuredClone(request.space) }, [...exercise, ...saga]);
  }

  private async copy(made: { ok: true; url: string } | { ok: false; message: string }, what: string): Promise<void> {
    if (!made.ok) {
      this.linkNote = { text: made.message, url: '' };
      return;
    }
    try {
      await this.host.copyText(made.url);
      this.linkNote = { text: `Link copied: it reproduces ${what}`, url: made.url };
    } catch {
      this.linkNote = { text: `Copy this link; it reproduces ${what}`, url: made.url };
    }
  }

  /** The code a link carries: none when it is the example's own. */
  private codeFor(code: string): { code?: string } {
    return this.example && code === this.example.code ? {} : { code };
  }

  private copyExplore(): Promise<void> {
    const request = this.session.explored?.request ?? this.formRequest().request;
    const made = encodeExploreLink(
      { exampleId: this.example?.id ?? '', baseSeed: request.baseSeed, runs: request.runs, space: request.space as Record<string, unknown>, ...this.codeFor(request.code) },
      this.host.baseUrl,
    );
    return this.copy(made, `this explore (code, ${request.runs.toLocaleString('en-US')} seeds from ${String(request.baseSeed)}, fault space)`);
  }

  private copyCase(c: ReplayCase): Promise<void> {
    const code = this.session.explored?.request.code ?? this.code;
    const hasFaults = Object.keys(c.faults).length > 0;
    const made = encodeShareLink({ exampleId: this.example?.id ?? '', seed: c.seed, ...this.codeFor(code), ...(hasFaults ? { faults: c.faults as Record<string, unknown> } : {}) }, this.host.baseUrl);
    return this.copy(made.ok ? made : { ok: false, message: made.error.message }, `${c.label} as a normal run`);
  }

  override render(): TemplateResult {
    const { issues } = this.formRequest();
    const busy = this.session.busy;
    const fieldIssue = (field: string) => issues.find((i) => i.path === field)?.message;
    const spaceIssues = issues.filter((i) => i.path.startsWith('space.') || i.path === 'space').map((i) => ({ ...i, path: i.path === 'space' ? 'space' : i.path.slice(6) }));
    const runsIssue = fieldIssue('runs');
    const seedIssue = fieldIssue('baseSeed');
    // Runs and the first seed are above this line, the fault space below it.
    const where = [runsIssue || seedIssue ? 'above' : '', spaceIssues.length ? 'below' : ''].filter(Boolean).join(' and ');
    const why = issues.length ? `Fix ${issues.length === 1 ? 'the field marked' : `the ${issues.length} fields marked`} ${where} to explore.` : busy ? 'An explore or a shrink is running: stop it first.' : '';
    const { exercise, saga } = exploreChecksFor(this.example, { sagas: this.sagas });
    const dims = countDimensions(spaceGroups(this.space));
    return html`
      <div class="setup">
        ${this.spaceProblem ? html`<p class="err" role="alert" data-space-problem>${this.spaceProblem}</p>` : nothing}
        <p class="intro muted">
          Run this program over many seeds, each with faults drawn from the fault space below, and judge every run: ${exercise.length} exercise
          check${exercise.length === 1 ? '' : 's'}${saga.length ? html`, ${saga.length} saga invariants` : nothing} and the invariants your program registers
          with <code>invariant(name, (trace) => …)</code>.
        </p>
        <div class="row">
          <label class="field"
            ><span>Runs</span
            ><input
              data-field="runs"
              inputmode="numeric"
              .value=${this.runsText}
              aria-invalid=${runsIssue ? 'true' : 'false'}
              aria-describedby=${runsIssue ? 'runs-error' : nothing}
              @input=${(e: Event) => (this.runsText = (e.target as HTMLInputElement).value)}
          /></label>
          <label class="field"
            ><span>First seed</span
            ><input
              data-field="seed"
              .value=${this.seedText}
              aria-invalid=${seedIssue ? 'true' : 'false'}
              aria-describedby=${seedIssue ? 'seed-error' : nothing}
              @input=${(e: Event) => (this.seedText = (e.target as HTMLInputElement).value)}
          /></label>
          <button class="primary" data-action="explore" ?disabled=${busy || issues.length > 0} aria-describedby="explore-why" @click=${() => void this.explore()}>
            Explore <kbd>Ctrl+Shift+Enter</kbd>
          </button>
          <button data-action="stop-explore" ?disabled=${!busy} @click=${() => this.session.stop()}>Stop</button>
        </div>
        ${runsIssue ? html`<p class="err" id="runs-error" data-error-for="runs">Runs ${runsIssue}.</p>` : nothing}
        ${seedIssue ? html`<p class="err" id="seed-error" data-error-for="seed">First seed ${seedIssue}.</p>` : nothing}
        <p class="why ${issues.length ? 'err' : 'muted'}" id="explore-why" role="status">${why}</p>
        <details class="space" ?open=${spaceIssues.length > 0}>
          <summary>Fault space: ${dims} thing${dims === 1 ? '' : 's'} may vary${spaceIssues.length ? html` <span class="err">(${spaceIssues.length} to fix)</span>` : nothing}</summary>
          <p class="muted">
            Each run draws its own fault plan from these ranges: a dimension is present with its <em>chance</em>, its value between <em>from</em> and <em>to</em>. It
            starts from the example's fault plan.
          </p>
          <spp-fault-space-editor
            .space=${this.space}
            .services=${this.services}
            .queues=${this.queues}
            .issues=${spaceIssues}
            @space-change=${(e: CustomEvent<SpaceChangeDetail>) => (this.space = e.detail.space)}
          ></spp-fault-space-editor>
          <button class="small" data-action="reset-space" ?disabled=${busy} @click=${() => this.resetSpace()}>Start again from the page's fault plan</button>
        </details>
      </div>
      ${this.renderPhase()}
      ${this.linkNote
        ? html`<p class="link-note" role="status">
            ${this.linkNote.text}${this.linkNote.url ? html` <input readonly data-link .value=${this.linkNote.url} aria-label="Link" @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />` : nothing}
          </p>`
        : nothing}
    `;
  }

  private renderPhase(): TemplateResult | typeof nothing {
    const phase = this.session.phase;
    const explored = this.session.explored;
    switch (phase.kind) {
      case 'idle':
        return nothing;
      case 'failed':
        return html`<p class="err" role="alert">${phase.message}</p>`;
      case 'running': {
        const p = phase.progress;
        return html`<div class="progress" data-progress>
          <progress max=${p.total} .value=${p.done} aria-label="Runs done"></progress>
          <span role="status"
            >${p.done.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} runs · ${Math.round(p.runsPerSecond).toLocaleString('en-US')} runs/s ·
            ${p.failedRuns.toLocaleString('en-US')} failed</span
          >
          ${renderFailingSoFar(p)}
        </div>`;
      }
      case 'done':
        return html`<div class="results" data-results>
          <div class="row">
            <h2>Results</h2>
            <button class="small" data-action="copy-explore" @click=${() => void this.copyExplore()}>Copy explore link</button>
          </div>
          ${explored && explored.request.code !== this.code
            ? html`<p class="muted">The code has changed since this explore: Replay runs the code now in the editor.</p>`
            : nothing}
          ${renderResults(phase.result, this.session.shrinks, {
            busy: this.session.busy,
            shrink: (c: CaseOf) => void this.session.shrink(c.key, c),
            replay: (c) => this.host.replay(c),
            copyCase: (c) => void this.copyCase(c),
          })}
        </div>`;
    }
  }
}

define('spp-explore-panel', ExplorePanel);

declare global {
  interface HTMLElementTagNameMap {
    'spp-explore-panel': ExplorePanel;
  }
}

/**
 * What has failed so far, while an explore runs: what fails in some runs
 * only (the flaws a single run hides), with counts, and what has failed in
 * every run so far (a flaw every schedule shows).
 */
function renderFailingSoFar(p: ExploreProgress): TemplateResult | typeof nothing {
  if (p.failing.length === 0) return nothing;
  const every = p.failing.filter((f) => f.failed >= p.done);
  const some = p.failing.filter((f) => f.failed < p.done);
  return html`<div class="so-far" data-failing-so-far>
    ${some.length > 0
      ? html`<p>Failing in some runs so far:</p>
          <ul data-failing-some>
            ${some.map((f) => html`<li><span class="count">${f.failed.toLocaleString('en-US')}</span> ${f.title}</li>`)}
          </ul>`
      : nothing}
    ${every.length > 0
      ? html`<p>Failing in every run so far:</p>
          <ul data-failing-every>
            ${every.map((f) => html`<li>${f.title}</li>`)}
          </ul>`
      : nothing}
  </div>`;
}
