import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { markdownStyles } from '../markdown.js';
import { PATTERN_ENTRIES } from './content/index.js';
import { linkHref, patternHref, parseRoute } from './page-route.js';
import { emitPatternAnchor, emitPatternsClose } from './pattern-events.js';
import { indexPatterns } from './pattern-search.js';
import { entryElementId, renderEntry, type EntryContext } from './render-entry.js';

const search = indexPatterns(PATTERN_ENTRIES);

/**
 * The pattern reference (`#/patterns`): a search box, the contents, and one
 * entry per pattern. Its content is bundled into this lazily loaded chunk,
 * which the service worker keeps with the rest, so it works offline.
 *
 * Links to other entries stay inside the page (`pattern-anchor`, no new
 * history entry); links to examples are ordinary `#/examples/…` links that
 * the page's router follows; the back button sends `patterns-close`.
 */
export class PatternReference extends LitElement {
  static override properties = {
    anchor: { type: String },
    exampleTitles: { attribute: false },
    query: { state: true },
  };

  /** The entry to show ('' for the top). */
  declare anchor: string;
  /** Example titles by id, for the links to examples. */
  declare exampleTitles: ReadonlyMap<string, string>;
  private declare query: string;

  constructor() {
    super();
    this.anchor = '';
    this.exampleTitles = new Map();
    this.query = '';
  }

  static override styles = [
    markdownStyles,
    css`
      :host {
        display: block;
        color: var(--spp-fg, #222);
        background: var(--spp-bg, #fff);
        font-family: var(--spp-font, system-ui, sans-serif);
        font-size: 0.95rem;
        line-height: 1.55;
      }
      .page {
        max-width: 78rem;
        margin: 0 auto;
        padding: 0 1rem 3rem;
      }
      .top {
        position: sticky;
        top: 0;
        z-index: 1;
        background: var(--spp-bg, #fff);
        padding-top: 0.5rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem 1rem;
        border-bottom: 1px solid var(--spp-border, #ddd);
        padding-bottom: 0.7rem;
      }
      h1 {
        font-size: 1.4rem;
        margin: 0;
        flex: 0 1 auto;
      }
      h1:focus,
      h2:focus {
        outline: none;
      }
      h1:focus-visible,
      h2:focus-visible {
        outline: 2px solid var(--spp-accent, #25d);
        outline-offset: 2px;
      }
      .intro {
        margin: 0.6rem 0 0;
        color: var(--spp-muted, #667);
      }
      button {
        font: inherit;
        font-size: 0.9rem;
        padding: 0.35rem 0.7rem;
        border-radius: 6px;
        border: 1px solid var(--spp-border, #ccc);
        background: var(--spp-bg, #fff);
        color: var(--spp-fg, #222);
        cursor: pointer;
      }
      button:focus-visible,
      input:focus-visible,
      a:focus-visible,
      .table-wrap:focus-visible {
        outline: 2px solid var(--spp-accent, #25d);
        outline-offset: 2px;
      }
      .search {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.3rem 0.6rem;
        margin: 0.8rem 0 0.3rem;
      }
      .search label {
        font-weight: 600;
      }
      .search input {
        font: inherit;
        flex: 1 1 14rem;
        min-width: 0;
        padding: 0.4rem 0.6rem;
        border-radius: 6px;
        border: 1px solid var(--spp-border, #ccc);
        background: var(--spp-bg, #fff);
        color: var(--spp-fg, #222);
      }
      .count {
        color: var(--spp-muted, #667);
        font-size: 0.85rem;
        margin: 0 0 0.6rem;
      }
      .layout {
        display: grid;
        grid-template-columns: 15rem minmax(0, 1fr);
        gap: 1.5rem;
        align-items: start;
      }
      @media (max-width: 899px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
          gap: 0.5rem;
        }
      }
      nav.toc {
        position: sticky;
        top: 3.6rem;
        max-height: calc(100vh - 12rem);
        overflow: auto;
        font-size: 0.9rem;
      }
      nav.toc h2 {
        font-size: 0.75rem;
        text-transform: uppercase;
        letter-spacing: 0.06em;
        color: var(--spp-muted, #667);
        margin: 0.4rem 0;
      }
      nav.toc ol {
        margin: 0;
        /* Room for two-digit numbers: the list scrolls, so markers outside it would be cut. */
        padding-left: 2rem;
      }
      nav.toc li {
        margin: 0.15rem 0;
      }
      nav.toc a[aria-current='location'] {
        font-weight: 600;
      }
      @media (max-width: 899px) {
        nav.toc {
          position: static;
          max-height: none;
        }
        nav.toc ol {
          columns: 2 11rem;
        }
      }
      a {
        color: var(--spp-accent, #25d);
      }
      .entry {
        border-top: 1px solid var(--spp-border, #ddd);
        padding-top: 0.6rem;
        margin-bottom: 2rem;
        scroll-margin-top: 3.5rem;
      }
      .entry:first-child {
        border-top: none;
      }
      .entry h2 {
        font-size: 1.25rem;
        margin: 0.3rem 0 0.2rem;
      }
      .entry h3 {
        font-size: 1rem;
        margin: 1.1rem 0 0.3rem;
      }
      .entry h4 {
        font-size: 0.92rem;
        margin: 0.4rem 0 0.2rem;
      }
      .summary {
        font-size: 1.02rem;
        margin: 0.2rem 0;
      }
      .aka,
      .related {
        color: var(--spp-muted, #667);
        font-size: 0.88rem;
        margin: 0.3rem 0;
      }
      .label {
        font-weight: 600;
      }
      .use {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0 1.5rem;
      }
      ul {
        padding-left: 1.3rem;
        margin: 0.3rem 0;
      }
      li {
        margin: 0.25rem 0;
      }
      .mistakes .try {
        display: block;
        font-size: 0.88rem;
      }
      code {
        font-family: var(--spp-font-mono, monospace);
        font-size: 0.86em;
        background: var(--spp-bg-2, #f3f3f3);
        padding: 0.05em 0.3em;
        border-radius: 4px;
        overflow-wrap: anywhere;
      }
      pre {
        background: var(--spp-bg-2, #f3f3f3);
        padding: 0.6rem;
        border-radius: 6px;
        overflow: auto;
      }
      .table-wrap {
        overflow-x: auto;
        margin: 0.4rem 0;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        min-width: 32rem;
        font-size: 0.9rem;
      }
      th,
      td {
        border: 1px solid var(--spp-border, #ddd);
        padding: 0.3rem 0.5rem;
        text-align: left;
        vertical-align: top;
      }
      thead th {
        background: var(--spp-bg-2, #f3f3f3);
      }
      tbody th {
        font-weight: 600;
        white-space: normal;
      }
      table.libraries tbody th {
        white-space: nowrap;
      }
      /* Narrow screens: each row of a table becomes a small card, each cell labelled. */
      @media (max-width: 599px) {
        table {
          min-width: 0;
        }
        table,
        tbody,
        tr,
        th,
        td {
          display: block;
        }
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        tr {
          border: 1px solid var(--spp-border, #ddd);
          border-radius: 6px;
          margin: 0 0 0.5rem;
        }
        th,
        td {
          border: none;
        }
        tbody th {
          background: var(--spp-bg-2, #f3f3f3);
          border-radius: 6px 6px 0 0;
        }
        td[data-label]::before {
          content: attr(data-label) ': ';
          font-weight: 600;
          color: var(--spp-muted, #667);
        }
      }
      .empty {
        padding: 1rem 0;
      }
      @media (max-width: 899px) {
        .top {
          flex-wrap: nowrap;
          gap: 0.6rem;
        }
        h1 {
          font-size: 1.15rem;
          flex: 1 1 auto;
        }
        .back {
          white-space: nowrap;
        }
        /* Still read out, so the button's name stays "Back to the playground". */
        .wide-only {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
          white-space: nowrap;
        }
      }
      .visually-hidden {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    `,
  ];

  private readonly context: EntryContext = {
    exampleTitle: (id) => this.exampleTitles.get(id) ?? id,
    patternTitle: (id) => PATTERN_ENTRIES.find((e) => e.id === id)?.title ?? id,
  };

  /** Moves to the entry the address names (or the top), and gives it the focus. */
  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('anchor')) void this.reveal(this.anchor);
  }

  private async reveal(anchor: string): Promise<void> {
    await this.updateComplete;
    const root = this.renderRoot;
    const target = anchor ? root.querySelector<HTMLElement>(`#${entryElementId(anchor)}`) : null;
    if (anchor && !target && this.query) {
      // The entry asked for is filtered out: show everything again.
      this.query = '';
      await this.updateComplete;
      return this.reveal(anchor);
    }
    const focus = target ? target.querySelector<HTMLElement>('h2') : root.querySelector<HTMLElement>('h1');
    (target ?? root.querySelector<HTMLElement>('.page'))?.scrollIntoView({ block: 'start' });
    focus?.focus({ preventScroll: true });
  }

  /** Keeps links to entries inside the page: no new history entry, so "Back to the playground" is one step. */
  private onClick(e: MouseEvent): void {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const href = linkHref(e.composedPath());
    if (!href?.startsWith('#/patterns')) return;
    const route = parseRoute(href);
    if (route.kind !== 'patterns') return;
    e.preventDefault();
    const id = route.anchor ?? '';
    // The same entry again: the property does not change, so move there directly.
    if (id === this.anchor) void this.reveal(id);
    else emitPatternAnchor(this, id);
  }

  private onSearchKey(e: KeyboardEvent, first: string | undefined): void {
    if (e.key === 'Escape' && this.query) {
      e.preventDefault();
      this.query = '';
    } else if (e.key === 'Enter' && first) {
      e.preventDefault();
      if (first === this.anchor) void this.reveal(first);
      else emitPatternAnchor(this, first);
    }
  }

  override render() {
    const found = search.find(this.query);
    const total = PATTERN_ENTRIES.length;
    return html`<div class="page" @click=${(e: MouseEvent) => this.onClick(e)}>
      <header class="top">
        <button class="back" data-back @click=${() => emitPatternsClose(this)}>← Back<span class="wide-only"> to the playground</span></button>
        <h1 tabindex="-1">Pattern reference</h1>
      </header>
      <p class="intro">
        ${total} patterns of service communication: what each one prevents, how it works, where to start with its settings, the mistakes the examples show,
        and how the libraries spell it.
      </p>
      <div class="search" role="search">
        <label for="pattern-search">Search the patterns</label>
        <input
          id="pattern-search"
          type="search"
          autocomplete="off"
          spellcheck="false"
          placeholder="jitter, dead letter, 202, idempotency…"
          aria-describedby="pattern-count"
          .value=${this.query}
          @input=${(e: InputEvent) => (this.query = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => this.onSearchKey(e, found[0]?.id)}
        />
      </div>
      <p class="count" id="pattern-count" role="status" aria-live="polite">
        ${this.query.trim() ? `${found.length} of ${total} patterns match “${this.query.trim()}”.` : `${total} patterns.`}
        ${this.query.trim() && found.length ? ' Enter goes to the first.' : nothing}
      </p>
      <div class="layout">
        <nav class="toc" aria-label="Patterns">
          <h2>Contents</h2>
          <ol>
            ${found.map((e) => html`<li><a href=${patternHref(e.id)} aria-current=${e.id === this.anchor ? 'location' : 'false'}>${e.title}</a></li>`)}
          </ol>
        </nav>
        <div class="entries">
          ${found.length
            ? found.map((e) => renderEntry(e, this.context))
            : html`<p class="empty">No pattern matches “${this.query.trim()}”. Try fewer or other words, or press Escape to see them all.</p>`}
        </div>
      </div>
    </div>`;
  }
}

customElements.define('spp-pattern-reference', PatternReference);
declare global {
  interface HTMLElementTagNameMap {
    'spp-pattern-reference': PatternReference;
  }
}
