import { LitElement, css, html } from 'lit';
import { emitControl } from './control-events.js';
import { patternHref } from './patterns/page-route.js';
import { PATTERN_INDEX } from './patterns/pattern-index.js';

/** What the picker shows of an example. */
export interface PickerItem {
  id: string;
  title: string;
  topic: string;
  order: number;
  /** Checks passed / total over the example's exercises (from saved progress). */
  passed: number;
  total: number;
  /** The learner has unsaved-to-link edits (a draft). */
  edited: boolean;
}

/**
 * The list of examples, grouped by topic, with progress per example, and a
 * link to the pattern reference.
 * Event (typed in control-events.ts): `example-select` {id}.
 */
export class ExamplePicker extends LitElement {
  static override properties = {
    items: { attribute: false },
    selected: { type: String },
  };
  declare items: PickerItem[];
  declare selected: string;

  constructor() {
    super();
    this.items = [];
    this.selected = '';
  }

  static override styles = css`
    :host {
      display: block;
      font-size: 0.9rem;
    }
    h2 {
      font-size: 0.72rem;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--spp-muted, #667);
      margin: 0.9rem 0.6rem 0.3rem;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    button {
      all: unset;
      box-sizing: border-box;
      display: flex;
      gap: 0.4rem;
      align-items: baseline;
      width: 100%;
      padding: 0.35rem 0.6rem;
      border-radius: 6px;
      cursor: pointer;
      color: var(--spp-fg, #222);
    }
    button:hover {
      background: var(--spp-bg-2, #eee);
    }
    button:focus-visible {
      outline: 2px solid var(--spp-accent, #25d);
      outline-offset: -2px;
    }
    button[aria-current='true'] {
      background: color-mix(in srgb, var(--spp-accent, #25d) 16%, transparent);
      font-weight: 600;
    }
    .n {
      color: var(--spp-muted, #667);
      font-variant-numeric: tabular-nums;
      min-width: 1.4em;
    }
    .t {
      flex: 1;
    }
    .p {
      font-size: 0.75rem;
      color: var(--spp-muted, #667);
      white-space: nowrap;
    }
    .p.done {
      color: var(--spp-ok, #173);
      font-weight: 600;
    }
    .edited {
      color: var(--spp-warn, #960);
      font-size: 0.7rem;
    }
    .reference {
      display: block;
      margin: 0.6rem 0.6rem 0;
      padding: 0.35rem 0.5rem;
      border: 1px solid var(--spp-border, #ccc);
      border-radius: 6px;
      color: var(--spp-accent, #25d);
      text-decoration: none;
      font-weight: 600;
    }
    .reference:hover {
      background: var(--spp-bg-2, #eee);
    }
    .reference:focus-visible {
      outline: 2px solid var(--spp-accent, #25d);
      outline-offset: -2px;
    }
  `;

  override render() {
    const topics = new Map<string, PickerItem[]>();
    for (const item of [...this.items].sort((a, b) => a.order - b.order)) {
      const list = topics.get(item.topic) ?? [];
      list.push(item);
      topics.set(item.topic, list);
    }
    return html`<nav aria-label="Examples">
      <a class="reference" href=${patternHref()} data-pattern-link="">Pattern reference: all ${PATTERN_INDEX.length} patterns</a>
      ${[...topics].map(
        ([topic, items]) => html`<h2>${topic}</h2>
          <ul>
            ${items.map(
              (it) => html`<li>
                <button
                  aria-current=${it.id === this.selected ? 'true' : 'false'}
                  data-example=${it.id}
                  @click=${() => emitControl(this, 'example-select', { id: it.id })}
                >
                  <span class="n">${it.order}.</span>
                  <span class="t">${it.title}${it.edited ? html` <span class="edited" title="You have edits saved for this example">● edited</span>` : null}</span>
                  ${it.total > 0
                    ? html`<span class="p ${it.passed === it.total ? 'done' : ''}" title="Exercise checks passed">${it.passed === it.total ? '✓ ' : ''}${it.passed}/${it.total}</span>`
                    : null}
                </button>
              </li>`,
            )}
          </ul>`,
      )}
    </nav>`;
  }
}
customElements.define('spp-example-picker', ExamplePicker);
declare global {
  interface HTMLElementTagNameMap {
    'spp-example-picker': ExamplePicker;
  }
}
