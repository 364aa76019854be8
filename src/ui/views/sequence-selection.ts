import { css, html, nothing, type TemplateResult } from 'lit';
import type { TraceEvent } from '../../sim/trace.js';
import type { EventView } from './event-view.js';
import { correlationOf } from './filter-by-correlation.js';
import { partyName } from './parties.js';
import { formatTime } from './trace-access.js';

/** What the sequence diagram's selection bar shows. */
export interface SelectionBarState {
  events: readonly TraceEvent[];
  /** How each event of `events` is drawn (same order). */
  views: readonly EventView[];
  selectedSeq: number | undefined;
  /** The correlation id the diagram is narrowed to, if any. */
  correlation: string | undefined;
  /** Events drawn under the current filter. */
  shown: number;
  /** Narrow the diagram to `id`, or show everything again with `undefined`. */
  setCorrelation: (id: string | undefined) => void;
}

/**
 * The line under the sequence diagram's toolbar: the selected event with its
 * correlation id (a toggle button that narrows the diagram to that id), and,
 * while narrowed, which id is shown with a "show all" button. Nothing when
 * there is neither a selection nor a filter.
 */
export function drawSelectionBar(s: SelectionBarState): TemplateResult | typeof nothing {
  const index = s.selectedSeq === undefined ? -1 : indexOfSeq(s.events, s.selectedSeq);
  if (index < 0 && s.correlation === undefined) return nothing;
  let selected: TemplateResult | typeof nothing = nothing;
  if (index >= 0) {
    const e = s.events[index]!;
    const v = s.views[index];
    const who = !v ? '' : v.shape === 'arrow' ? `${partyName(v.from)} → ${partyName(v.to)}: ` : `${partyName(v.from)}: `;
    const id = correlationOf(e);
    const on = id !== undefined && id === s.correlation;
    selected = html`<span class="picked"
      ><span class="muted">#${e.seq} · ${formatTime(e.time)}</span> ${who}${v?.label ?? e.kind}</span
      >${id === undefined
        ? html`<span class="muted">no correlation id</span>`
        : html`<span class="muted" aria-hidden="true">correlation</span>
            <button
              class="corr"
              aria-pressed=${on ? 'true' : 'false'}
              aria-label="Correlation ${id}"
              title=${on ? 'Show all events again' : `Show only the events of correlation ${id}`}
              @click=${() => s.setCorrelation(on ? undefined : id)}
            >
              ${id}
            </button>`}`;
  }
  const filter =
    s.correlation === undefined
      ? nothing
      : html`<span class="only">only correlation <span class="mono">${s.correlation}</span> (${s.shown} events)</span>
          <button class="show-all" @click=${() => s.setCorrelation(undefined)}>show all</button>`;
  return html`<div class="selection" role="group" aria-label="Selected event and correlation filter">${selected}${filter}</div>`;
}

/** Index of the event with `seq` (usually `seq` itself: traces number their events from 0). */
function indexOfSeq(events: readonly TraceEvent[], seq: number): number {
  if (events[seq]?.seq === seq) return seq;
  return events.findIndex((e) => e.seq === seq);
}

/** Styles of {@link drawSelectionBar}. */
export const selectionBarStyles = css`
  .selection {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 8px;
    padding: 0 0 6px;
    font-size: 12px;
  }
  .picked {
    font-family: var(--_mono);
    overflow-wrap: anywhere;
  }
  .selection button,
  .only .mono {
    font-family: var(--_mono);
  }
  .only {
    margin-left: auto;
  }
`;
