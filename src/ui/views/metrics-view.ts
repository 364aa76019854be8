import { css, html, nothing, type PropertyValues } from 'lit';
import { computeMetrics, type Metrics } from './metrics-model.js';
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
      td:first-child {
        font-family: var(--_mono);
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
      <div class="wrap" role="region" aria-label="Metrics tables" tabindex="0">
        ${m.routes.length
          ? html`<table>
              <caption>
                HTTP routes
              </caption>
              <thead>
                <tr>
                  <th scope="col">route</th>
                  <th scope="col">calls</th>
                  <th scope="col">failed</th>
                  <th scope="col">timeouts</th>
                  <th scope="col">refused</th>
                  <th scope="col">late</th>
                  <th scope="col">p50</th>
                  <th scope="col">p99</th>
                </tr>
              </thead>
              <tbody>
                ${m.routes.map(
                  (r) => html`<tr data-route=${r.route}>
                    <td>${r.route}</td>
                    <td>${r.calls}</td>
                    <td>${n(r.failures)}${r.calls ? html` <span class="muted">(${Math.round((r.failures / r.calls) * 100)}%)</span>` : nothing}</td>
                    <td>${n(r.timeouts, 'warn')}</td>
                    <td>${n(r.refused)}</td>
                    <td>${n(r.late, 'warn')}</td>
                    <td>${ms(r.p50)}</td>
                    <td>${ms(r.p99)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
          : nothing}
        ${m.queues.length
          ? html`<table>
              <caption>
                Queues
              </caption>
              <thead>
                <tr>
                  <th scope="col">queue</th>
                  <th scope="col" title="messages that entered the queue">in</th>
                  <th scope="col" title="deliveries to consumers">delivered</th>
                  <th scope="col" title="deliveries of a message delivered before">redeliv.</th>
                  <th scope="col" title="acknowledged">acked</th>
                  <th scope="col" title="nacked or rejected">nacked</th>
                  <th scope="col" title="sent to the dead-letter exchange">DLX</th>
                  <th scope="col" title="dropped by the broker">lost</th>
                  <th scope="col" title="waiting to be delivered">ready</th>
                  <th scope="col" title="delivered, not yet acknowledged">unacked</th>
                </tr>
              </thead>
              <tbody>
                ${m.queues.map(
                  (q) => html`<tr data-queue=${q.queue}>
                    <td>${q.queue}</td>
                    <td>${q.enqueued}</td>
                    <td>${q.delivered}</td>
                    <td>${n(q.redelivered, 'warn')}</td>
                    <td>${q.acked}</td>
                    <td>${n(q.nacked, 'warn')}</td>
                    <td>${n(q.deadLettered)}</td>
                    <td>${n(q.dropped)}</td>
                    <td>${q.depth}</td>
                    <td>${q.unacked}</td>
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
