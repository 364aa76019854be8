import { describe, expect, it } from 'vitest';
import { PatternRoute, type RouteWindow } from '../../../src/ui/patterns/pattern-route.js';
import { FakeHost } from '../app/fake-host.js';

/** The window as the router sees it: hash changes and a history of (state, hash) entries. */
class FakeWindow extends EventTarget implements RouteWindow {
  entries: Array<{ state: unknown; hash: string }> = [{ state: null, hash: '' }];
  index = 0;
  readonly history = {
    get state(): unknown {
      return win.entries[win.index]!.state;
    },
    back: () => this.go(-1),
    pushState: (state: unknown, _title: string, url?: string | URL | null) => {
      this.entries.splice(this.index + 1, Infinity, { state, hash: String(url ?? '') });
      this.index++;
    },
    replaceState: (state: unknown, _title: string, url?: string | URL | null) => {
      this.entries[this.index] = { state, hash: String(url ?? '') };
    },
  } as unknown as RouteWindow['history'];

  get hash(): string {
    return this.entries[this.index]!.hash;
  }

  /** A link the browser follows: a new entry, then `hashchange`. */
  follow(hash: string): void {
    this.entries.splice(this.index + 1, Infinity, { state: null, hash });
    this.index++;
    this.dispatchHashChange();
  }

  go(delta: number): void {
    this.index += delta;
    this.dispatchHashChange();
  }

  private dispatchHashChange(): void {
    this.dispatchEvent(Object.assign(new Event('hashchange'), { newURL: `https://x.org/p/${this.hash}` }));
  }
}
let win: FakeWindow;

/** The page element as the router sees it. */
class RouterHost extends FakeHost {
  readonly dataset: Record<string, string> = {};
  readonly ownerDocument = { activeElement: null, body: null };
  private readonly events = new EventTarget();
  addEventListener(type: string, listener: EventListener): void {
    this.events.addEventListener(type, listener);
  }
  removeEventListener(type: string, listener: EventListener): void {
    this.events.removeEventListener(type, listener);
  }
  /** A click on a link inside the page (its path is what composedPath reports). */
  click(link: unknown, keys: { ctrlKey?: boolean } = {}): Event {
    // Node has no MouseEvent: an Event with the fields the router reads.
    const event = Object.assign(new Event('click', { cancelable: true }), { button: 0, metaKey: false, ctrlKey: false, shiftKey: false, altKey: false, ...keys });
    Object.defineProperty(event, 'composedPath', { value: () => [link] });
    this.events.dispatchEvent(event);
    return event;
  }
}

function setUp(openId = 'sync-vs-async') {
  win = new FakeWindow();
  const host = new RouterHost();
  const calls = { opened: [] as string[], revealed: [] as string[], replaced: [] as string[] };
  let open = openId;
  const route = new PatternRoute(host as unknown as FakeHost & HTMLElement, win, {
    replaceHash: (hash) => {
      calls.replaced.push(hash);
      win.history.replaceState(null, '', hash);
    },
    openExample: (id) => {
      calls.opened.push(id);
      open = id;
      route.exampleOpened(id);
    },
    openExampleId: () => open,
    revealExercise: (id) => calls.revealed.push(id),
    exampleTitles: () => new Map(),
  });
  host.connect();
  return { route, host, calls };
}

/** A link as `composedPath` reports it. */
function link(href: string): unknown {
  return { nodeName: 'A', getAttribute: (name: string) => (name === 'href' ? href : null) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PatternRoute', () => {
  it('opens the reference from the address and takes the route out of what the share-link reader sees', () => {
    const { route, host } = setUp();
    expect(route.start('https://x.org/p/#/patterns/outbox')).toEqual({ url: 'https://x.org/p/', exampleId: undefined });
    expect(route.showsPatterns).toBe(true);
    host.controllers[0]!.hostUpdate?.();
    expect(host.dataset['route']).toBe('patterns');
  });

  it('leaves a share link to the share-link reader', () => {
    const { route } = setUp();
    const link = 'https://x.org/p/#v=1&ex=retry&seed=7&sum=abc';
    expect(route.start(link)).toEqual({ url: link, exampleId: undefined });
    expect(route.showsPatterns).toBe(false);
  });

  it('follows hash changes in and out of the reference', () => {
    const { route } = setUp();
    route.start('https://x.org/p/');
    win.follow('#/patterns');
    expect(route.showsPatterns).toBe(true);
    win.go(-1);
    expect(route.showsPatterns).toBe(false);
  });

  it('steps back in the history when the reference was opened from a playground link, whatever entry was shown in it', () => {
    const { route, host } = setUp();
    route.start('https://x.org/p/');
    const event = host.click(link('#/patterns/bulkhead'));
    expect(event.defaultPrevented).toBe(true);
    expect(route.showsPatterns).toBe(true);
    route.goTo('timeout');
    expect(win.hash).toBe('#/patterns/timeout');
    route.close();
    expect(win.index).toBe(0);
    expect(route.showsPatterns).toBe(false);
  });

  it('leaves links with a modifier key, and links elsewhere, to the browser', () => {
    const { route, host } = setUp();
    route.start('https://x.org/p/');
    expect(host.click(link('#/patterns'), { ctrlKey: true }).defaultPrevented).toBe(false);
    expect(host.click(link('https://www.rabbitmq.com/docs/dlx')).defaultPrevented).toBe(false);
    expect(route.showsPatterns).toBe(false);
  });

  it('does not step out of the site when the reference was opened by its address', () => {
    const { route, calls } = setUp();
    route.start('https://x.org/p/#/patterns');
    route.close();
    expect(win.index).toBe(0);
    expect(calls.replaced).toEqual(['']);
    expect(route.showsPatterns).toBe(false);
  });

  it('treats an entry reached by going back as not opened from the playground unless it was marked so', () => {
    const { route, calls } = setUp();
    route.start('https://x.org/p/');
    win.follow('#/patterns'); // typed or followed by the browser: no mark
    win.follow('#/examples/timeouts/request-timeout');
    win.go(-1);
    expect(route.showsPatterns).toBe(true);
    const before = win.index;
    route.close();
    expect(win.index).toBe(before);
    expect(calls.replaced.at(-1)).toBe('');
  });

  it('opens the example a link names and shows its exercise once it is open', async () => {
    const { route, calls } = setUp('sync-vs-async');
    route.start('https://x.org/p/');
    win.follow('#/patterns');
    win.follow('#/examples/timeouts/request-timeout');
    expect(route.showsPatterns).toBe(false);
    expect(calls.opened).toEqual(['timeouts']);
    expect(calls.replaced).toContain('');
    await flush();
    expect(calls.revealed).toEqual(['request-timeout']);
  });

  it('shows the exercise at once when its example is already open', async () => {
    const { route, calls } = setUp('timeouts');
    route.start('https://x.org/p/');
    win.follow('#/examples/timeouts/timeout-policy');
    expect(calls.opened).toEqual([]);
    await flush();
    expect(calls.revealed).toEqual(['timeout-policy']);
  });

  it('keeps the exercise of a start address until the page has opened that example', async () => {
    const { route, calls } = setUp('');
    expect(route.start('https://x.org/p/#/examples/idempotency/deduplicate')).toEqual({ url: 'https://x.org/p/', exampleId: 'idempotency' });
    route.exampleOpened('retry-backoff');
    await flush();
    expect(calls.revealed).toEqual([]);
    route.exampleOpened('idempotency');
    await flush();
    expect(calls.revealed).toEqual(['deduplicate']);
  });
});
