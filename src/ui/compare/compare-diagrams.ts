import { LitElement, css, html, nothing, svg, type PropertyValues } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';
import { PARTY_MARK } from '../views/parties.js';
import { ResizeController } from '../views/resize-controller.js';
import { layoutSequence, prepareSequence, type PreparedSequence, type SequenceLayout, type SequenceRow } from '../views/sequence-model.js';
import { drawSequenceRow, type RowContext } from '../views/sequence-row.js';
import { sequenceDiagramStyles } from '../views/sequence-styles.js';
import { eventStyleRules, themeStyles } from '../views/theme.js';
import { formatTime, truncate } from '../views/trace-access.js';
import { define } from '../views/view-events.js';
import { alignSequences, rowsInView, timeAt, type AlignedSequences } from './aligned-sequence.js';

const HEADER = 34;
const GUTTER = 70;

type Side = 'a' | 'b';

interface SideState {
  prepared: PreparedSequence;
  layout: SequenceLayout;
  expanded: ReadonlySet<number>;
}

const withoutDebug = (e: TraceEvent) => !(e.kind === 'log' && e.level === 'debug');

/**
 * `<spp-compare-diagrams>`: the sequence diagrams of two runs on one time
 * axis. Rows of the same virtual time sit at the same height (the side with
 * fewer leaves a gap), and scrolling one diagram scrolls the other, so the
 * eye reads across at one moment. Side by side where there is room, one
 * above the other in a narrow box. Repeated exchanges fold as in the
 * sequence view (click or Enter on a fold to open it).
 *
 * Properties: `a`, `b` (the traces), `labelA`, `labelB`.
 *
 * @example
 * <spp-compare-diagrams .a=${runA.events} .b=${runB.events} labelA="your code" labelB="solution"></spp-compare-diagrams>
 */
export class SppCompareDiagrams extends LitElement {
  static override properties = {
    a: { attribute: false },
    b: { attribute: false },
    labelA: { type: String },
    labelB: { type: String },
    _top: { state: true },
    _viewport: { state: true },
    _widths: { state: true },
    _lefts: { state: true },
    _expanded: { state: true },
  };

  declare a: readonly TraceEvent[];
  declare b: readonly TraceEvent[];
  declare labelA: string;
  declare labelB: string;
  declare private _top: number;
  declare private _viewport: number;
  declare private _widths: [number, number];
  declare private _lefts: [number, number];
  declare private _expanded: { a: ReadonlySet<number>; b: ReadonlySet<number> };

  private sides: Partial<Record<Side, SideState>> = {};
  private aligned: AlignedSequences | undefined;
  private frame = 0;
  private syncing = false;

  constructor() {
    super();
    this.a = [];
    this.b = [];
    this.labelA = 'A';
    this.labelB = 'B';
    this._top = 0;
    this._viewport = 300;
    this._widths = [400, 400];
    this._lefts = [0, 0];
    this._expanded = { a: new Set(), b: new Set() };
    new ResizeController(this, { onResize: () => this.measure() });
  }

  static override styles = [
    themeStyles,
    eventStyleRules,
    sequenceDiagramStyles,
    css`
      :host {
        display: block;
        height: auto;
        container-type: inline-size;
      }
      .now {
        margin: 0 0 4px;
        color: var(--_muted);
        font-size: 12px;
      }
      .panes {
        display: grid;
        grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
        gap: 8px;
      }
      .pane {
        display: flex;
        flex-direction: column;
        min-width: 0;
        height: 380px;
      }
      .pane h4 {
        margin: 0 0 3px;
        font-size: 12px;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .pane .count {
        color: var(--_muted);
        font-weight: normal;
      }
      /* Narrow: one above the other, each shorter, still scrolling together. */
      @container (max-width: 460px) {
        .panes {
          grid-template-columns: minmax(0, 1fr);
        }
        .pane {
          height: 250px;
        }
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    cancelAnimationFrame(this.frame);
  }

  private scrollers(): HTMLElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLElement>('.scroller')];
  }

  private measure(): void {
    const s = this.scrollers();
    if (s.length < 2) return;
    this._viewport = Math.max(0, s[0]!.clientHeight - HEADER);
    this._top = Math.max(0, s[0]!.scrollTop);
    const widths: [number, number] = [s[0]!.clientWidth || 400, s[1]!.clientWidth || 400];
    if (widths[0] !== this._widths[0] || widths[1] !== this._widths[1]) this._widths = widths;
    this._lefts = [s[0]!.scrollLeft, s[1]!.scrollLeft];
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const relayout = changed.has('_widths' as keyof SppCompareDiagrams) || changed.has('_expanded' as keyof SppCompareDiagrams);
    for (const [side, i] of [['a', 0], ['b', 1]] as const) {
      if (!changed.has(side) && !relayout && this.sides[side]) continue;
      const events = this[side];
      const prepared = changed.has(side) || !this.sides[side] ? prepareSequence(events) : this.sides[side].prepared;
      if (changed.has(side)) this._expanded = { ...this._expanded, [side]: new Set() };
      const expanded = this._expanded[side];
      const lanes = Math.max(1, prepared.ids.length);
      const columnWidth = Math.max(80, Math.min(170, Math.floor((this._widths[i] - GUTTER - 16) / lanes)));
      const layout = layoutSequence(events, { prepared, expanded, columnWidth, gutter: GUTTER, include: withoutDebug });
      this.sides[side] = { prepared, layout, expanded };
    }
    this.aligned = alignSequences(this.sides.a!.layout, this.sides.b!.layout);
  }

  private onScroll(i: number): void {
    const s = this.scrollers();
    const from = s[i];
    const other = s[1 - i];
    if (!from || !other) return;
    // Following the other pane's scroll fires a scroll event here too: do not bounce it back.
    if (this.syncing) {
      this.syncing = false;
    } else if (other.scrollTop !== from.scrollTop) {
      this.syncing = true;
      other.scrollTop = from.scrollTop;
    }
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.measure());
  }

  private activate(side: Side, row: SequenceRow): void {
    if (row.type !== 'collapsed' && row.type !== 'expanded') return;
    const next = new Set(this._expanded[side]);
    if (row.type === 'collapsed') next.add(row.group);
    else next.delete(row.group);
    this._expanded = { ...this._expanded, [side]: next };
  }

  private renderPane(side: Side, i: number, label: string) {
    const state = this.sides[side]!;
    const aligned = this.aligned!;
    const layout = state.layout;
    const rows = aligned[side];
    const width = layout.width + 60;
    const { start, end } = rowsInView(rows, aligned.rowHeight, this._top, this._top + (this._viewport || 300));
    const spacing = layout.lifelines.length > 1 ? layout.lifelines[1]!.x - layout.lifelines[0]!.x : 170;
    const boxWidth = Math.max(60, Math.min(150, spacing - 10));
    const nameChars = Math.max(7, Math.floor((boxWidth - 14) / 7.2));
    const context: RowContext = {
      rowHeight: aligned.rowHeight,
      gutter: GUTTER,
      width,
      scrollLeft: this._lefts[i]!,
      viewWidth: this._widths[i]!,
      selectedSeq: undefined,
      activate: (row) => this.activate(side, row),
    };
    const onKey = (e: KeyboardEvent) => {
      // Enter on the pane opens or closes the first fold in view: the diagram stays usable without a mouse.
      if (e.key !== 'Enter') return;
      const fold = rows.slice(start, end).find((r) => (r.type === 'collapsed' || r.type === 'expanded') && r.y >= this._top);
      if (fold) this.activate(side, fold);
    };
    return html`<div class="pane" data-side=${side}>
      <h4>${label} <span class="count">· ${layout.eventCount} events</span></h4>
      <div
        class="scroller"
        tabindex="0"
        role=${rows.length ? 'listbox' : nothing}
        aria-label=${`Sequence diagram of ${label}, aligned by virtual time with the other one: scroll with ↑/↓`}
        @scroll=${() => this.onScroll(i)}
        @keydown=${onKey}
      >
        ${layout.lifelines.length === 0
          ? html`<div class="empty">No events.</div>`
          : html`<svg class="head" width=${width} height=${HEADER} aria-hidden="true">
                ${layout.lifelines.map(
                  (l) => svg`<g><rect class="lifeline-box ${l.kind}" x=${l.x - boxWidth / 2} y="4" width=${boxWidth} height=${HEADER - 8} rx=${l.kind === 'queue' ? 10 : 4}></rect>
                  <text class="lifeline-name" x=${l.x} y=${HEADER / 2 + 4} text-anchor="middle">${PARTY_MARK[l.kind] ?? ''}${truncate(l.name, nameChars)}</text><title>${l.kind}: ${l.name}</title></g>`,
                )}
              </svg>
              <svg class="body" role="presentation" width=${width} height=${Math.max(aligned.height, 1)}>
                ${layout.lifelines.map((l) => svg`<line class="lifeline" x1=${l.x} x2=${l.x} y1="0" y2=${aligned.height}></line>`)}
                ${rows.slice(start, end).map((r, k) => drawSequenceRow(r, start + k, false, context))}
              </svg>`}
      </div>
    </div>`;
  }

  protected override render() {
    const now = this.aligned ? timeAt(this.aligned, this._top) : undefined;
    return html`<p class="now" aria-live="off">Rows side by side happened at the same virtual time${now === undefined ? '' : html`; top of view: <strong>${formatTime(now)}</strong>`}.</p>
      <div class="panes">${this.renderPane('a', 0, this.labelA)}${this.renderPane('b', 1, this.labelB)}</div>`;
  }
}

define('spp-compare-diagrams', SppCompareDiagrams);

declare global {
  interface HTMLElementTagNameMap {
    'spp-compare-diagrams': SppCompareDiagrams;
  }
}
