import { css, html, nothing, type TemplateResult } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

type ToHtml = (source: string) => string;

let toHtml: ToHtml | undefined;
let loading: Promise<ToHtml> | undefined;

/**
 * Loads the markdown parser (its own chunk: about 45 KB gzip that the page's
 * first paint does not wait for). Later calls share the first; a failed load
 * is tried again on the next call.
 */
export function loadMarkdown(): Promise<ToHtml> {
  loading ??= import('./markdown-to-html.js').then(
    (m) => (toHtml = m.markdownToHtml),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

// The panel renders the same lesson, task and hint texts again on every change of
// its state (a check result, a revealed solution): parse each text once.
const cache = new Map<string, string>();
const CACHE_LIMIT = 200;

/**
 * Gives the HTML of `source` without the parser: the page's first example
 * comes with its lesson already rendered at build time, by the same renderer
 * (see first-paint/hand-over.ts), so that it shows before the parser loads.
 */
export function seedMarkdown(source: string, rendered: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, rendered);
}

function htmlOf(render: ToHtml, source: string): string {
  let out = cache.get(source);
  if (out === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    out = render(source);
    cache.set(source, out);
  }
  return out;
}

/** Renders `source` once the parser is there; until then nothing, and the plain text if it cannot load. */
class MarkdownDirective extends AsyncDirective {
  private source = '';

  render(source: string): unknown {
    this.source = source;
    const seeded = cache.get(source);
    if (seeded !== undefined) return unsafeHTML(seeded);
    if (toHtml) return unsafeHTML(htmlOf(toHtml, source));
    loadMarkdown().then(
      (render) => {
        if (this.source === source && this.isConnected) this.setValue(unsafeHTML(htmlOf(render, source)));
      },
      () => {
        if (this.source === source && this.isConnected) this.setValue(html`<p class="md-plain">${source}</p>`);
      },
    );
    return nothing;
  }

  // Back in the page after the parser arrived while it was away.
  protected override reconnected(): void {
    const seeded = cache.get(this.source);
    if (seeded !== undefined) this.setValue(unsafeHTML(seeded));
    else if (toHtml) this.setValue(unsafeHTML(htmlOf(toHtml, this.source)));
  }
}

const markdown = directive(MarkdownDirective);

/**
 * Renders lesson markdown (CommonMark with GFM tables) as elements. Raw HTML
 * in the text stays text and only http(s) and `#` links become links, so a
 * lesson cannot inject markup (see markdown-to-html.ts). The parser loads
 * on first use; give the host {@link markdownStyles}.
 */
export function renderMarkdown(source: string): TemplateResult {
  return html`<div class="md">${markdown(source)}</div>`;
}

/** Styles for what {@link renderMarkdown} makes that a panel's own styles may not cover. */
export const markdownStyles = css`
  .md table {
    display: block;
    overflow-x: auto;
    border-collapse: collapse;
    margin: 0.6rem 0;
    font-size: 0.88em;
  }
  .md th,
  .md td {
    border: 1px solid var(--spp-border, #ddd);
    padding: 0.25rem 0.5rem;
    text-align: left;
    vertical-align: top;
  }
  .md th {
    background: var(--spp-bg-2, #f3f3f3);
  }
  .md td > code:only-child {
    white-space: nowrap;
  }
  .md blockquote {
    margin: 0.6rem 0;
    padding: 0.1rem 0 0.1rem 0.8rem;
    border-left: 3px solid var(--spp-border, #ddd);
    color: var(--spp-muted, #667);
  }
  .md-plain {
    white-space: pre-wrap;
  }
`;
