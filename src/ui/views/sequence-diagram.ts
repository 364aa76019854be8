import { css, html, nothing, svg, type PropertyValues, type SVGTemplateResult } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';
import type { EventStyle } from './event-view.js';
import { partyName } from './parties.js';
import { layoutSequence, prepareSequence, visibleRows, type PreparedSequence, type SequenceLayout, type SequenceRow } from './sequence-model.js';
import { ResizeController } from './resize-controller.js';
import { eventStyleRules, themeStyles } from './theme.js';
import { formatTime, truncate } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

const HEADER = 34;
const CROSS_END = new Set<EventStyle>(['timeout', 'refused', 'canceled', 'late', 'fault']);
const OPEN_END = new Set<EventStyle>(['message', 'deliver', 'redeliver', 'ack', 'nack', 'retry']);
const KIND_MARK: Record<string, string> = { exchange: '⇄ ', queue: '☰ ', client: '◉ ', broker: '⛁ ' };

/**
 * `<spp-sequence-diagram>`: the trace as a sequence diagram (SVG), one lifeline
 * per party and one row per event up to `time`. Repeated identical exchanges
 * fold into one row (click to unfold); only the rows in view are rendered, so
 * traces of 10,000 events scroll smoothly inside the element's own box.
 *
 * Properties: `events`, `time` (scrub position, ms; default all), `selectedSeq`.
 * Events: `event-select` `{ seq }` when an arrow or note is clicked (or chosen
 * with ↑/↓ and Enter).
 *
 * @example
 * <spp-sequence-diagram .events=${trace} .time=${t} @event-select=${(e) => show(e.detail.seq)}></spp-sequence-diagram>
 */
export class SppSequenceDiagram extends TraceView {
  static override properties = {
    selectedSeq: { type: Number, attribute: 'selected-seq' },
    fold: { type: Boolean },
    showDebug: { type: Boolean, attribute: 'show-debug' },
    _expanded: { state: true },
    _scrollTop: { state: true },
    _viewport: { state: true },
    _scrollLeft: { state: true },
    _viewWidth: { state: true },
    _active: { state: true },
  };

  declare selectedSeq: number | undefined;
  /** Fold runs of identical exchanges (default true). */
  declare fold: boolean;
  /** Show debug-level log lines (default false). */
  declare showDebug: boolean;
  declare private _expanded: ReadonlySet<number>;
  declare private _scrollTop: number;
  declare private _viewport: number;
  declare private _scrollLeft: number;
  declare private _viewWidth: number;
  declare private _active: number;

  private layout: SequenceLayout | undefined;
  private prepared: PreparedSequence | undefined;
  private atBottom = true;
  private frame = 0;
  private columnWidth = 170;

  constructor() {
    super();
    this.selectedSeq = undefined;
    this.fold = true;
    this.showDebug = false;
    this._expanded = new Set();
    this._scrollTop = 0;
    this._viewport = 400;
    this._scrollLeft = 0;
    this._viewWidth = 800;
    this._active = -1;
    // The scroller's size sets how many rows are rendered and how wide the lifelines are. It is
    // first measured when the observer reports it, just after the first render (before the first
    // paint): measuring in firstUpdated would set state from within an update, which Lit warns of.
    new ResizeController(this, { target: () => this.scroller, onResize: () => this.measure() });
  }

  static override styles = [
    themeStyles,
    eventStyleRules,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 420px;
        min-height: 160px;
      }
      .scroller {
        position: relative;
        flex: 1;
        min-height: 0;
        overflow: auto;
        border: 1px solid var(--_border);
        border-radius: 6px;
        background: var(--_bg);
      }
      svg {
        display: block;
      }
      svg.head {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--_bg);
      }
      .lifeline-box {
        fill: var(--_surface);
        stroke: var(--_border);
      }
      .lifeline-box.queue,
      .lifeline-box.exchange {
        stroke: var(--_accent);
        stroke-dasharray: 4 2;
      }
      .lifeline-name {
        fill: var(--_fg);
        font-weight: 600;
        font-size: 12px;
      }
      .lifeline {
        stroke: var(--_border);
        stroke-dasharray: 3 3;
      }
      .row {
        cursor: pointer;
      }
      .row .hit {
        fill: transparent;
      }
      .row:hover .hit {
        fill: color-mix(in srgb, var(--_accent) 8%, transparent);
      }
      .row.selected .hit,
      .row.active .hit {
        fill: color-mix(in srgb, var(--_accent) 16%, transparent);
      }
      .row.active .hit {
        stroke: var(--_accent);
        stroke-width: 1.5;
      }
      .row.s-compensation .hit {
        fill: color-mix(in srgb, var(--_comp) 12%, transparent);
      }
      .gutter {
        fill: var(--_bg);
        opacity: 0.92;
      }
      .hint {
        fill: var(--c, var(--_muted));
        opacity: 0.75;
        font: italic 10.5px var(--_mono);
      }
      .s-breaker .note-box {
        stroke-width: 2;
      }
      .s-breaker .label {
        font-weight: 700;
      }
      .time {
        fill: var(--_muted);
        font: 10px var(--_mono);
      }
      .line {
        stroke: var(--c, var(--_fg));
        stroke-width: var(--w, 1.5);
        stroke-dasharray: var(--dash, none);
        fill: none;
      }
      .head-fill {
        fill: var(--c, var(--_fg));
      }
      .head-open {
        stroke: var(--c, var(--_fg));
        stroke-width: 1.5;
        fill: none;
      }
      .label {
        fill: var(--c, var(--_fg));
        font: 11px var(--_mono);
      }
      .s-response .label,
      .s-request .label {
        fill: var(--_fg);
      }
      .note-box {
        fill: color-mix(in srgb, var(--c, var(--_muted)) 10%, var(--_bg));
        stroke: var(--c, var(--_muted));
        stroke-width: 1;
      }
      .fold-text {
        fill: var(--_accent);
        font: 11px var(--_mono);
      }
      .fold-band {
        fill: color-mix(in srgb, var(--_accent) 6%, transparent);
        stroke: var(--_accent);
        stroke-dasharray: 2 2;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 4px 10px;
        font-size: 11px;
      }
      .legend span::before {
        content: '';
        display: inline-block;
        width: 14px;
        height: 0;
        border-top: 2px solid var(--c);
        vertical-align: middle;
        margin-right: 4px;
      }
      .legend .dashed::before {
        border-top-style: dashed;
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  private get scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroller');
  }

  private measure(): void {
    const s = this.scroller;
    if (!s) return;
    this._viewport = Math.max(0, s.clientHeight - HEADER);
    this._scrollTop = Math.max(0, s.scrollTop);
    this._scrollLeft = Math.max(0, s.scrollLeft);
    this._viewWidth = s.clientWidth || 800;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      !this.layout ||
      changed.has('events') ||
      changed.has('time') ||
      changed.has('fold') ||
      changed.has('showDebug') ||
      changed.has('_viewWidth' as keyof SppSequenceDiagram) ||
      changed.has('_expanded' as keyof SppSequenceDiagram)
    ) {
      if (!this.prepared || changed.has('events')) this.prepared = prepareSequence(this.events);
      const options = {
        prepared: this.prepared,
        until: this.time,
        collapse: this.fold,
        expanded: this._expanded,
        ...(this.showDebug ? {} : { include: (e: TraceEvent) => !(e.kind === 'log' && e.level === 'debug') }),
      };
      // Narrow lifelines (down to 110 px) so that more of them fit the box before it scrolls sideways.
      // The width that fitted last time is tried first, so an update usually lays out once.
      this.layout = layoutSequence(this.events, { ...options, columnWidth: this.columnWidth });
      const lanes = this.layout.lifelines.length;
      const fit = Math.max(110, Math.min(170, Math.floor((this._viewWidth - 84 - 24) / Math.max(1, lanes))));
      if (fit !== this.columnWidth) {
        this.columnWidth = fit;
        this.layout = layoutSequence(this.events, { ...options, columnWidth: fit });
      }
      if (this._active >= this.layout.rows.length) this._active = this.layout.rows.length - 1;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const s = this.scroller;
    if (!s || !this.layout) return;
    if ((changed.has('time') || changed.has('events')) && this.atBottom && !changed.has('selectedSeq')) {
      s.scrollTop = s.scrollHeight;
    }
    if (changed.has('selectedSeq') && this.selectedSeq !== undefined) {
      const row = this.layout.rowOfSeq.get(this.selectedSeq);
      if (row !== undefined) this.scrollToRow(row);
    }
  }

  private scrollToRow(row: number): void {
    const s = this.scroller;
    if (!s || !this.layout) return;
    const top = row * this.layout.rowHeight;
    const view = s.clientHeight - HEADER;
    if (top < s.scrollTop || top + this.layout.rowHeight > s.scrollTop + view) s.scrollTop = Math.max(0, top - view / 2);
  }

  private onScroll = (): void => {
    const s = this.scroller;
    if (!s) return;
    this.atBottom = s.scrollTop + s.clientHeight >= s.scrollHeight - 30;
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.measure());
  };

  private activate(row: SequenceRow): void {
    if (row.type === 'arrow' || row.type === 'note') {
      emit(this, 'event-select', { seq: row.seq });
    } else {
      const next = new Set(this._expanded);
      if (row.type === 'collapsed') next.add(row.group);
      else next.delete(row.group);
      this._expanded = next;
    }
  }

  private onKey = (e: KeyboardEvent): void => {
    const rows = this.layout?.rows;
    if (!rows || rows.length === 0) return;
    let next = this._active;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, next + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, next < 0 ? rows.length - 1 : next - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if ((e.key === 'Enter' || e.key === ' ') && this._active >= 0) {
      e.preventDefault();
      this.activate(rows[this._active]!);
      return;
    } else return;
    e.preventDefault();
    this._active = next;
    this.scrollToRow(next);
  };

  protected override render() {
    const layout = this.layout!;
    const { start, end } = visibleRows(layout, this._scrollTop, this._viewport || 400);
    // Header boxes follow the lifeline spacing, so narrowed lifelines never overlap.
    const spacing = layout.lifelines.length > 1 ? layout.lifelines[1]!.x - layout.lifelines[0]!.x : 170;
    const boxWidth = Math.max(60, Math.min(150, spacing - 12));
    const nameChars = Math.max(8, Math.floor((boxWidth - 14) / 7.2));
    const width = layout.width + 120;
    const rows = layout.rows.slice(start, end);
    return html`
      <div class="toolbar">
        <span class="muted">${layout.eventCount} events · ${layout.rows.length} rows</span>
        <button aria-pressed=${this.fold ? 'true' : 'false'} @click=${() => (this.fold = !this.fold)} title="Fold runs of identical exchanges">
          fold repeats
        </button>
        <button aria-pressed=${this.showDebug ? 'true' : 'false'} @click=${() => (this.showDebug = !this.showDebug)}>debug logs</button>
        <span class="legend" aria-hidden="true">
          <span class="s-request">request</span><span class="s-response dashed">response</span><span class="s-error dashed">error</span>
          <span class="s-timeout dashed">timeout ✕</span><span class="s-message">message</span><span class="s-dead-letter">dead letter</span>
          <span class="s-retry">retry</span><span class="s-compensation dashed">compensation</span><span class="s-fault dashed">fault</span>
        </span>
      </div>
      <div
        class="scroller"
        tabindex="0"
        role="listbox"
        aria-label="Sequence diagram: ↑/↓ to move, Enter to select"
        @scroll=${this.onScroll}
        @keydown=${this.onKey}
      >
        ${layout.lifelines.length === 0
          ? html`<div class="empty">No events yet.</div>`
          : html`
              <svg class="head" width=${width} height=${HEADER} aria-hidden="true">
                ${layout.lifelines.map(
                  (l) => svg`<g>
                  <rect class="lifeline-box ${l.kind}" x=${l.x - boxWidth / 2} y="4" width=${boxWidth} height=${HEADER - 8} rx=${l.kind === 'queue' ? 10 : 4}></rect>
                  <text class="lifeline-name" x=${l.x} y=${HEADER / 2 + 4} text-anchor="middle">${KIND_MARK[l.kind] ?? ''}${truncate(l.name, nameChars)}</text>
                  <title>${l.kind}: ${l.name}</title></g>`,
                )}
              </svg>
              <svg class="body" width=${width} height=${Math.max(layout.height, 1)}>
                ${layout.lifelines.map((l) => svg`<line class="lifeline" x1=${l.x} x2=${l.x} y1="0" y2=${layout.height}></line>`)}
                ${rows.map((r, i) => this.renderRow(r, start + i, width))}
              </svg>
            `}
      </div>
    `;
  }

  private renderRow(r: SequenceRow, index: number, width: number): SVGTemplateResult {
    const h = this.layout!.rowHeight;
    const active = index === this._active ? ' active' : '';
    if (r.type === 'collapsed' || r.type === 'expanded') {
      return svg`
        <g class="row fold${active}" data-group=${r.group} @click=${() => this.activate(r)}>
          <rect class="hit fold-band" x="2" y=${r.y + 2} width=${width - 4} height=${h - 4} rx="4"></rect>
          <text class="time" x=${this._scrollLeft + 6} y=${r.y + h * 0.68}>${formatTime(r.time)}</text>
          <text class="fold-text" x=${this._scrollLeft + this.layout!.gutter} y=${r.y + h * 0.68}>${r.label}</text>
        </g>`;
    }
    const selected = r.seq === this.selectedSeq ? ' selected' : '';
    const cls = `row s-${r.style}${selected}${active}`;
    const hit = svg`<rect class="hit" x="0" y=${r.y} width=${width} height=${h}></rect>`;
    const left = this._scrollLeft;
    const right = left + this._viewWidth;
    const gutter = this.layout!.gutter;
    const time = svg`<rect class="gutter" x=${left} y=${r.y} width=${gutter - 8} height=${h}></rect><text class="time" x=${left + 6} y=${r.y + h * 0.68}>${formatTime(r.time)}</text>`;
    // A row whose drawing is scrolled out of view says so at the edge it lies beyond.
    const lo = r.type === 'note' ? r.x : Math.min(r.x1, r.x2);
    const hi = r.type === 'note' ? r.x + 40 : Math.max(r.x1, r.x2);
    const who = r.type === 'note' ? partyName(r.at) : `${partyName(r.from)} → ${partyName(r.to)}`;
    const hint =
      lo > right - 30
        ? svg`<text class="hint" x=${right - 8} y=${r.y + h * 0.68} text-anchor="end">${who}: ${r.label} →</text>`
        : hi < left + gutter
          ? svg`<text class="hint" x=${left + gutter} y=${r.y + h * 0.68}>← ${who}: ${r.label}</text>`
          : nothing;
    const title = svg`<title>#${r.seq} ${r.fullLabel}</title>`;
    if (r.type === 'note') {
      const w = Math.min(r.label.length * 6.6 + 12, 300);
      return svg`
        <g class=${cls} data-seq=${r.seq} @click=${() => this.activate(r)}>
          ${hit}${title}
          <rect class="note-box" x=${r.x + 6} y=${r.y + 3} width=${w} height=${h - 6} rx="3"></rect>
          <text class="label" x=${r.x + 12} y=${r.y + h * 0.68}>${r.label}</text>
          ${hint}${time}
        </g>`;
    }
    const ly = r.y + h * 0.78;
    const dir = r.x2 > r.x1 ? 1 : -1;
    const tip = r.x2 - dir * 2;
    let head: SVGTemplateResult;
    if (CROSS_END.has(r.style)) {
      head = svg`<path class="head-open" d="M ${tip - 5} ${ly - 5} L ${tip + 5} ${ly + 5} M ${tip - 5} ${ly + 5} L ${tip + 5} ${ly - 5}"></path>`;
    } else if (OPEN_END.has(r.style)) {
      head = svg`<path class="head-open" d="M ${tip - dir * 8} ${ly - 4} L ${tip} ${ly} L ${tip - dir * 8} ${ly + 4}"></path>`;
    } else {
      head = svg`<path class="head-fill" d="M ${tip - dir * 8} ${ly - 4} L ${tip} ${ly} L ${tip - dir * 8} ${ly + 4} Z"></path>`;
    }
    return svg`
      <g class=${cls} data-seq=${r.seq} @click=${() => this.activate(r)}>
        ${hit}${title}
        <line class="line" x1=${r.x1} x2=${tip} y1=${ly} y2=${ly}></line>
        ${head}
        <text class="label" x=${labelX(lo, hi, left + gutter, right)} y=${ly - 4} text-anchor="middle">${r.label}</text>
        ${r.style === 'compensation' ? svg`<text class="label" x=${r.x1 + dir * 4} y=${ly + 1} text-anchor=${dir > 0 ? 'start' : 'end'} dy="-12">↩</text>` : nothing}
        ${hint}${time}
      </g>`;
  }
}

/** Centre of the part of [lo, hi] that is in view, so a half-visible arrow keeps its label on screen. */
function labelX(lo: number, hi: number, viewLo: number, viewHi: number): number {
  const a = Math.max(lo, viewLo);
  const b = Math.min(hi, viewHi);
  return b > a ? (a + b) / 2 : (lo + hi) / 2;
}

define('spp-sequence-diagram', SppSequenceDiagram);

declare global {
  interface HTMLElementTagNameMap {
    'spp-sequence-diagram': SppSequenceDiagram;
  }
}
