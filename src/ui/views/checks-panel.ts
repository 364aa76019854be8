import { css, html, nothing, type PropertyValues } from 'lit';
import { describeEvent } from './describe-event.js';
import { partyName } from './parties.js';
import { placeOnHost, patternHosts } from './pattern-hosts.js';
import { eventStyleRules, themeStyles } from './theme.js';
import { formatTime } from './trace-access.js';
import { TraceView } from './trace-view.js';
import { define, emit } from './view-events.js';

/** One exercise check or invariant, as the panel shows it. */
export interface CheckView {
  id: string;
  title: string;
  passed: boolean;
  /** Why it failed (or a note when it passed). */
  message?: string;
  /** The trace events that show the problem. */
  eventSeqs?: number[];
}

/** Most events listed under one failing check. */
const MAX_EVENTS = 12;

/**
 * `<spp-checks-panel>`: the exercise's checks, passed or failed; a failing
 * check shows its message and the events involved, each a button that
 * selects the event in the other views.
 *
 * Properties: `checks` ({@link CheckView}[]), `events` (to describe the
 * involved events; optional), `time` (accepted for symmetry, unused: checks
 * judge the whole run), `notRun` (why the last run was not checked: shown
 * instead of any verdict, so that nothing passes for code that did not run).
 * Events: `event-select` `{ seq }`.
 *
 * @example
 * <spp-checks-panel .checks=${results} .events=${trace} @event-select=${onSelect}></spp-checks-panel>
 */
export class SppChecksPanel extends TraceView {
  static override properties = {
    checks: { attribute: false },
    notRun: { attribute: false },
  };

  declare checks: readonly CheckView[];
  declare notRun: string | undefined;

  constructor() {
    super();
    this.checks = [];
    this.notRun = undefined;
  }

  static override styles = [
    themeStyles,
    eventStyleRules,
    css`
      .summary {
        font-weight: 600;
        margin-bottom: 6px;
      }
      .summary.ok {
        color: var(--_ok);
      }
      .summary.bad {
        color: var(--_error);
      }
      .summary.not-run {
        color: var(--_muted);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li.check {
        border: 1px solid var(--_border);
        border-left: 4px solid var(--_ok);
        border-radius: 6px;
        padding: 6px 10px;
        margin-bottom: 6px;
      }
      li.check.failed {
        border-left-color: var(--_error);
      }
      .title {
        font-weight: 600;
      }
      .mark {
        display: inline-block;
        width: 1.3em;
      }
      .passed .mark {
        color: var(--_ok);
      }
      .failed .mark {
        color: var(--_error);
      }
      .message {
        margin: 4px 0;
        white-space: pre-wrap;
      }
      .events {
        display: flex;
        flex-direction: column;
        gap: 3px;
        align-items: flex-start;
      }
      .events button {
        font: 11.5px var(--_mono);
        text-align: left;
        border-left: 3px solid var(--c, var(--_border));
        max-width: 100%;
        overflow-wrap: anywhere;
      }
    `,
  ];

  private hosts: Map<string, string> = new Map();

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('events')) this.hosts = patternHosts(this.events);
  }

  private describe(seq: number): { text: string; style: string } {
    const e = this.events[seq];
    if (!e || e.seq !== seq) return { text: `event #${seq}`, style: 'generic' };
    const v = placeOnHost(describeEvent(e), this.hosts);
    const who = v.shape === 'arrow' ? `${partyName(v.from)} → ${partyName(v.to)}` : partyName(v.from);
    return { text: `#${seq} · ${formatTime(e.time)} · ${who}: ${v.label}`, style: v.style };
  }

  protected override render() {
    if (this.notRun) return html`<div class="summary not-run" role="status">${this.notRun}</div>`;
    if (this.checks.length === 0) return html`<div class="empty">No checks for this example.</div>`;
    const passed = this.checks.filter((c) => c.passed).length;
    const all = passed === this.checks.length;
    return html`
      <div class="summary ${all ? 'ok' : 'bad'}" role="status">${passed} of ${this.checks.length} checks pass</div>
      <ul>
        ${this.checks.map((c) => {
          const seqs = c.eventSeqs ?? [];
          return html`<li class="check ${c.passed ? 'passed' : 'failed'}" data-id=${c.id}>
            <div class="title"><span class="mark" aria-hidden="true">${c.passed ? '✓' : '✗'}</span>${c.title}<span class="sr-only">${c.passed ? ' (passed)' : ' (failed)'}</span></div>
            ${c.message ? html`<div class="message ${c.passed ? 'muted' : ''}">${c.message}</div>` : nothing}
            ${!c.passed && seqs.length
              ? html`<div class="events">
                  ${seqs.slice(0, MAX_EVENTS).map((seq) => {
                    const d = this.describe(seq);
                    return html`<button class="s-${d.style}" data-seq=${seq} @click=${() => emit(this, 'event-select', { seq })}>${d.text}</button>`;
                  })}
                  ${seqs.length > MAX_EVENTS ? html`<span class="muted">and ${seqs.length - MAX_EVENTS} more</span>` : nothing}
                </div>`
              : nothing}
          </li>`;
        })}
      </ul>
    `;
  }
}

define('spp-checks-panel', SppChecksPanel);

declare global {
  interface HTMLElementTagNameMap {
    'spp-checks-panel': SppChecksPanel;
  }
}
