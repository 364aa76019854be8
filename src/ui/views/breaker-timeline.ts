import { css, html, nothing, type PropertyValues } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { breakerTimeline, type BreakerTimeline, type BreakerTrack, type BreakerWindow } from './breaker-model.js';
import { themeStyles } from './theme.js';
import { formatTime } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

const BINS = 160;
const RANK: Record<string, number> = { success: 1, ignored: 1, failure: 2, rejected: 3 };

/**
 * `<spp-breaker-timeline>`: for each circuit breaker, the time it spent
 * closed / open / half-open up to `time`, the calls it saw (success, failure,
 * rejected), and the last snapshot of its window of outcomes when the breaker
 * recorded one. The axis spans the whole trace, so scrubbing fills it in.
 *
 * Properties: `events`, `time` (scrub position, ms; default all).
 * Events: `event-select` `{ seq }` when a state change is clicked.
 *
 * @example
 * <spp-breaker-timeline .events=${trace} .time=${t}></spp-breaker-timeline>
 */
export class SppBreakerTimeline extends TraceView {
  private model: BreakerTimeline | undefined;
  private span = 1;

  static override styles = [
    themeStyles,
    css`
      :host {
        display: block;
        container-type: inline-size;
      }
      .track {
        display: grid;
        grid-template-columns: minmax(110px, 180px) 1fr;
        gap: 2px 10px;
        align-items: center;
        padding: 6px 0;
        border-bottom: 1px solid var(--_border);
      }
      .name {
        font-weight: 600;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .owner {
        font-weight: 400;
        font-size: 11px;
      }
      .bar {
        position: relative;
        height: 22px;
        border-radius: 4px;
        background: repeating-linear-gradient(135deg, transparent 0 6px, color-mix(in srgb, var(--_border) 50%, transparent) 6px 7px);
        border: 1px solid var(--_border);
        overflow: hidden;
      }
      .iv {
        position: absolute;
        top: 0;
        bottom: 0;
        color: var(--_on);
        font: 600 10px/20px var(--_mono);
        padding-left: 3px;
        overflow: hidden;
        white-space: nowrap;
      }
      /* Closed is the calm state: a tint, with the page's text colour on it. */
      .iv.closed {
        background: color-mix(in srgb, var(--_ok) 25%, var(--_bg));
        color: var(--_fg);
      }
      .iv.open {
        background: var(--_error);
      }
      .iv.half-open {
        background: var(--_warn);
      }
      .iv.isolated {
        background: var(--_muted);
      }
      .marks {
        position: relative;
        height: 8px;
        margin-top: 2px;
      }
      .mark {
        position: absolute;
        top: 0;
        width: 2px;
        height: 8px;
      }
      .mark.r1 {
        background: var(--_ok);
      }
      .mark.r2 {
        background: var(--_warn);
      }
      .mark.r3 {
        background: var(--_error);
        height: 8px;
        width: 3px;
      }
      .changes {
        grid-column: 1 / -1;
        display: flex;
        flex-wrap: wrap;
        gap: 4px;
        font-size: 11px;
      }
      .changes button {
        font: 10.5px var(--_mono);
        padding: 0 5px;
      }
      .badge {
        display: inline-block;
        border-radius: 8px;
        padding: 0 6px;
        font: 600 10.5px/16px var(--_mono);
        color: var(--_on);
      }
      .badge.closed {
        background: var(--_ok);
      }
      .badge.open {
        background: var(--_error);
      }
      .badge.half-open {
        background: var(--_warn);
      }
      .badge.isolated {
        background: var(--_muted);
      }
      .window {
        grid-column: 1 / -1;
        font: 11px var(--_mono);
        color: var(--_muted);
        display: flex;
        align-items: flex-end;
        gap: 8px;
        flex-wrap: wrap;
      }
      .buckets {
        display: inline-flex;
        align-items: flex-end;
        gap: 1px;
        height: 22px;
      }
      .bucket {
        width: 5px;
        background: var(--_ok);
        position: relative;
        min-height: 1px;
      }
      .bucket .f {
        position: absolute;
        bottom: 0;
        left: 0;
        right: 0;
        background: var(--_error);
      }
      .axis {
        position: relative;
        height: 16px;
        font: 10px var(--_mono);
        color: var(--_muted);
      }
      .axis span {
        position: absolute;
        transform: translateX(-50%);
        white-space: nowrap;
      }
      .axis span:first-child {
        transform: none;
      }
      .axis span:last-child {
        transform: translateX(-100%);
      }
      .legend {
        display: flex;
        gap: 10px;
        font-size: 11px;
        align-items: center;
      }
      /* Narrow (a phone): the name above its bar, so the bar has the whole width. */
      @container (max-width: 480px) {
        .track {
          grid-template-columns: 1fr;
        }
        .track > span:empty {
          display: none;
        }
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.model || changed.has('events') || changed.has('time')) {
      this.model = breakerTimeline(this.events, this.time);
      const last = this.events.length ? this.events[this.events.length - 1]!.time : 0;
      this.span = Math.max(1, last, Number.isFinite(this.time) ? this.time : 0);
    }
  }

  private pct(t: number): number {
    return Math.max(0, Math.min(100, (t / this.span) * 100));
  }

  protected override render() {
    const m = this.model!;
    if (m.tracks.length === 0) return html`<div class="empty">No circuit breaker in this run.</div>`;
    const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * this.span);
    return html`
      <div class="toolbar legend">
        <span><span class="badge closed">closed</span></span><span><span class="badge half-open">half-open</span></span
        ><span><span class="badge open">open</span></span>
        ${m.tracks.some((t) => t.calls.length > 0) ? html`<span class="muted">ticks: calls (green ok, amber failed, red rejected)</span>` : nothing}
      </div>
      <div class="track">
        <span></span>
        <div class="axis" aria-hidden="true">${ticks.map((t) => html`<span style=${styleMap({ left: `${this.pct(t)}%` })}>${formatTime(t)}</span>`)}</div>
      </div>
      ${m.tracks.map((t) => this.renderTrack(t))}
    `;
  }

  private renderTrack(t: BreakerTrack) {
    const label = t.intervals.map((iv) => `${iv.state} ${formatTime(iv.start)}–${formatTime(iv.end)}`).join(', ');
    return html`
      <div class="track" data-breaker=${t.name}>
        <div class="name" title=${t.owner ? `${t.name} (in ${t.owner})` : t.name}>
          ${t.name} <span class="badge ${t.state}">${t.state}</span>
          ${t.owner ? html`<div class="owner muted">in ${t.owner}</div>` : nothing}
        </div>
        <div>
          <div class="bar" role="img" aria-label="Breaker ${t.name}: ${label}">
            ${t.intervals.map(
              (iv) =>
                html`<div
                  class="iv ${iv.state}"
                  title="${iv.state}: ${formatTime(iv.start)} – ${formatTime(iv.end)}"
                  style=${styleMap({ left: `${this.pct(iv.start)}%`, width: `${Math.max(0.3, this.pct(iv.end) - this.pct(iv.start))}%` })}
                >
                  ${this.pct(iv.end) - this.pct(iv.start) > 8 ? iv.state : ''}
                </div>`,
            )}
          </div>
          <div class="marks" aria-hidden="true">${this.renderMarks(t)}</div>
        </div>
        <div class="changes">
          ${t.transitions.map(
            (c) =>
              html`<button title=${c.window ? `Show in the trace. ${windowText(c.window)}` : 'Show this change in the trace'} @click=${() => emit(this, 'event-select', { seq: c.seq })}>
                ${formatTime(c.time)} → ${c.to}${c.reason ? ` (${c.reason})` : ''}
              </button>`,
          )}
        </div>
        <div class="window">${renderWhy(t)}</div>
      </div>
    `;
  }

  /** Calls binned so a long run draws at most {@link BINS} marks, each showing its worst outcome. */
  private renderMarks(t: BreakerTrack) {
    const bins = new Map<number, number>();
    for (const c of t.calls) {
      const b = Math.min(BINS - 1, Math.floor((c.time / this.span) * BINS));
      const r = RANK[c.outcome] ?? 1;
      if ((bins.get(b) ?? 0) < r) bins.set(b, r);
    }
    return [...bins].map(([b, r]) => html`<span class="mark r${r}" style=${styleMap({ left: `${(b / BINS) * 100}%` })}></span>`);
  }
}

/** One line about a window of outcomes: `4 calls · 3 failed · failure rate 75%`. */
function windowText(w: BreakerWindow): string {
  const parts = [`${w.calls} calls`, `${w.failures} failed`];
  if (w.slowCalls) parts.push(`${w.slowCalls} slow`);
  if (w.failureRate !== undefined) parts.push(`failure rate ${Math.round(w.failureRate * 100)}%`);
  if (w.consecutiveFailures !== undefined) parts.push(`${w.consecutiveFailures} in a row`);
  return `${w.kind} window: ${parts.join(' · ')}`;
}

/** Why the breaker last opened (the window it opened on), else its latest window. */
function renderWhy(t: BreakerTrack) {
  const opened = [...t.transitions].reverse().find((c) => c.to === 'open' && c.window);
  const w = opened?.window ?? t.window;
  if (!w) return nothing;
  const lead = opened ? `opened at ${formatTime(opened.time)}${opened.reason ? ` (${opened.reason})` : ''} on` : `at ${formatTime(w.time)}:`;
  const max = Math.max(1, ...(w.buckets ?? []).map((b) => b.calls));
  return html`<span>${lead} ${windowText(w)}</span>
    ${w.buckets?.length
      ? html`<span class="buckets" title="calls per bucket, failures in red">
          ${w.buckets.map(
            (b) =>
              html`<span class="bucket" style=${styleMap({ height: `${(b.calls / max) * 100}%` })}
                ><span class="f" style=${styleMap({ height: `${b.calls ? (b.failures / b.calls) * 100 : 0}%` })}></span
              ></span>`,
          )}
        </span>`
      : nothing}`;
}

define('spp-breaker-timeline', SppBreakerTimeline);

declare global {
  interface HTMLElementTagNameMap {
    'spp-breaker-timeline': SppBreakerTimeline;
  }
}
