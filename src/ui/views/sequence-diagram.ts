import { html, nothing, svg, type PropertyValues } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';
import { PARTY_MARK } from './parties.js';
import { ResizeController } from './resize-controller.js';
import { layoutSequence, prepareSequence, visibleRows, type PreparedSequence, type SequenceLayout, type SequenceRow } from './sequence-model.js';
import { drawSequenceRow, rowId, type RowContext } from './sequence-row.js';
import { drawSelectionBar, selectionBarStyles } from './sequence-selection.js';
import { sequenceDiagramStyles } from './sequence-styles.js';
import { eventStyleRules, themeStyles } from './theme.js';
import { truncate } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

const HEADER = 34;

/**
 * `<spp-sequence-diagram>`: the trace as a sequence diagram (SVG), one lifeline
 * per party and one row per event up to `time`. Repeated identical exchanges
 * fold into one row (click to unfold); only the rows in view are rendered, so
 * traces of 10,000 events scroll smoothly inside the element's own box.
 *
 * The selected event is named above the rows with its correlation id; that
 * id is a toggle that narrows the diagram to the events of the same id (one
 * request chain or business flow), and "show all" widens it again.
 *
 * Properties: `events`, `time` (scrub position, ms; default all), `selectedSeq`,
 * `correlation` (only the events of this correlation id; default all).
 * Events: `event-select` `{ seq }` when an arrow or note is clicked (or chosen
 * with ↑/↓ and Enter); `correlation-change` `{ correlationId }` when the user
 * narrows or widens the diagram.
 *
 * @example
 * <spp-sequence-diagram .events=${trace} .time=${t} @event-select=${(e) => show(e.detail.seq)}></spp-sequence-diagram>
 */
export class SppSequenceDiagram extends TraceView {
  static override properties = {
    selectedSeq: { type: Number, attribute: 'selected-seq' },
    correlation: { type: String },
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
  /** Only the events of this correlation id are drawn; `undefined` draws all. */
  declare correlation: string | undefined;
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
    this.correlation = undefined;
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

  static override styles = [themeStyles, eventStyleRules, sequenceDiagramStyles, selectionBarStyles];

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
      changed.has('correlation') ||
      changed.has('_viewWidth' as keyof SppSequenceDiagram) ||
      changed.has('_expanded' as keyof SppSequenceDiagram)
    ) {
      if (!this.prepared || changed.has('events')) this.prepared = prepareSequence(this.events);
      const options = {
        prepared: this.prepared,
        until: this.time,
        collapse: this.fold,
        expanded: this._expanded,
        ...(this.correlation !== undefined ? { correlation: this.correlation } : {}),
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
      // Other rows under a new filter: the keyboard cursor starts again from the selection.
      if (changed.has('correlation')) this._active = -1;
      else if (this._active >= this.layout.rows.length) this._active = this.layout.rows.length - 1;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const s = this.scroller;
    if (!s || !this.layout) return;
    if ((changed.has('time') || changed.has('events')) && this.atBottom && !changed.has('selectedSeq')) {
      s.scrollTop = s.scrollHeight;
    }
    if ((changed.has('selectedSeq') || changed.has('correlation')) && this.selectedSeq !== undefined) {
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

  private setCorrelation(id: string | undefined): void {
    this.correlation = id;
    emit(this, 'correlation-change', { correlationId: id });
    // "show all" goes away with the filter: keep the keyboard focus in the diagram.
    if (id === undefined) {
      void this.updateComplete.then(() => (this.renderRoot.querySelector<HTMLElement>('button.corr') ?? this.scroller)?.focus());
    }
  }

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
    // Render the rows around the new position now, so the active row exists when its id is announced.
    if (this.scroller) this._scrollTop = Math.max(0, this.scroller.scrollTop);
  };

  /** Focus arriving on the list puts the cursor on the selected row, else the last one in view. */
  private onFocus = (): void => {
    const layout = this.layout;
    if (!layout || layout.rows.length === 0 || this._active >= 0) return;
    const selected = this.selectedSeq === undefined ? undefined : layout.rowOfSeq.get(this.selectedSeq);
    const { end } = visibleRows(layout, this._scrollTop, this._viewport || 400);
    this._active = selected ?? Math.max(0, Math.min(layout.rows.length, end) - 1);
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
    const context: RowContext = {
      rowHeight: layout.rowHeight,
      gutter: layout.gutter,
      width,
      scrollLeft: this._scrollLeft,
      viewWidth: this._viewWidth,
      selectedSeq: this.selectedSeq,
      activate: (row) => this.activate(row),
    };
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
      ${drawSelectionBar({
        events: this.events,
        views: this.prepared?.views ?? [],
        selectedSeq: this.selectedSeq,
        correlation: this.correlation,
        shown: layout.eventCount,
        setCorrelation: (id) => this.setCorrelation(id),
      })}
      <div
        class="scroller"
        tabindex="0"
        role=${layout.rows.length ? 'listbox' : nothing}
        aria-label=${`Sequence diagram${this.correlation === undefined ? '' : `, only correlation ${this.correlation}`}: ↑/↓ to move, Enter to select`}
        aria-activedescendant=${this._active >= 0 && this._active >= start && this._active < end ? rowId(this._active) : nothing}
        @scroll=${this.onScroll}
        @keydown=${this.onKey}
        @focus=${this.onFocus}
      >
        ${layout.lifelines.length === 0
          ? html`<div class="empty">No events yet.</div>`
          : layout.rows.length === 0 && this.correlation !== undefined
          ? html`<div class="empty">No events of correlation ${this.correlation} yet.</div>`
          : html`
              <svg class="head" width=${width} height=${HEADER} aria-hidden="true">
                ${layout.lifelines.map(
                  (l) => svg`<g>
                  <rect class="lifeline-box ${l.kind}" x=${l.x - boxWidth / 2} y="4" width=${boxWidth} height=${HEADER - 8} rx=${l.kind === 'queue' ? 10 : 4}></rect>
                  <text class="lifeline-name" x=${l.x} y=${HEADER / 2 + 4} text-anchor="middle">${PARTY_MARK[l.kind] ?? ''}${truncate(l.name, nameChars)}</text>
                  <title>${l.kind}: ${l.name}</title></g>`,
                )}
              </svg>
              <svg class="body" role="presentation" width=${width} height=${Math.max(layout.height, 1)}>
                ${layout.lifelines.map((l) => svg`<line class="lifeline" x1=${l.x} x2=${l.x} y1="0" y2=${layout.height}></line>`)}
                ${rows.map((r, i) => drawSequenceRow(r, start + i, start + i === this._active, context))}
              </svg>
            `}
      </div>
    `;
  }
}

define('spp-sequence-diagram', SppSequenceDiagram);

declare global {
  interface HTMLElementTagNameMap {
    'spp-sequence-diagram': SppSequenceDiagram;
  }
}
