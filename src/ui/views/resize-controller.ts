import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Options of {@link ResizeController}. */
export interface ResizeControllerOptions {
  /**
   * The element to watch (default: the host). Asked again after every update
   * until it gives one, because an element of the shadow root exists only
   * once the host has rendered.
   */
  target?: () => Element | null | undefined;
  /** Called when the watched element's size changes, and once when watching starts. */
  onResize: (target: Element) => void;
}

/**
 * Watches the size of a view's element with a `ResizeObserver` for as long as
 * the view is connected: it starts watching on connect (or after the first
 * render, for an element of the shadow root) and stops on disconnect, so a view
 * that is removed and added again keeps following its size.
 *
 * @example
 * private readonly resize = new ResizeController(this, {
 *   target: () => this.renderRoot.querySelector('.scroller'),
 *   onResize: (el) => (this.width = el.clientWidth),
 * });
 */
export class ResizeController implements ReactiveController {
  private observer: ResizeObserver | undefined;
  private watched: Element | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly options: ResizeControllerOptions,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.watch();
  }

  hostUpdated(): void {
    this.watch();
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.watched = undefined;
  }

  private watch(): void {
    // A disconnected view may still update (a property set meanwhile); it watches again on connect.
    if (!this.host.isConnected) return;
    const target = this.options.target ? this.options.target() : this.host;
    if (!target || target === this.watched) return;
    this.observer ??= new ResizeObserver(() => {
      if (this.watched) this.options.onResize(this.watched);
    });
    if (this.watched) this.observer.unobserve(this.watched);
    this.observer.observe(target);
    this.watched = target;
  }
}
