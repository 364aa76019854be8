import { html, nothing, type TemplateResult } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { itemAfterKey, moveInTablist } from './view-tabs.js';

/** Below this width (CSS px) the page shows one pane at a time; three columns would be too narrow to use. */
export const NARROW_BELOW_PX = 900;

/** The page's two layouts: columns side by side, or one pane at a time under tabs. */
export type PageLayout = 'wide' | 'narrow';

/** The layout for a page `width` CSS pixels wide. */
export function layoutForWidth(width: number): PageLayout {
  return width < NARROW_BELOW_PX ? 'narrow' : 'wide';
}

/** The parts of the page a narrow screen shows one at a time. */
export type PagePane = 'examples' | 'lesson' | 'code' | 'views';

/** The panes in order, with their tab labels. */
export const PAGE_PANES: ReadonlyArray<readonly [PagePane, string]> = [
  ['examples', 'Examples'],
  ['lesson', 'Lesson'],
  ['code', 'Code'],
  ['views', 'Views'],
];

/**
 * How one pane shows: in the narrow layout it is a tab panel, shown when its
 * tab is selected; in the wide layout it is a column (or, for the lesson, a
 * part of one that the learner can fold away).
 */
export type PaneState = { kind: 'tab'; pane: PagePane; shown: boolean } | { kind: 'column'; shown: boolean };

/** The state of `pane` when `open` is the selected pane; `column` says whether a wide layout shows it. */
export function paneState(layout: PageLayout, open: PagePane, pane: PagePane, column = true): PaneState {
  return layout === 'narrow' ? { kind: 'tab', pane, shown: pane === open } : { kind: 'column', shown: column };
}

/** Gives an element the role, label and visibility of its pane (see {@link paneOf}). */
class PaneDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('paneOf() belongs on an element: <div ${paneOf(state)}>');
  }

  render(_state: PaneState): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [state]: [PaneState]): typeof nothing {
    const el = part.element;
    el.toggleAttribute('hidden', !state.shown);
    if (state.kind === 'tab') {
      el.setAttribute('role', 'tabpanel');
      el.setAttribute('aria-labelledby', `pane-tab-${state.pane}`);
    } else {
      el.removeAttribute('role');
      el.removeAttribute('aria-labelledby');
    }
    return nothing;
  }
}

/**
 * Element directive: makes the element a pane in the state given — a tab
 * panel labelled by its tab in the narrow layout, a plain column in the wide
 * one — and hides it when it is not shown.
 *
 * @example
 * html`<aside ${paneOf(paneState(layout, pane, 'examples'))}>…</aside>`
 */
export const paneOf = directive(PaneDirective);

/** The tab list of the narrow layout: one tab per pane; ←/→, Home and End move between them. */
export function renderPaneTabs(open: PagePane, select: (pane: PagePane) => Promise<unknown>): TemplateResult {
  const panes = PAGE_PANES.map(([p]) => p);
  return html`<div class="pane-tabs" role="tablist" aria-label="Page sections" @keydown=${(e: KeyboardEvent) => moveInTablist(e, itemAfterKey(panes, open, e.key), select)}>
    ${PAGE_PANES.map(
      ([pane, label]) => html`<button
        role="tab"
        id="pane-tab-${pane}"
        data-pane=${pane}
        aria-selected=${String(pane === open)}
        aria-controls="pane-${pane}"
        tabindex=${pane === open ? 0 : -1}
        @click=${() => void select(pane)}
      >
        ${label}
      </button>`,
    )}
  </div>`;
}

/** Links at the very start of the page that take keyboard users past the toolbar and the example list. */
export function renderSkipLinks(go: (target: 'code' | 'views') => void): TemplateResult {
  const skip = (target: 'code' | 'views') => (e: Event) => {
    // No address change: the address's hash holds share links.
    e.preventDefault();
    go(target);
  };
  return html`<nav class="skip-links" aria-label="Skip links">
    <a href="#pane-code" data-skip="code" @click=${skip('code')}>Skip to the code</a>
    <a href="#pane-views" data-skip="views" @click=${skip('views')}>Skip to the results</a>
  </nav>`;
}
