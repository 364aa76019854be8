import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';

/** How a banner looks and how urgently a screen reader announces it. */
export type BannerTone = 'info' | 'warn' | 'error';

/** A button on a banner. */
export interface BannerAction {
  label: string;
  run: () => void;
}

/** A message across the top of the page. */
export interface Banner {
  id: number;
  tone: BannerTone;
  text: string;
  actions?: readonly BannerAction[];
}

/** Extras of a banner: buttons, and a delay after which it closes by itself. */
export interface BannerOptions {
  actions?: readonly BannerAction[];
  autoCloseMs?: number;
}

/**
 * The messages across the top of the page. The same text is never shown
 * twice (a newer copy replaces the older one); a banner may close itself
 * after a delay.
 *
 * @example
 * const banners = new BannerList(this);
 * const id = banners.add('info', 'Link copied.', { autoCloseMs: 4000 });
 * html`${banners.render()}`;
 */
export class BannerList implements ReactiveController {
  private list: readonly Banner[] = [];
  private counter = 0;
  private readonly warned = new Set<string>();
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** The banners shown, oldest first. */
  get items(): readonly Banner[] {
    return this.list;
  }

  /** Shows a banner and returns its id. */
  add(tone: BannerTone, text: string, options: BannerOptions = {}): number {
    const id = ++this.counter;
    for (const b of this.list) if (b.text === text) this.forgetTimer(b.id);
    this.set([...this.list.filter((b) => b.text !== text), { id, tone, text, ...(options.actions ? { actions: options.actions } : {}) }]);
    if (options.autoCloseMs) this.timers.set(id, setTimeout(() => this.remove(id), options.autoCloseMs));
    return id;
  }

  /**
   * Shows a warning the first time something goes wrong with `topic` (say,
   * storage that is full) and stays quiet after that: one failing write per
   * edit must not stack banners.
   */
  warnOnce(topic: string, text: string): void {
    if (this.warned.has(topic)) return;
    this.warned.add(topic);
    this.add('warn', text);
  }

  /** Closes a banner (a no-op when it is already gone). */
  remove(id: number): void {
    this.forgetTimer(id);
    if (this.list.some((b) => b.id === id)) this.set(this.list.filter((b) => b.id !== id));
  }

  /** Banners that would close by themselves go with the page: nothing fires into a detached element. */
  hostDisconnected(): void {
    const passing = new Set(this.timers.keys());
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.set(this.list.filter((b) => !passing.has(b.id)));
  }

  /** The banner region: each banner with its actions and a dismiss button. */
  render() {
    return html`<div class="banners" role="region" aria-label="Messages">
      ${this.list.map(
        (b) => html`<div class="banner" data-tone=${b.tone} role=${b.tone === 'error' ? 'alert' : 'status'}>
          <span>${b.text}</span>
          ${b.actions?.map((a) => html`<button class="small" @click=${a.run}>${a.label}</button>`) ?? nothing}
          <button class="small" aria-label="Dismiss" @click=${() => this.remove(b.id)}>✕</button>
        </div>`,
      )}
    </div>`;
  }

  private set(list: readonly Banner[]): void {
    this.list = list;
    this.host.requestUpdate();
  }

  private forgetTimer(id: number): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }
}
