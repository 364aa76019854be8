import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { linkHref, parseRoute, routeHash, withoutRoute, type PageRoute } from './page-route.js';

/** The window as the router uses it: its `hashchange` events and its history. */
export interface RouteWindow extends EventTarget {
  history: Pick<History, 'back' | 'pushState' | 'replaceState' | 'state'>;
}

/** The mark on a history entry of the reference that was opened from the playground (the entry before it). */
const FROM_PLAYGROUND = 'spp-patterns-from-playground';

/** What the router needs from the page. */
export interface PatternRouteOptions {
  /** Replaces the address's hash without a new history entry. */
  replaceHash(hash: string): void;
  /** Opens an example (a `#/examples/…` link); the page calls {@link PatternRoute.exampleOpened} once it is open. */
  openExample(exampleId: string): void;
  /** The id of the example open now ('' when none). */
  openExampleId(): string;
  /** Shows an exercise of the open example in its lesson. */
  revealExercise(exerciseId: string): void;
  /** Example titles by id, for the reference's links. */
  exampleTitles(): ReadonlyMap<string, string>;
}

/** Loads the reference's element and content (a chunk of its own, kept offline by the service worker). */
const loadReference = () => import('./pattern-reference.js');

/**
 * The page's router: shows the pattern reference for `#/patterns[/<id>]`
 * and follows `#/examples/<id>[/<exercise>]` links (see page-route.ts).
 * The playground stays in the page, hidden, while the reference shows, so
 * the editor, the draft and the last run are there when the learner comes
 * back; "Back to the playground" is one step back in the history when the
 * reference was opened from the playground.
 *
 * @example
 * private readonly route = new PatternRoute(this, window, { replaceHash, openExample, … });
 * // in render(): ${this.route.render()}
 */
export class PatternRoute implements ReactiveController {
  private current: PageRoute = { kind: 'playground' };
  /** The reference was opened from the playground, so going back in the history returns there. */
  private openedFromPlayground = false;
  /** An exercise to show once its example is open. */
  private pending: { exampleId: string; exerciseId: string | undefined } | undefined;
  /** What had the focus before the reference opened (given back on return). */
  private opener: HTMLElement | undefined;
  private loading: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly win: RouteWindow,
    private readonly options: PatternRouteOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.win.addEventListener('hashchange', this.onHashChange);
    this.host.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    this.win.removeEventListener('hashchange', this.onHashChange);
    this.host.removeEventListener('click', this.onClick);
  }

  hostUpdate(): void {
    // The page's stylesheet hides the playground (which stays in the page) while the reference shows.
    this.host.dataset['route'] = this.current.kind === 'patterns' ? 'patterns' : 'playground';
  }

  /** True while the reference shows. */
  get showsPatterns(): boolean {
    return this.current.kind === 'patterns';
  }

  /**
   * Reads the address the page was opened with. Returns what the start of
   * the page needs: the URL with the route's hash removed (so it is not read
   * as a damaged share link) and the example a `#/examples/…` link names.
   */
  start(url: string): { url: string; exampleId: string | undefined } {
    const route = parseRoute(url);
    // The page opens the example a link names itself (it is what it opens first).
    if (route.kind === 'example') this.pending = { exampleId: route.exampleId, exerciseId: route.exerciseId };
    else this.apply(route);
    return { url: withoutRoute(url, route), exampleId: route.kind === 'example' ? route.exampleId : undefined };
  }

  /** The page opened an example: shows the exercise a link asked for, if it was in this example. */
  exampleOpened(exampleId: string): void {
    const pending = this.pending;
    if (!pending || pending.exampleId !== exampleId) return;
    this.pending = undefined;
    if (pending.exerciseId) {
      const exerciseId = pending.exerciseId;
      void this.host.updateComplete.then(() => this.options.revealExercise(exerciseId));
    }
  }

  /** Shows entry `id` of the reference ('' for its top) without a new history entry (the entry keeps its mark). */
  goTo(id: string): void {
    const route: PageRoute = id ? { kind: 'patterns', anchor: id } : { kind: 'patterns' };
    this.win.history.replaceState(this.win.history.state, '', routeHash(route));
    this.apply(route);
  }

  /** Back to the playground: a step back in the history when the entry before is the playground it was opened from. */
  close(): void {
    if (this.openedFromPlayground) this.win.history.back();
    else {
      this.options.replaceHash('');
      this.apply({ kind: 'playground' });
    }
  }

  /**
   * Links to the reference from the playground (lesson, picker) open it on a
   * history entry marked as coming from the playground, so that its back
   * button can step back there. Links with a modifier key are left to the
   * browser (a new tab).
   */
  private readonly onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const href = linkHref(event.composedPath());
    if (!href?.startsWith('#/patterns') || this.current.kind === 'patterns') return;
    const route = parseRoute(href);
    if (route.kind !== 'patterns') return;
    event.preventDefault();
    this.win.history.pushState({ [FROM_PLAYGROUND]: true }, '', routeHash(route));
    this.apply(route);
  };

  private readonly onHashChange = (event: Event): void => {
    const url = (event as HashChangeEvent).newURL;
    this.apply(parseRoute(typeof url === 'string' ? url : ''));
  };

  private apply(route: PageRoute): void {
    const before = this.current;
    if (route.kind === 'example') {
      // A link to an example: open it in the playground, and leave no route in the address.
      this.pending = { exampleId: route.exampleId, exerciseId: route.exerciseId };
      this.options.replaceHash('');
      this.apply({ kind: 'playground' });
      if (this.options.openExampleId() === route.exampleId) this.exampleOpened(route.exampleId);
      else this.options.openExample(route.exampleId);
      return;
    }
    this.current = route;
    if (route.kind === 'patterns') {
      if (before.kind !== 'patterns') {
        const state: unknown = this.win.history.state;
        this.openedFromPlayground = typeof state === 'object' && state !== null && (state as Record<string, unknown>)[FROM_PLAYGROUND] === true;
        this.opener = deepActiveElement(this.host.ownerDocument);
      }
      this.load();
    } else if (before.kind === 'patterns') {
      this.openedFromPlayground = false;
      const opener = this.opener;
      this.opener = undefined;
      void this.host.updateComplete.then(() => {
        if (opener?.isConnected) opener.focus();
      });
    }
    this.host.requestUpdate();
  }

  private load(): void {
    if (this.loading === 'loading' || this.loading === 'ready') return;
    this.loading = 'loading';
    loadReference().then(
      () => {
        this.loading = 'ready';
        this.host.requestUpdate();
      },
      () => {
        this.loading = 'failed';
        this.host.requestUpdate();
      },
    );
  }

  /** The reference, while it shows (the page hides its other parts through its `data-route` attribute). */
  render(): TemplateResult | typeof nothing {
    if (this.current.kind !== 'patterns') return nothing;
    if (this.loading === 'failed') {
      return html`<div class="pattern-reference-problem" role="alert">
        The pattern reference could not be loaded. <button @click=${() => this.retry()}>Try again</button> <button @click=${() => this.close()}>Back to the playground</button>
      </div>`;
    }
    return html`<spp-pattern-reference
      .anchor=${this.current.anchor ?? ''}
      .exampleTitles=${this.options.exampleTitles()}
      @pattern-anchor=${(e: CustomEvent<{ id: string }>) => this.goTo(e.detail.id)}
      @patterns-close=${() => this.close()}
    ></spp-pattern-reference>`;
  }

  private retry(): void {
    this.loading = 'idle';
    this.load();
    this.host.requestUpdate();
  }
}

/** The element that has the focus, looking into shadow roots. */
function deepActiveElement(doc: Document): HTMLElement | undefined {
  let active: Element | null = doc.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active && active !== doc.body && typeof (active as HTMLElement).focus === 'function' ? (active as HTMLElement) : undefined;
}
