import { css, html, nothing, type PropertyValues } from 'lit';
import { computeMetrics, type Metrics } from './metrics-model.js';
import { stackedTable } from './stacked-table.js';
import { themeStyles } from './theme.js';
import { TraceView } from './trace-view.js';
import { define } from './view-events.js';

/**
 * `<spp-metrics>`: per route, calls, failures (error status, timeout,
 * refused) and p50/p99 latency; per queue, messages published, delivered,
 * acked, nacked, dead-lettered and the depth — all up to `time`.
 *
 * Properties: `events`, `time` (scrub position, ms; default all).
 *
 * @example
 * <spp-metrics .events=${trace} .time=${t}></spp-metrics>
 */
export class SppMetrics extends TraceView {
  private model: Metrics | undefined;

  static override styles = [
    themeStyles,
    css`
      table.routes {
        --cols: 7;
      }
      table.queues {
        --cols: 9;
      }
      /* Each heading needs about 60 px ("timeouts", "delivered"). */
      @container spp-stack (max-width: 619.98px) {
        table.queues {
          --cols: 5;
        }
      }
      @container spp-stack (max-width: 479.98px) {
        table.routes {
          --cols: 4;
        }
      }
      .wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 12px;
        margin-bottom: 10px;
      }
      caption {
        text-align: left;
        font-weight: 600;
        padding: 4px 0;
      }
      th,
      td {
        padding: 3px 6px;
        border-bottom: 1px solid var(--_border);
        text-align: right;
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      tbody th {
        font-family: var(--_mono);
        font-weight: normal;
        color: inherit;
      }
      th {
        cursor: default;
      }
      th {
        color: var(--_muted);
        font-weight: 600;
      }
      .bad {
        color: var(--_error);
        font-weight: 600;
      }
      .warn {
        color: var(--_warn);
        font-weight: 600;
      }
      .totals {
        display: flex;
        gap: 16px;
        flex-wrap: wrap;
        margin-bottom: 6px;
      }
      .totals b {
        font-size: 16px;
        margin-right: 4px;
      }
    `,
    // Seven or nine columns of figures do not fit beside a long route in the views column (about 500 px
    // at 1280 px, 360 on a phone): below 720 px each row's name goes on a line of its own, its figures under it.
    stackedTable(720, 'var(--_border)'),
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.model || changed.has('events') || changed.has('time')) this.model = computeMetrics(this.events, this.time);
  }

  protected override render() {
    const m = this.model!;
    const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v * 10) / 10} ms`);
    const n = (v: number, cls = 'bad') => (v ? html`<span class=${cls}>${v}</span>` : html`0`);
    return html`
      <div class="totals">
        <span><b>${m.totals.calls}</b>calls</span>
        <span class=${m.totals.failures ? 'bad' : ''}><b>${m.totals.failures}</b>failed</span>
        <span><b>${m.totals.messages}</b>messages</span>
        <span class=${m.totals.deadLettered ? 'bad' : ''}><b>${m.totals.deadLettered}</b>dead-lettered</span>
      </div>
      <div class="wrap stack" role="region" aria-label="Metrics tables" tabindex="0">
        ${m.routes.length
          ? html`<table class="routes" role="table">
              <caption>
                HTTP routes
              </caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">route</th>
                  <th scope="col" role="columnheader">calls</th>
                  <th scope="col" role="columnheader">failed</th>
                  <th scope="col" role="columnheader">timeouts</th>
                  <th scope="col" role="columnheader">refused</th>
                  <th scope="col" role="columnheader">late</th>
                  <th scope="col" role="columnheader">p50</th>
                  <th scope="col" role="columnheader">p99</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                ${m.routes.map(
                  (r) => html`<tr role="row" data-route=${r.route}>
                    <th scope="row" role="rowheader">${r.route}</th>
                    <td role="cell">${r.calls}</td>
                    <td role="cell">${n(r.failures)}${r.calls ? html` <span class="muted">(${Math.round((r.failures / r.calls) * 100)}%)</span>` : nothing}</td>
                    <td role="cell">${n(r.timeouts, 'warn')}</td>
                    <td role="cell">${n(r.refused)}</td>
                    <td role="cell">${n(r.late, 'warn')}</td>
                    <td role="cell">${ms(r.p50)}</td>
                    <td role="cell">${ms(r.p99)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : nothing}
        ${m.queues.length
          ? html`<table class="queues" role="table">
              <caption>
                Queues
              </caption>
              <thead role="rowgroup">
                <tr role="row">
                  <th scope="col" role="columnheader">queue</th>
                  <th scope="col" role="columnheader" title="messages that entered the queue">in</th>
                  <th scope="col" role="columnheader" title="deliveries to consumers">delivered</th>
                  <th scope="col" role="columnheader" title="deliveries of a message delivered before">redeliv.</th>
                  <th scope="col" role="columnheader" title="acknowledged">acked</th>
                  <th scope="col" role="columnheader" title="nacked or rejected">nacked</th>
                  <th scope="col" role="columnheader" title="sent to the dead-letter exchange">DLX</th>
                  <th scope="col" role="columnheader" title="dropped by the broker">lost</th>
                  <th scope="col" role="columnheader" title="waiting to be delivered">ready</th>
                  <th scope="col" role="columnheader" title="delivered, not yet acknowledged">unacked</th>
                </tr>
              </thead>
              <tbody role="rowgroup">
                ${m.queues.map(
                  (q) => html`<tr role="row" data-queue=${q.queue}>
                    <th scope="row" role="rowheader">${q.queue}</th>
                    <td role="cell">${q.enqueued}</td>
                    <td role="cell">${q.delivered}</td>
                    <td role="cell">${n(q.redelivered, 'warn')}</td>
                    <td role="cell">${q.acked}</td>
                    <td role="cell">${n(q.nacked, 'warn')}</td>
                    <td role="cell">${n(q.deadLettered)}</td>
                    <td role="cell">${n(q.dropped)}</td>
                    <td role="cell">${q.depth}</td>
                    <td role="cell">${q.unacked}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : nothing}
        ${!m.routes.length && !m.queues.length ? html`<div class="empty">No calls or messages yet.</div>` : nothing}
      </div>
    `;
  }
}

define('spp-metrics', SppMetrics);

declare global {
  interface HTMLElementTagNameMap {
    'spp-metrics': SppMetrics;
  }
}
