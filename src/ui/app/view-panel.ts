import { html, nothing, type TemplateResult } from 'lit';
import type { Example } from '../../../examples/types.js';
import type { RunReport } from '../../runner/protocol.js';
import type { FaultPlan } from '../../sim/faults.js';
import type { TraceEvent } from '../../sim/trace.js';
import { evaluateExpected, type EvaluatedCheck } from '../checks.js';
import type { ExploreTabInputs } from '../explore/explore-host.js';
import { renderExploreTab } from '../explore/explore-tab.js';
import { renderReplayNotice, type ReplayedCase } from '../explore/replayed-case.js';
import type { CheckView } from '../views/checks-panel.js';
import { paneOf, type PaneState } from './page-panes.js';
import { checksNotRun, runErrorText } from './run-display.js';
import { VIEW_TABS, moveInTablist, tabAfterKey, type ViewTab } from './view-tabs.js';

const NOTHING_EARLIER = { services: [], queues: [] };

/** What the open tab shows. */
export interface ViewPanelState {
  tab: ViewTab;
  example: Example;
  report: RunReport | undefined;
  running: boolean;
  /** The scrubbed virtual time: views show the trace up to it. */
  time: number;
  selectedSeq: number | undefined;
  checks: readonly EvaluatedCheck[];
  faults: FaultPlan;
  /** The name of the trace file shown instead of a run, if any. */
  openedFile?: string | undefined;
  /** Services and queues that earlier runs of the example had and the shown one has not (for the fault form). */
  earlierTargets?: { services: readonly string[]; queues: readonly string[] } | undefined;
  /** How the section shows: a column of the wide layout, or a pane of the narrow one. */
  pane: PaneState;
  /** The Compare tab's content (it runs variants of its own, so it needs no run on screen). */
  compare?: () => unknown;
  /** The Explore tab's inputs, and the case of an explore open as the run (if one is). */
  explore?: { inputs: ExploreTabInputs; replayed: ReplayedCase | undefined; endReplay: () => void };
}

/** What the views section asks of the app. */
export interface ViewPanelActions {
  /** Opens a tab; resolves once it is rendered. */
  selectTab: (tab: ViewTab) => Promise<unknown>;
  revealLine: (line: number, column?: number) => void;
  dropFaults: () => void;
}

/**
 * The right-hand section: the last run's error, the tab list, the open tab
 * and, after a run, the time scrubber.
 */
export function renderViewsSection(s: ViewPanelState, actions: ViewPanelActions): TemplateResult {
  return html`<section class="views" id="pane-views" aria-label="What happened" ${paneOf(s.pane)}>
    ${renderReplayNotice(s.explore?.replayed, () => s.explore?.endReplay())} ${renderRunError(s, actions)}
    <div role="tablist" aria-label="Views" @keydown=${(e: KeyboardEvent) => moveInTablist(e, tabAfterKey(s.tab, e.key), actions.selectTab)}>${renderTabs(s, actions)}</div>
    <div role="tabpanel" id="view-panel" data-tab=${s.tab} aria-labelledby="tab-${s.tab}">${renderViewPanel(s)}${renderExploreTab(s.tab === 'explore', s.explore?.inputs)}</div>
    ${s.report && s.tab !== 'compare' && s.tab !== 'explore' ? html`<spp-time-scrubber .events=${s.report.events} .time=${s.time}></spp-time-scrubber>` : nothing}
  </section>`;
}

/** What went wrong in the last run, with a way to the line and, for a fault plan that no longer fits, a way out. */
function renderRunError(s: ViewPanelState, actions: ViewPanelActions) {
  const error = s.report?.error;
  if (!error) return nothing;
  return html`<div class="run-error" role="alert">
    <span class="msg">${runErrorText(error)}</span>
    ${error.line
      ? html` <button class="small" @click=${() => actions.revealLine(error.line!, error.column)}>Go to line ${error.line}${error.column ? `:${error.column}` : ''}</button>`
      : nothing}
    ${/fault plan/i.test(error.message) && Object.keys(s.faults).length
      ? html` <button class="small" data-action="drop-faults" @click=${actions.dropFaults}>Run without the fault plan</button>`
      : nothing}
  </div>`;
}

/** One button per view; the Checks tab carries how many checks fail. */
function renderTabs(s: ViewPanelState, actions: ViewPanelActions) {
  const failing = s.checks.filter((c) => !c.passed).length + (s.report?.invariants ?? []).filter((i) => !i.passed).length;
  return VIEW_TABS.map(
    ([id, label]) => html`<button
      role="tab"
      id="tab-${id}"
      data-tab=${id}
      aria-selected=${String(s.tab === id)}
      tabindex=${s.tab === id ? 0 : -1}
      aria-controls="view-panel"
      @click=${() => void actions.selectTab(id)}
    >
      ${label}${id === 'checks' && (s.checks.length || s.report?.invariants?.length)
        ? html`<span class="tab-badge ${failing ? '' : 'ok'}" title=${failing ? `${failing} checks failing` : 'every check passes'}>${failing ? `${failing} ✗` : '✓'}</span>`
        : nothing}
    </button>`,
  );
}

/**
 * The content of the open tab: a trace view, the run's result, the checks,
 * or the fault plan form (the one tab that makes sense before a run). The
 * views report back with their events (`event-select`, `reveal-line`,
 * `faults-change`), which bubble to the app.
 */
function renderViewPanel(s: ViewPanelState): TemplateResult {
  const events = s.report?.events ?? [];
  const time = s.time;
  if (s.tab === 'explore') return html``; // drawn by renderExploreTab, which keeps it across tabs
  if (!s.report && s.tab !== 'faults' && s.tab !== 'compare') return html`<p class="empty">${s.running ? 'Running…' : 'Run the code (Ctrl+Enter) to see what happens.'}</p>`;
  switch (s.tab) {
    case 'sequence':
      return html`<spp-sequence-diagram .events=${events} .time=${time} .selectedSeq=${s.selectedSeq}></spp-sequence-diagram>`;
    case 'map':
      return html`<spp-service-map .events=${events} .time=${time}></spp-service-map>`;
    case 'breakers':
      return html`<spp-breaker-timeline .events=${events} .time=${time}></spp-breaker-timeline>`;
    case 'sagas':
      return html`<spp-saga-board .events=${events} .time=${time}></spp-saga-board>`;
    case 'logs':
      return html`<spp-log-console .events=${events} .time=${time}></spp-log-console>`;
    case 'metrics':
      return html`<spp-load-chart .events=${events} .time=${time}></spp-load-chart><spp-metrics .events=${events} .time=${time}></spp-metrics>`;
    case 'result':
      return s.openedFile === undefined ? renderResult(s.example, s.report!) : renderOpenedResult(s.openedFile, s.report!);
    case 'checks':
      return html`<spp-checks-panel
        .events=${events}
        .notRun=${checksNotRun(s.report!, { openedFile: s.openedFile })}
        .checks=${[
          ...s.checks.map((c) => ({ id: c.key, title: c.group ? `${c.group}: ${c.title}` : c.title, passed: c.passed, message: c.message, eventSeqs: c.eventSeqs })),
          ...invariantViews(s.report!),
        ]}
      ></spp-checks-panel>`;
    case 'compare':
      return html`${s.compare?.() ?? nothing}`;
    case 'faults':
      return html`<spp-fault-panel
        .plan=${s.faults}
        .services=${servicesIn(events)}
        .queues=${queuesIn(events)}
        .earlier=${s.earlierTargets ?? NOTHING_EARLIER}
        .ran=${events.length > 0}
      ></spp-fault-panel>`;
  }
}

/** The program's own invariants (registered with `invariant(name, fn)`), as the Checks view lists them. */
export function invariantViews(report: RunReport): CheckView[] {
  return (report.invariants ?? []).map((i) => ({
    id: `invariant:${i.name}`,
    title: `Your invariant: ${i.name}`,
    passed: i.passed,
    message: i.passed ? 'holds' : (i.message ?? 'failed'),
  }));
}

/** What main() returned, how the run ended, and what the example is meant to show, checked on this run. */
function renderResult(example: Example, report: RunReport): TemplateResult {
  const notRun = checksNotRun(report);
  const expected = notRun ? [] : evaluateExpected(example, report);
  let json: string;
  try {
    const nothing = report.status === 'ok' ? 'undefined (main() returned nothing, or there is no main())' : 'nothing: the run did not finish';
    json = report.result === undefined ? nothing : JSON.stringify(report.result, null, 2);
  } catch {
    json = String(report.result);
  }
  return html`<div class="result-view">
    <p>
      Status <strong>${report.status}</strong> · virtual time ${(report.virtualTime / 1000).toFixed(3)} s · ${report.eventsRun.toLocaleString('en-US')} callbacks ·
      ${report.events.length.toLocaleString('en-US')} trace events${report.droppedLogs ? html` · ${report.droppedLogs} log lines dropped` : nothing} · trace hash
      <code>${report.traceHash}</code>
    </p>
    <h3>main() returned</h3>
    <pre>${json}</pre>
    ${expected.length
      ? html`<h3>What this example shows (checked on this run)</h3>
          <ul class="expected">
            ${expected.map((c) => html`<li data-passed=${String(c.passed)}>${c.passed ? '✓' : '✗'} ${c.title}<br /><small>${c.message}</small></li>`)}
          </ul>`
      : nothing}
    ${notRun && example.expected.length ? html`<p class="not-run">${notRun}</p>` : nothing}
  </div>`;
}

/** What an opened trace file is: no result and nothing judged, only its events. */
function renderOpenedResult(fileName: string, report: RunReport): TemplateResult {
  return html`<div class="result-view">
    <p>
      Opened trace <strong>${fileName}</strong> · ${report.events.length.toLocaleString('en-US')} trace events · trace time ${(report.virtualTime / 1000).toFixed(3)} s · trace hash
      <code>${report.traceHash}</code>
    </p>
    <p class="not-run">${checksNotRun(report, { openedFile: fileName })}</p>
  </div>`;
}

/** Services that appear in a trace (as caller or callee of HTTP), for the fault form. */
export function servicesIn(events: readonly TraceEvent[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    if (e.kind === 'http.request') {
      if (e.source) names.add(e.source);
      if (e.target && e.target !== '?') names.add(e.target);
    }
  }
  names.delete('client');
  return [...names];
}

/** Queues that appear in a trace, for the fault form. */
export function queuesIn(events: readonly TraceEvent[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    const q = (e as { queue?: unknown }).queue;
    if (e.kind.startsWith('mq.') && typeof q === 'string') names.add(q);
  }
  return [...names];
}
