import { css, html, nothing, type PropertyValues } from 'lit';
import type { LogLevel } from '../../sim/trace.js';
import { filterLogs, LOG_LEVELS, levelCounts, logEntries, type LogEntry } from './log-model.js';
import { themeStyles } from './theme.js';
import { formatTime } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

/** Most lines rendered at once; older ones are summarised. */
const MAX_LINES = 1000;

/**
 * `<spp-log-console>`: log lines and uncaught errors up to `time`, with a
 * toggle per level and a text filter. A line that knows its position in the
 * user's code shows a `line:column` link; a line that carries a correlation id
 * shows it as a button that filters the lines to that id.
 *
 * Properties: `events`, `time` (scrub position, ms; default all), `filter`
 * (text), `levels` (shown levels).
 * Events: `reveal-line` `{ line, column }` from a position link;
 * `event-select` `{ seq }` from a line's time.
 *
 * @example
 * <spp-log-console .events=${trace} .time=${t} @reveal-line=${(e) => editor.reveal(e.detail.line)}></spp-log-console>
 */
export class SppLogConsole extends TraceView {
  static override properties = {
    filter: { type: String },
    levels: { attribute: false },
  };

  /** Text filter (case-insensitive; message, source, data and correlation id). */
  declare filter: string;
  /** Levels shown (default all). */
  declare levels: ReadonlySet<LogLevel>;

  private all: LogEntry[] = [];
  private atBottom = true;

  constructor() {
    super();
    this.filter = '';
    this.levels = new Set(LOG_LEVELS);
  }

  static override styles = [
    themeStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: 300px;
        min-height: 120px;
        container-type: inline-size;
      }
      .lines {
        flex: 1;
        min-height: 0;
        overflow: auto;
        font: 12px/1.5 var(--_mono);
        border: 1px solid var(--_border);
        border-radius: 6px;
      }
      ol {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: grid;
        grid-template-columns: 6.5em 3.6em minmax(4em, 10em) 1fr;
        gap: 8px;
        padding: 1px 8px;
        border-bottom: 1px solid color-mix(in srgb, var(--_border) 50%, transparent);
        align-items: baseline;
      }
      li.warn {
        background: color-mix(in srgb, var(--_warn) 10%, transparent);
      }
      li.error {
        background: color-mix(in srgb, var(--_error) 10%, transparent);
      }
      .t {
        border: none;
        background: none;
        padding: 0;
        color: var(--_muted);
        text-align: left;
        font: inherit;
      }
      .lvl {
        font-weight: 600;
        text-transform: uppercase;
        font-size: 10.5px;
      }
      .debug .lvl {
        color: var(--_muted);
      }
      .info .lvl {
        color: var(--_accent);
      }
      .warn .lvl {
        color: var(--_warn);
      }
      .error .lvl {
        color: var(--_error);
      }
      .src {
        color: var(--_muted);
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      .msg {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      /* Narrow (a phone): time, level and source on one line, the message under them at full width. */
      @container (max-width: 480px) {
        li {
          grid-template-columns: 6.5em 3.6em 1fr;
          row-gap: 0;
        }
        .msg {
          grid-column: 1 / -1;
        }
      }
      .data {
        color: var(--_muted);
      }
      button.cid {
        margin-right: 6px;
        padding: 0 4px;
        font: inherit;
        font-size: 11px;
        color: var(--_accent);
        background: var(--_bg);
      }
      a.pos {
        color: var(--_accent);
        margin-left: 6px;
      }
      .toggle.debug {
        --c: var(--_muted);
      }
      .toggle {
        border-left: 3px solid var(--c, var(--_accent));
      }
      .toggle.warn {
        --c: var(--_warn);
      }
      .toggle.error {
        --c: var(--_error);
      }
      input[type='search'] {
        min-width: 10em;
        flex: 1;
        max-width: 22em;
      }
    `,
  ];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!this.hasUpdated || changed.has('events') || changed.has('time')) this.all = logEntries(this.events, this.time);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('events') || changed.has('time')) && this.atBottom) {
      const list = this.renderRoot.querySelector('.lines');
      if (list) list.scrollTop = list.scrollHeight;
    }
  }

  private toggle(level: LogLevel): void {
    const next = new Set(this.levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    this.levels = next;
  }

  private reveal(e: Event, l: LogEntry): void {
    e.preventDefault();
    emit(this, 'reveal-line', { line: l.line!, ...(l.column !== undefined ? { column: l.column } : {}) });
  }

  private onScroll = (e: Event): void => {
    const el = e.currentTarget as HTMLElement;
    this.atBottom = el.scrollTop + el.clientHeight >= el.scrollHeight - 20;
  };

  protected override render() {
    const counts = levelCounts(this.all);
    const shown = filterLogs(this.all, { levels: this.levels, text: this.filter });
    const hidden = Math.max(0, shown.length - MAX_LINES);
    const lines = hidden ? shown.slice(hidden) : shown;
    return html`
      <div class="toolbar" role="toolbar" aria-label="Log levels and filter">
        ${LOG_LEVELS.map(
          (level) =>
            html`<button class="toggle ${level}" aria-pressed=${this.levels.has(level) ? 'true' : 'false'} @click=${() => this.toggle(level)}>
              ${level} ${counts[level]}
            </button>`,
        )}
        <input
          type="search"
          placeholder="Filter logs"
          aria-label="Filter logs"
          .value=${this.filter}
          @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)}
        />
        <span class="muted">${shown.length} of ${this.all.length}</span>
      </div>
      <div class="lines" role="log" aria-live="off" aria-label="Log lines" tabindex="0" @scroll=${this.onScroll}>
        <ol>
        ${hidden ? html`<li class="muted">… ${hidden} earlier lines not shown; filter to narrow.</li>` : nothing}
        ${lines.length === 0 ? html`<li class="muted empty">No log lines${this.all.length ? ' match' : ' yet'}.</li>` : nothing}
        ${lines.map(
          (l) => html`
            <li class=${l.level} data-seq=${l.seq}>
              <button class="t" title="Show event #${l.seq}" @click=${() => emit(this, 'event-select', { seq: l.seq })}>${formatTime(l.time)}</button>
              <span class="lvl">${l.level}</span>
              <span class="src" title=${l.source}>${l.source}</span>
              <span class="msg" title=${l.stack ?? ''}
                >${l.correlationId !== undefined
                  ? html`<button class="cid" aria-label="Correlation ${l.correlationId}" title="Show only the lines of correlation ${l.correlationId}" @click=${() => (this.filter = l.correlationId!)}>${l.correlationId}</button>`
                  : nothing}${l.message}${l.data !== undefined ? html` <span class="data">${l.data}</span>` : nothing}${l.line !== undefined
                  ? html`<a class="pos" href="#" @click=${(e: Event) => this.reveal(e, l)} title="Show in the editor"
                      >line ${l.line}${l.column !== undefined ? `:${l.column}` : ''}</a
                    >`
                  : nothing}</span
              >
            </li>
          `,
        )}
        </ol>
      </div>
    `;
  }
}

define('spp-log-console', SppLogConsole);

declare global {
  interface HTMLElementTagNameMap {
    'spp-log-console': SppLogConsole;
  }
}
