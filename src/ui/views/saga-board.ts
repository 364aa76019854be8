import { css, html, nothing, type PropertyValues } from 'lit';
import { sagaBoard, stateTone, type OrchestratedSagaView, type SagaBoard, type SagaFlowView, type SagaStepView } from './saga-model.js';
import { themeStyles } from './theme.js';
import { formatTime } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

/** Most business keys listed at once (a run may place thousands of orders). */
const MAX_ROWS = 200;

const STEP_MARK: Record<SagaStepView['status'], string> = {
  waiting: '·',
  running: '…',
  retrying: '↻',
  done: '✓',
  failed: '✗',
  unknown: '?',
  compensating: '↩…',
  compensated: '↩',
};

type Show = 'all' | 'open' | 'bad';

/**
 * `<spp-saga-board>`: the sagas of a run at the scrub time. Orchestrated
 * sagas (from `saga.*` events) are listed with each step's status (done,
 * retrying, failed, compensated…) and how the saga ended; below, one row per
 * business key (order) with the state each participant holds for it and the
 * effects applied to it, so a pending order, a double charge or a refund of
 * nothing stands out.
 * Every status is a button that shows its event in the trace.
 *
 * Properties: `events`, `time` (scrub position, ms; default all).
 * Events: `event-select` `{ seq }`.
 *
 * @example
 * <spp-saga-board .events=${trace} .time=${t} @event-select=${onSelect}></spp-saga-board>
 */
export class SppSagaBoard extends TraceView {
  static override properties = {
    filter: { state: true },
    show: { state: true },
  };

  declare private filter: string;
  declare private show: Show;
  private model: SagaBoard | undefined;

  constructor() {
    super();
    this.filter = '';
    this.show = 'all';
  }

  static override styles = [
    themeStyles,
    css`
      h3 {
        font-size: 12px;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        color: var(--_muted);
        margin: 8px 0 6px;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 12px;
      }
      th,
      td {
        text-align: left;
        padding: 3px 6px;
        border-bottom: 1px solid var(--_border);
        vertical-align: top;
      }
      th {
        font-weight: 600;
        color: var(--_muted);
        position: sticky;
        top: 0;
        background: var(--_bg);
      }
      td.key {
        font: 600 11.5px var(--_mono);
        white-space: nowrap;
      }
      .steps {
        display: flex;
        flex-wrap: wrap;
        gap: 3px;
      }
      button.chip {
        font: 11px var(--_mono);
        padding: 0 6px;
        border-radius: 9px;
        border: 1px solid var(--c, var(--_border));
        color: var(--c, var(--_fg));
        background: color-mix(in srgb, var(--c, var(--_border)) 10%, var(--_bg));
        white-space: nowrap;
      }
      .t-ok,
      .done,
      .completed {
        --c: var(--_ok);
      }
      .t-bad,
      .failed,
      .unknown {
        --c: var(--_error);
      }
      .compensating,
      .compensated {
        --c: var(--_comp);
      }
      .running,
      .retrying,
      .t-open {
        --c: var(--_accent);
      }
      .waiting {
        --c: var(--_muted);
      }
      tr.t-bad td.key {
        color: var(--_error);
      }
      tr.t-open td.key {
        color: var(--_accent);
      }
      .effects {
        font-size: 11px;
        color: var(--_muted);
      }
      .effects button {
        font: 11px var(--_mono);
        padding: 0 4px;
        border: none;
        background: none;
        color: inherit;
        text-decoration: underline dotted;
      }
      .effects button.warn {
        color: var(--_error);
        font-weight: 600;
      }
      .filters {
        display: flex;
        gap: 8px;
        align-items: center;
        flex-wrap: wrap;
        margin-bottom: 6px;
        font-size: 12px;
      }
      .filters input[type='search'] {
        font: inherit;
        width: 12em;
      }
      .counts span {
        margin-right: 8px;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.model || changed.has('events') || changed.has('time')) this.model = sagaBoard(this.events, this.time);
  }

  protected override render() {
    const m = this.model!;
    if (m.orchestrated.length === 0 && m.flows.length === 0 && Number.isFinite(this.time)) {
      const whole = sagaBoard(this.events);
      if (whole.orchestrated.length > 0 || whole.flows.length > 0) return html`<div class="empty">No saga has started by ${formatTime(this.time)}: move the time scrubber on.</div>`;
    }
    if (m.orchestrated.length === 0 && m.flows.length === 0)
      return html`<div class="empty">
        No saga in this run. Orchestrated sagas (<code>saga.*</code> events) and the state each service holds per order (<code>state</code> events with a
        component like <code>order:o-1</code>, as the playground's <code>effects.status</code> and saga participants record them) appear here.
      </div>`;
    return html`${m.orchestrated.length ? this.renderOrchestrated(m.orchestrated) : nothing}${m.flows.length ? this.renderFlows(m) : nothing}`;
  }

  private select(seq: number | undefined) {
    if (seq !== undefined) emit(this, 'event-select', { seq });
  }

  private renderOrchestrated(list: readonly OrchestratedSagaView[]) {
    const ended = list.filter((s) => s.status === 'completed' || s.status === 'compensated').length;
    return html`
      <h3>Orchestrated sagas · ${list.length} (${ended} ended)</h3>
      <table aria-label="Orchestrated sagas">
        <thead>
          <tr><th>saga</th><th>steps</th><th>outcome</th></tr>
        </thead>
        <tbody>
          ${list.map(
            (s) => html`<tr data-saga=${s.sagaId}>
              <td class="key" title="${s.saga}${s.orchestrator ? ` in ${s.orchestrator}` : ''}, started at ${formatTime(s.start)}">${s.sagaId}</td>
              <td>
                <div class="steps">
                  ${s.steps.map((step) => {
                    // Compensating a step that never ran undoes something that did not happen.
                    const phantom = (step.status === 'compensated' || step.status === 'compensating') && step.attempts === 0;
                    return html`<button
                      class="chip ${phantom ? 'failed phantom' : step.status}"
                      title="${step.name}: ${step.status}${phantom ? ', but it never ran' : ''}${step.attempts > 1 ? `, ${step.attempts} attempts` : ''}${step.compensations ? `, compensation attempts ${step.compensations}` : ''}${step.error ? ` (${step.error})` : ''}"
                      ?disabled=${step.lastSeq === undefined}
                      @click=${() => this.select(step.lastSeq)}
                    >
                      ${phantom ? '⚠ ' : ''}${STEP_MARK[step.status]} ${step.name}${step.attempts > 1 ? html` ×${step.attempts}` : nothing}
                    </button>`;
                  })}
                </div>
              </td>
              <td>
                <button class="chip ${s.status}" title=${s.error ? `${s.failedStep ?? 'a step'} failed: ${s.error}` : s.status} @click=${() => this.select(s.statusSeq)}>
                  ${s.status}${s.resumes ? ` · resumed ×${s.resumes}` : ''}
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private renderFlows(m: SagaBoard) {
    const counts = { ok: 0, bad: 0, open: 0 };
    for (const f of m.flows) counts[f.tone]++;
    const needle = this.filter.trim().toLowerCase();
    const rows = m.flows.filter(
      (f) => (this.show === 'all' || (this.show === 'open' ? f.tone === 'open' : f.tone === 'bad')) && (needle === '' || f.key.toLowerCase().includes(needle)),
    );
    return html`
      <h3>State per order · ${m.flows.length}</h3>
      <div class="filters">
        <span class="counts" role="status"
          ><span class="t-ok" style="color: var(--c)">${counts.ok} finished</span><span class="t-bad" style="color: var(--c)">${counts.bad} cancelled or failed</span
          ><span class="t-open" style="color: var(--c)">${counts.open} still open</span></span
        >
        <label
          >Show
          <select aria-label="Which orders" .value=${this.show} @change=${(e: Event) => (this.show = (e.target as HTMLSelectElement).value as Show)}>
            <option value="all">all</option>
            <option value="open">still open</option>
            <option value="bad">cancelled or failed</option>
          </select></label
        >
        <input type="search" placeholder="Find an order…" aria-label="Find an order" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
      </div>
      <table aria-label="State per order">
        <thead>
          <tr>
            <th>id</th>
            ${m.entities.map((en) => html`<th>${en}</th>`)}
            <th>effects</th>
          </tr>
        </thead>
        <tbody>
          ${rows.slice(0, MAX_ROWS).map((f) => this.renderFlow(f, m.entities))}
        </tbody>
      </table>
      ${rows.length > MAX_ROWS ? html`<p class="muted">Showing ${MAX_ROWS} of ${rows.length}: find an order by its id to see the others.</p>` : nothing}
      ${rows.length === 0 ? html`<p class="muted">No order matches.</p>` : nothing}
    `;
  }

  private renderFlow(f: SagaFlowView, entities: readonly string[]) {
    return html`<tr class="t-${f.tone}" data-key=${f.key}>
      <td class="key">${f.key}</td>
      ${entities.map((en) => {
        const st = f.states.get(en);
        if (!st) return html`<td></td>`;
        const last = st.history[st.history.length - 1];
        const path = ['none', ...st.history.map((h) => h.state)].join(' → ');
        return html`<td>
          <button class="chip t-${stateTone(st.state)}" title="${path}${last ? ` (at ${formatTime(last.time)})` : ''}" @click=${() => this.select(last?.seq)}>${st.state}</button>
        </td>`;
      })}
      <td class="effects">
        ${f.effects.map(
          (fx, i) =>
            html`${i ? ' · ' : ''}<button
                class=${fx.warning ? 'warn' : ''}
                title="${fx.service}: ${fx.detail}${fx.warning ? ` (${fx.warning})` : ''}"
                @click=${() => this.select(fx.seq)}
              >
                ${fx.warning ? '⚠ ' : ''}${shortEffect(fx.detail)}
              </button>`,
        )}
      </td>
    </tr>`;
  }
}

/** `charged 40 for o-1` → `charged 40`; the order is the row already. */
function shortEffect(detail: string): string {
  return detail.replace(/ for [^ ]+$/, '').replace(/^placed [^:]+: /, 'placed ');
}

define('spp-saga-board', SppSagaBoard);

declare global {
  interface HTMLElementTagNameMap {
    'spp-saga-board': SppSagaBoard;
  }
}
