import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ResizeController } from '../views/resize-controller.js';
import { layoutForWidth, paneState, renderPaneTabs, type PageLayout, type PagePane, type PaneState } from './page-panes.js';

/**
 * The page's layout, from the page's own width: columns side by side, or (on
 * a narrow screen) one pane at a time under tabs. It puts the layout on the
 * host as `data-layout` (which the stylesheet follows) before each render;
 * that is done here rather than with media queries because the page's ARIA
 * changes with it too (tab panels or columns).
 *
 * @example
 * private readonly panes = new PaneLayout(this);
 * html`${this.panes.renderTabs()}<aside ${paneOf(this.panes.state('examples'))}>…</aside>`;
 */
export class PaneLayout implements ReactiveController {
  layout: PageLayout = 'wide';
  /** The pane a narrow screen shows. */
  open: PagePane = 'lesson';

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
    new ResizeController(host, {
      onResize: (el) => {
        const layout = layoutForWidth(el.clientWidth);
        if (layout === this.layout) return;
        this.layout = layout;
        host.requestUpdate();
      },
    });
  }

  get narrow(): boolean {
    return this.layout === 'narrow';
  }

  hostUpdate(): void {
    this.host.dataset['layout'] = this.layout;
  }

  /** On a narrow screen, shows `pane`; resolves once it is rendered. */
  show(pane: PagePane): Promise<unknown> {
    if (this.narrow && this.open !== pane) {
      this.open = pane;
      this.host.requestUpdate();
    }
    return this.host.updateComplete;
  }

  /** How `pane` shows now; `column` says whether the wide layout shows it. */
  state(pane: PagePane, column = true): PaneState {
    return paneState(this.layout, this.open, pane, column);
  }

  /** The pane tabs of the narrow layout (nothing in the wide one). */
  renderTabs() {
    return this.narrow ? renderPaneTabs(this.open, (pane) => this.show(pane)) : undefined;
  }
}
