import { nothing, svg, type SVGTemplateResult } from 'lit';
import type { EventStyle } from './event-view.js';
import { partyName } from './parties.js';
import type { SequenceRow } from './sequence-model.js';
import { formatTime } from './trace-access.js';

/** Arrows of these styles end in a cross: the message never got an answer. */
const CROSS_END = new Set<EventStyle>(['timeout', 'refused', 'canceled', 'late', 'fault']);
/** Arrows of these styles have an open head: asynchronous messages. */
const OPEN_END = new Set<EventStyle>(['message', 'deliver', 'redeliver', 'ack', 'nack', 'retry']);

/** What drawing a row needs to know of the diagram around it. */
export interface RowContext {
  rowHeight: number;
  /** Width of the time gutter on the left, px. */
  gutter: number;
  /** Width of the whole body, px. */
  width: number;
  /** Horizontal scroll position and width of the visible part, px: times and labels stay in view. */
  scrollLeft: number;
  viewWidth: number;
  selectedSeq: number | undefined;
  /** Called when the row is clicked. */
  activate: (row: SequenceRow) => void;
}

/** The id of the element of row `index`, for the list's `aria-activedescendant`. */
export function rowId(index: number): string {
  return `seq-row-${index}`;
}

/**
 * Draws row `index` of the sequence diagram (SVG): an arrow or a note with its
 * label and time, or a band for a folded run. A row whose drawing is scrolled
 * out of view names it at the edge it lies beyond. Each row is an option of
 * the diagram's list box, named by its time and what it shows.
 */
export function drawSequenceRow(r: SequenceRow, index: number, active: boolean, c: RowContext): SVGTemplateResult {
  const h = c.rowHeight;
  const activeClass = active ? ' active' : '';
  const left = c.scrollLeft;
  if (r.type === 'collapsed' || r.type === 'expanded') {
    return svg`
        <g class="row fold${activeClass}" id=${rowId(index)} role="option" aria-selected="false"
          aria-label="${formatTime(r.time)} ${r.label} (Enter to ${r.type === 'collapsed' ? 'unfold' : 'fold'})"
          data-group=${r.group} @click=${() => c.activate(r)}>
          <rect class="hit fold-band" x="2" y=${r.y + 2} width=${c.width - 4} height=${h - 4} rx="4"></rect>
          <text class="time" x=${left + 6} y=${r.y + h * 0.68}>${formatTime(r.time)}</text>
          <text class="fold-text" x=${left + c.gutter} y=${r.y + h * 0.68}>${r.label}</text>
        </g>`;
  }
  const selected = r.seq === c.selectedSeq ? ' selected' : '';
  const cls = `row s-${r.style}${selected}${activeClass}`;
  const hit = svg`<rect class="hit" x="0" y=${r.y} width=${c.width} height=${h}></rect>`;
  const right = left + c.viewWidth;
  const gutter = c.gutter;
  const time = svg`<rect class="gutter" x=${left} y=${r.y} width=${gutter - 8} height=${h}></rect><text class="time" x=${left + 6} y=${r.y + h * 0.68}>${formatTime(r.time)}</text>`;
  const lo = r.type === 'note' ? r.x : Math.min(r.x1, r.x2);
  const hi = r.type === 'note' ? r.x + 40 : Math.max(r.x1, r.x2);
  const who = r.type === 'note' ? partyName(r.at) : `${partyName(r.from)} → ${partyName(r.to)}`;
  // The name is cut to the room between the time gutter and the edge (its full text is the row's title and label).
  const room = Math.floor((right - 8 - (left + gutter)) / HINT_CHAR_PX) - 2;
  const hint =
    lo > right - 30
      ? svg`<text class="hint" x=${right - 8} y=${r.y + h * 0.68} text-anchor="end">${fitText(`${who}: ${r.label}`, room)} →</text>`
      : hi < left + gutter
        ? svg`<text class="hint" x=${left + gutter} y=${r.y + h * 0.68}>← ${fitText(`${who}: ${r.label}`, room)}</text>`
        : nothing;
  // A row named at the edge shows at most a sliver of its drawing: its own label would be drawn over the name.
  const named = hint !== nothing;
  const correlation = r.correlationId === undefined ? '' : ` (correlation ${r.correlationId})`;
  const title = svg`<title>#${r.seq} ${r.fullLabel}${correlation}</title>`;
  const name = `${formatTime(r.time)} ${who}: ${r.fullLabel}${correlation}`;
  const isSelected = r.seq === c.selectedSeq ? 'true' : 'false';
  if (r.type === 'note') {
    const w = Math.min(r.label.length * 6.6 + 12, 300);
    return svg`
        <g class=${cls} id=${rowId(index)} role="option" aria-selected=${isSelected} aria-label=${name} data-seq=${r.seq} @click=${() => c.activate(r)}>
          ${hit}${title}
          <rect class="note-box" x=${r.x + 6} y=${r.y + 3} width=${w} height=${h - 6} rx="3"></rect>
          ${named ? nothing : svg`<text class="label" x=${r.x + 12} y=${r.y + h * 0.68}>${r.label}</text>`}
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
      <g class=${cls} id=${rowId(index)} role="option" aria-selected=${isSelected} aria-label=${name} data-seq=${r.seq} @click=${() => c.activate(r)}>
        ${hit}${title}
        <line class="line" x1=${r.x1} x2=${tip} y1=${ly} y2=${ly}></line>
        ${head}
        ${named ? nothing : svg`<text class="label" x=${labelX(lo, hi, left + gutter, right)} y=${ly - 4} text-anchor="middle">${r.label}</text>`}
        ${r.style === 'compensation' ? svg`<text class="label" x=${r.x1 + dir * 4} y=${ly + 1} text-anchor=${dir > 0 ? 'start' : 'end'} dy="-12">↩</text>` : nothing}
        ${hint}${time}
      </g>`;
}

/** Width of one character of a name at the edge (italic 10.5 px monospace, see sequence-styles.ts), px; a little over, to be safe. */
const HINT_CHAR_PX = 6.5;

/** `text`, cut to `max` characters with an ellipsis when it is longer. */
function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? '…' : `${text.slice(0, max - 1)}…`;
}

/** Centre of the part of [lo, hi] that is in view, so a half-visible arrow keeps its label on screen. */
function labelX(lo: number, hi: number, viewLo: number, viewHi: number): number {
  const a = Math.max(lo, viewLo);
  const b = Math.min(hi, viewHi);
  return b > a ? (a + b) / 2 : (lo + hi) / 2;
}
