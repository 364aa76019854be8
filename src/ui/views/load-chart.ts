import { css, html, nothing, type PropertyValues } from 'lit';
import { amplification, loadChart, type LoadChart, type LoadSeries } from './load-model.js';
import { bottomMargin, lineChart, niceMax, type ChartLine } from './load-chart-svg.js';
import { ResizeController } from './resize-controller.js';
import { themeStyles } from './theme.js';
import { formatTime } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define } from './view-events.js';

const CHART_HEIGHT = 96;
const SERVICE_CLASSES = ['l-svc0', 'l-svc1', 'l-svc2'];

/** A legend entry: a short line in the series' colour and dash, and its name. */
const key = (cls: string, label: string) =>
  html`<span class="key"><svg width="22" height="8" aria-hidden="true"><g class="line ${cls}"><line x1="1" x2="21" y1="4" y2="4"></line></g></svg>${label}</span>`;

const msText = (v: number | undefined) => (v === undefined ? '—' : v < 1000 ? `${Math.round(v)} ms` : `${Math.round(v / 10) / 100} s`);
const pctText = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v * 1000) / 10}%`);

/**
 * `<spp-load-chart>`: for each `load()` of the run, per second of virtual
 * time, the calls sent, succeeded and failed next to the calls that reached
 * each service (so a retry storm shows as a service line far above the sent
 * line), the error rate, latency p50/p95/p99 and the calls in flight — all
 * up to `time`, on an axis that spans the whole run. A run with several
 * loads offers a choice of load. Every chart has a text alternative, and a
 * table gives the same numbers per second. Renders nothing for a run
 * without a load.
 *
 * Properties: `events`, `time` (scrub position, ms; default all).
 *
 * @example
 * <spp-load-chart .events=${trace} .time=${t}></spp-load-chart>
 */
export class SppLoadChart extends TraceView {
  static override properties = {
    _width: { state: true },
    _selected: { state: true },
  };

  declare private _width: number;
  declare private _selected: string | undefined;
  private model: LoadChart | undefined;

  constructor() {
    super();
    this._width = 600;
    this._selected = undefined;
    new ResizeController(this, {
      onResize: () => {
        const w = Math.floor(this.clientWidth);
        if (w > 0 && Math.abs(w - this._width) > 4) this._width = w;
      },
    });
  }

  static override styles = [
    themeStyles,
    css`
      :host {
        margin-bottom: 12px;
      }
      h3 {
        font-size: 13px;
        margin: 0 0 4px;
      }
      .summary {
        margin: 0 0 6px;
      }
      .picker {
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        align-items: center;
        margin-bottom: 6px;
      }
      figure {
        margin: 0 0 4px;
      }
      figcaption {
        display: flex;
        flex-wrap: wrap;
        gap: 2px 10px;
        align-items: center;
        font-size: 11.5px;
      }
      figcaption b {
        font-weight: 600;
        margin-right: 2px;
      }
      .key {
        display: inline-flex;
        align-items: center;
        gap: 3px;
        color: var(--_muted);
      }
      svg.chart {
        display: block;
        width: 100%;
        overflow: visible;
      }
      .grid {
        stroke: var(--_border);
        stroke-width: 1;
      }
      .ylab,
      .xlab {
        font: 10px var(--_mono);
        fill: var(--_muted);
      }
      .ylab {
        text-anchor: end;
      }
      .xlab {
        text-anchor: middle;
      }
      .cursor {
        stroke: var(--_accent);
        stroke-width: 1.5;
        stroke-dasharray: 3 2;
      }
      .line {
        fill: none;
        stroke: var(--c);
        stroke-width: var(--w, 1.75);
        stroke-dasharray: var(--dash, none);
        stroke-linejoin: round;
      }
      .line circle {
        fill: var(--c);
        stroke: none;
      }
      .line .area {
        fill: color-mix(in srgb, var(--c) 18%, transparent);
        stroke: none;
      }
      .l-sent { --c: var(--_fg); }
      .l-ok { --c: var(--_ok); }
      .l-failed { --c: var(--_error); --dash: 5 2; }
      .l-svc0 { --c: var(--_accent); --dash: 7 3; --w: 2.25; }
      .l-svc1 { --c: var(--_retry); --dash: 2 3; --w: 2.25; }
      .l-svc2 { --c: var(--_comp); --dash: 9 3 2 3; }
      .l-errors { --c: var(--_error); }
      .l-p50 { --c: var(--_accent); }
      .l-p95 { --c: var(--_warn); --dash: 5 2; }
      .l-p99 { --c: var(--_error); --dash: 2 2; --w: 2.5; }
      .l-inflight { --c: var(--_retry); }
      details {
        margin-top: 4px;
      }
      summary {
        cursor: pointer;
        font-size: 12px;
      }
      .table-wrap {
        overflow-x: auto;
        max-height: 260px;
        overflow-y: auto;
      }
      table {
        border-collapse: collapse;
        font-size: 11.5px;
        width: 100%;
      }
      th,
      td {
        padding: 2px 6px;
        border-bottom: 1px solid var(--_border);
        text-align: right;
        white-space: nowrap;
        font-variant-numeric: tabular-nums;
      }
      th {
        color: var(--_muted);
        font-weight: 600;
        position: sticky;
        top: 0;
        background: var(--_bg);
      }
      .bad {
        color: var(--_error);
        font-weight: 600;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.model || changed.has('events') || changed.has('time')) this.model = loadChart(this.events, this.time);
    // Nothing to show (and no space taken) for a run without a load.
    this.hidden = this.model.loads.length === 0;
  }

  private get load(): LoadSeries | undefined {
    const loads = this.model!.loads;
    return loads.find((l) => l.name === this._selected) ?? loads[0];
  }

  protected override render() {
    const m = this.model!;
    const load = this.load;
    if (!load) return nothing;
    return html`
      <h3>Load</h3>
      ${m.loads.length > 1
        ? html`<div class="picker" role="group" aria-label="Load to show">
            ${m.loads.map(
              (l) => html`<button aria-pressed=${String(l === load)} data-load=${l.name} @click=${() => (this._selected = l.name)}>${l.name}</button>`,
            )}
          </div>`
        : nothing}
      <p class="summary">${this.summary(load)}</p>
      ${this.renderCharts(load)} ${this.renderTable(load)}
    `;
  }

  /** One sentence: the load, what came of it, and the amplification on each service. */
  private summary(l: LoadSeries) {
    const m = this.model!;
    const t = l.totals;
    const settled = t.ok + t.failed;
    const amp = m.services
      .map((s) => [s.service, amplification(m, s)] as const)
      .filter(([, a]) => a !== undefined)
      .map(([svc, a]) => `${svc} ×${a!.toFixed(2)}`);
    return html`<b>${l.name}</b>: ${l.ratePerSecond}/s for ${formatTime(l.durationMs)}${l.clients > 1 ? ` from ${l.clients} clients` : ''} · ${t.sent} sent ·
      ${t.ok} ok · <span class=${t.failed ? 'bad' : ''}>${t.failed} failed${settled ? ` (${pctText(t.failed / settled)})` : ''}</span> · p99 ${msText(t.p99)}
      ${amp.length ? html`<br /><span class="muted" title="HTTP calls that reached each service per call the loads sent">calls per load call: ${amp.join(', ')}</span>` : nothing}`;
  }

  private renderCharts(l: LoadSeries) {
    const m = this.model!;
    const s = l.seconds;
    // Calls to services are counted for the whole run, whichever load made them.
    const all = m.loads.length > 1 ? ' (all loads)' : '';
    const services = m.services.map((svc, i) => ({ cls: SERVICE_CLASSES[i]!, values: svc.perSecond, label: `${svc.service}${all}` }));
    const throughputMax = niceMax(Math.max(1, ...s.map((x) => Math.max(x.sent, x.ok + x.failed)), ...services.flatMap((v) => v.values)));
    const latencyMax = niceMax(Math.max(1, ...s.map((x) => x.p99 ?? 0)));
    const inflightMax = niceMax(Math.max(1, ...s.map((x) => x.inFlight)));
    const peak = (vals: readonly (number | undefined)[]) => Math.max(0, ...vals.map((v) => v ?? 0));
    const charts: { id: string; title: string; keys: [string, string][]; lines: ChartLine[]; yMax: number; yLabel: (v: number) => string; alt: string }[] = [
      {
        id: 'throughput',
        title: 'Calls per second',
        keys: [['l-sent', 'sent'], ['l-ok', 'ok'], ['l-failed', 'failed'], ...services.map((v): [string, string] => [v.cls, `to ${v.label}`])],
        lines: [{ cls: 'l-sent', values: s.map((x) => x.sent) }, { cls: 'l-ok', values: s.map((x) => x.ok) }, { cls: 'l-failed', values: s.map((x) => x.failed) }, ...services],
        yMax: throughputMax,
        yLabel: (v) => String(Math.round(v)),
        alt: `Calls per second: at most ${peak(s.map((x) => x.sent))} sent, ${peak(s.map((x) => x.ok))} ok and ${peak(s.map((x) => x.failed))} failed in one second${services.map((v) => `; at most ${peak(v.values)} reached ${v.label}`).join('')}.`,
      },
      {
        id: 'errors',
        title: 'Error rate',
        keys: [['l-errors', 'failed ÷ settled']],
        lines: [{ cls: 'l-errors', values: s.map((x) => x.errorRate), area: true }],
        yMax: 1,
        yLabel: (v) => `${Math.round(v * 100)}%`,
        alt: `Error rate: at most ${pctText(peak(s.map((x) => x.errorRate)))} in one second; ${secondsOver(s.map((x) => x.errorRate), 0.1)} of ${m.span} seconds at 10% or more.`,
      },
      {
        id: 'latency',
        title: 'Latency',
        keys: [['l-p50', 'p50'], ['l-p95', 'p95'], ['l-p99', 'p99']],
        lines: [{ cls: 'l-p50', values: s.map((x) => x.p50) }, { cls: 'l-p95', values: s.map((x) => x.p95) }, { cls: 'l-p99', values: s.map((x) => x.p99) }],
        yMax: latencyMax,
        yLabel: (v) => (latencyMax >= 2000 ? `${Math.round(v / 100) / 10}s` : `${Math.round(v)}`),
        alt: `Latency of the calls that ended each second: p50 at most ${msText(peak(s.map((x) => x.p50)))}, p99 at most ${msText(peak(s.map((x) => x.p99)))}.`,
      },
      {
        id: 'inflight',
        title: 'In flight',
        keys: [['l-inflight', 'most calls at once']],
        lines: [{ cls: 'l-inflight', values: s.map((x) => x.inFlight) }],
        yMax: inflightMax,
        yLabel: (v) => String(Math.round(v)),
        alt: `Calls in flight: at most ${peak(s.map((x) => x.inFlight))} at once.`,
      },
    ];
    return charts.map((c, i) => {
      const xLabels = i === charts.length - 1;
      const height = CHART_HEIGHT - 6 + bottomMargin(xLabels);
      return html`<figure data-chart=${c.id}>
        <figcaption><b>${c.title}</b>${c.keys.map(([cls, label]) => key(cls, label))}</figcaption>
        <svg class="chart" role="img" aria-label=${c.alt} viewBox="0 0 ${this._width} ${height}" height=${height} preserveAspectRatio="none">
          ${lineChart({ width: this._width, height, span: m.span, yMax: c.yMax, yLabel: c.yLabel, lines: c.lines, cursor: this.time, xLabels })}
        </svg>
      </figure>`;
    });
  }

  private renderTable(l: LoadSeries) {
    const m = this.model!;
    return html`<details>
      <summary>The numbers per second (table)</summary>
      <div class="table-wrap" role="region" aria-label="Load ${l.name} per second" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">second</th>
              <th scope="col">sent</th>
              <th scope="col">ok</th>
              <th scope="col">failed</th>
              <th scope="col">error rate</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">p99</th>
              <th scope="col">in flight</th>
              ${m.services.map((s) => html`<th scope="col">to ${s.service}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${l.seconds.map(
              (x, i) => html`<tr>
                <th scope="row">${i}–${i + 1} s</th>
                <td>${x.sent}</td>
                <td>${x.ok}</td>
                <td class=${x.failed ? 'bad' : ''}>${x.failed}</td>
                <td>${pctText(x.errorRate)}</td>
                <td>${msText(x.p50)}</td>
                <td>${msText(x.p95)}</td>
                <td>${msText(x.p99)}</td>
                <td>${x.inFlight}</td>
                ${m.services.map((s) => html`<td>${s.perSecond[i]}</td>`)}
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
  }
}

/** Seconds whose value is at least `threshold`. */
function secondsOver(values: readonly (number | undefined)[], threshold: number): number {
  return values.filter((v) => v !== undefined && v >= threshold).length;
}


define('spp-load-chart', SppLoadChart);

declare global {
  interface HTMLElementTagNameMap {
    'spp-load-chart': SppLoadChart;
  }
}
