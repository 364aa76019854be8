import { html, nothing, type TemplateResult } from 'lit';
import { describeItem, faultItems, type CheckTally, type ErrorGroup, type ExploreResult } from '../../explore/index.js';
import type { FaultPlan } from '../../sim/faults.js';
import { judgeKind } from './explore-checks.js';
import type { ShrinkPhase } from './explore-session.js';
import type { ReplayCase, Seed } from './explore-host.js';
import { renderHistogram } from './histogram-chart.js';

/** A failing case of a check or an error group: what to replay or shrink. */
export interface CaseOf {
  /** The tally key (`check:…`, `invariant:…`, `error:…`). */
  key: string;
  title: string;
  seed: Seed;
  faults: FaultPlan;
}

/** What the results ask of the panel. */
export interface ResultActions {
  /** Shrinking and exploring share the runners: nothing starts while one runs. */
  busy: boolean;
  shrink(c: CaseOf): void;
  replay(c: ReplayCase): void;
  copyCase(c: ReplayCase): void;
}

const n = (v: number) => v.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

/** A plan in a few words: its faults, one phrase each. */
export function planWords(plan: FaultPlan): string {
  const items = faultItems(plan).map(describeItem);
  if (items.length === 0) return 'no faults';
  const shown = items.slice(0, 3).map((d) => `${d.label} ${d.value}`);
  return `${shown.join('; ')}${items.length > 3 ? `; and ${items.length - 3} more` : ''}`;
}

/** The line above the results: how many runs, how many failed, and how fast. */
export function summaryLine(r: ExploreResult): string {
  const speed = `${(r.wallMs / 1000).toFixed(1)} s, ${n(Math.round(r.runsPerSecond))} runs/s`;
  const stopped = r.stopped ? ` Stopped after ${n(r.runs)} of ${n(r.total)} runs; these results are from the runs that finished.` : '';
  return `${plural(r.runs, 'run')}: ${n(r.passedRuns)} passed everything, ${n(r.failedRuns)} failed something (${speed}).${stopped}`;
}

/** The results of an explore: counts per check and invariant, grouped errors, distributions. */
export function renderResults(r: ExploreResult, shrinks: ReadonlyMap<string, ShrinkPhase>, actions: ResultActions): TemplateResult {
  const d = r.distributions;
  // Invariants hold for any schedule; exercise checks were written for the example's own seed and
  // plan, and some fail where a schedule lacks what they look at: they come second.
  const invariants = r.checks.filter((c) => c.kind === 'invariant' || c.key.startsWith('check:saga/'));
  const exercise = r.checks.filter((c) => !invariants.includes(c));
  const section = (title: string, note: string, list: readonly CheckTally[]) => {
    if (list.length === 0) return nothing;
    // What failed most comes first; what held in every run is one short list.
    const failing = list.filter((c) => c.failed > 0).sort((a, b) => b.failed - a.failed);
    const holding = list.filter((c) => c.failed === 0);
    return html`<h3>${title}</h3>
      ${note ? html`<p class="muted">${note}</p>` : nothing}
      <ul class="tallies">
        ${failing.map((c) => renderTally(c, r.runs, shrinks.get(c.key), actions))}
      </ul>
      ${holding.length
        ? html`<p class="held-title">Held in every run (${holding.length}):</p>
            <ul class="held">
              ${holding.map((c) => html`<li class="passed" data-key=${c.key}><span class="mark" aria-hidden="true">✓</span> ${c.title} <span class="muted">(${judgeKind(c.key)}, ${n(c.passed)} passed)</span></li>`)}
            </ul>`
        : nothing}`;
  };
  return html`
    <p class="summary ${r.failedRuns ? 'bad' : 'ok'}" role="status" data-summary>${summaryLine(r)}</p>
    ${section('Invariants', '', invariants)}
    ${section('Exercise checks', "They were written for the example's own seed and fault plan: some fail where a schedule lacks what they look at (the message says so).", exercise)}
    ${r.checks.length === 0
      ? html`<p class="muted">Nothing judged these runs but their own status: the example has no exercise checks, and the program registers no <code>invariant(…)</code>.</p>`
      : nothing}
    ${r.errors.length || r.otherErrors
      ? html`<h3>Runs that failed by themselves</h3>
          <p class="muted">Errors, spent budgets and time-outs, grouped by message (numbers aside): each group counts as failed runs.</p>
          <ul class="tallies errors">
            ${r.errors.map((e) => renderErrorGroup(e, shrinks.get(e.key), actions))}
            ${r.otherErrors ? html`<li class="muted">and ${plural(r.otherErrors, 'run')} with other errors</li>` : nothing}
          </ul>`
      : nothing}
    <h3>Distributions</h3>
    <div class="histograms">
      ${renderHistogram('Client latency', d.clientLatencyMs, 'ms')}
      ${d.orders
        ? html`${renderHistogram('Completed orders per run', d.orders.completed)}${renderHistogram('Cancelled orders per run', d.orders.cancelled)}${renderHistogram('Pending orders per run', d.orders.pending)}`
        : nothing}
      ${Object.entries(d.serviceCalls).map(([service, h]) => renderHistogram(`Calls to ${service} per run`, h))} ${renderHistogram('Virtual time per run', d.virtualTimeMs, 'ms')}
    </div>
    ${r.omittedFailures ? html`<p class="muted">${plural(r.omittedFailures, 'more failing run')} not kept (only the first ${n(r.failures.length)} are).</p>` : nothing}
  `;
}

function renderTally(c: CheckTally, runs: number, shrink: ShrinkPhase | undefined, actions: ResultActions): TemplateResult {
  const failedPct = runs ? (c.failed / runs) * 100 : 0;
  const first = c.firstFailure;
  return html`<li class="tally ${c.failed ? 'failed' : 'passed'}" data-key=${c.key}>
    <div class="head">
      <span class="mark" aria-hidden="true">${c.failed ? '✗' : '✓'}</span>
      <span class="title">${c.title}</span>
      <span class="kind muted">${judgeKind(c.key)}</span>
      <span class="counts"><strong data-failed=${c.failed}>${n(c.failed)} failed</strong> · <span data-passed=${c.passed}>${n(c.passed)} passed</span></span>
    </div>
    <div class="bar" aria-hidden="true"><span style="width:${failedPct.toFixed(1)}%"></span></div>
    ${c.messages.length
      ? html`<ul class="messages">
          ${c.messages.slice(0, 4).map((m) => html`<li><span class="count">${n(m.count)}×</span> ${m.message} <span class="muted">(first seed ${String(m.firstSeed)})</span></li>`)}
          ${c.messages.length > 4 || c.otherMessages ? html`<li class="muted">and other messages</li>` : nothing}
        </ul>`
      : nothing}
    ${first ? renderCase({ key: c.key, title: c.title, seed: first.seed, faults: first.faults }, shrink, actions) : nothing}
  </li>`;
}

function renderErrorGroup(e: ErrorGroup, shrink: ShrinkPhase | undefined, actions: ResultActions): TemplateResult {
  const title = `${e.kind}: ${e.message}`;
  return html`<li class="tally failed" data-key=${e.key}>
    <div class="head">
      <span class="mark" aria-hidden="true">✗</span>
      <span class="title">${title}</span>
      <span class="counts"><strong data-failed=${e.count}>${plural(e.count, 'run')}</strong></span>
    </div>
    ${renderCase({ key: e.key, title, seed: e.firstSeed, faults: e.firstFaults }, shrink, actions)}
  </li>`;
}

/** The first failing case, and its shrunk form once shrinking has run. */
function renderCase(c: CaseOf, shrink: ShrinkPhase | undefined, actions: ResultActions): TemplateResult {
  const label = `a failing case of "${c.title}"`;
  const original: ReplayCase = { seed: c.seed, faults: c.faults, label };
  return html`<div class="case">
      <span>First failing run: seed <strong>${String(c.seed)}</strong> with ${planWords(c.faults)}.</span>
      <span class="actions">
        <button class="small" data-action="replay" @click=${() => actions.replay(original)}>Replay</button>
        <button class="small" data-action="shrink" ?disabled=${actions.busy} @click=${() => actions.shrink(c)}>${shrink?.kind === 'done' ? 'Shrink again' : 'Shrink'}</button>
        <button class="small" data-action="copy-case" @click=${() => actions.copyCase(original)}>Copy link</button>
      </span>
    </div>
    ${renderShrink(c, shrink, actions)}`;
}

function renderShrink(c: CaseOf, shrink: ShrinkPhase | undefined, actions: ResultActions): TemplateResult | typeof nothing {
  if (!shrink) return nothing;
  if (shrink.kind === 'running') return html`<div class="shrunk" role="status">Shrinking… ${plural(shrink.runs, 'run')} so far.</div>`;
  if (shrink.kind === 'failed') return html`<div class="shrunk err" role="alert">${shrink.message}</div>`;
  const r = shrink.result;
  if (r.ended === 'not-reproduced') {
    return html`<div class="shrunk err" role="status">This case did not fail again when run on its own, so it could not be shrunk: the program may depend on something besides its seed and faults.</div>`;
  }
  const smallest: ReplayCase = { seed: r.seed, faults: r.shrunk, label: `the smallest failing case of "${c.title}"` };
  const why = r.ended === 'minimal' ? 'nothing smaller fails' : r.ended === 'stopped' ? 'stopped' : `its ${r.ended === 'runs' ? 'run' : 'time'} budget ran out`;
  return html`<div class="shrunk" data-shrunk role="status">
    <div>
      Smallest failing case: seed <strong>${String(r.seed)}</strong> with <span data-plan>${planWords(r.shrunk)}</span>.
      <span class="muted">(${plural(r.runs, 'run')}, ${(r.wallMs / 1000).toFixed(1)} s; ${why})</span>
    </div>
    <div class="diff"><span class="muted">Against the first case:</span> <code data-diff>${r.diff}</code></div>
    ${r.message ? html`<div class="muted">It fails with: ${r.message}</div>` : nothing}
    <span class="actions">
      <button class="small primary" data-action="replay-shrunk" @click=${() => actions.replay(smallest)}>Replay smallest</button>
      <button class="small" data-action="copy-shrunk" @click=${() => actions.copyCase(smallest)}>Copy link</button>
    </span>
  </div>`;
}
