// Mounting <spp-app> with fake dependencies, and reading what it shows.
import '../../../src/ui/app.js';
import { PREFERENCES_KEY } from '../../../src/share/preferences.js';
import { createMemoryStorage, type StorageLike } from '../../../src/share/storage-like.js';
import type { AppDeps } from '../../../src/ui/app-deps.js';
import type { PlaygroundApp } from '../../../src/ui/app.js';
import { emitControl } from '../../../src/ui/control-events.js';

const mounted: PlaygroundApp[] = [];

/** Removes every app mounted so far. */
export function unmountApps(): void {
  for (const app of mounted.splice(0)) app.remove();
}

/** Mounts `<spp-app>` with `deps` and waits until it shows an example. */
export async function mountApp(deps: AppDeps): Promise<PlaygroundApp> {
  const app = document.createElement('spp-app');
  document.body.append(app);
  app.start(deps);
  mounted.push(app);
  await until(() => app.querySelector('spp-lesson-panel'), 'the lesson panel');
  return app;
}

/** Polls `probe` until it returns something truthy (or fails after `ms`). */
export async function until<T>(probe: () => T | null | undefined | false, what: string, ms = 3000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The text of an element's shadow root, spaces collapsed. */
export const shadowText = (el: Element | null) => el?.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
export const editorOf = (app: PlaygroundApp) => app.querySelector('spp-code-editor')!;
export const toolbarOf = (app: PlaygroundApp) => app.querySelector('spp-run-toolbar')!;
/** The toolbar's run status line. */
export const statusOf = (app: PlaygroundApp) => toolbarOf(app).shadowRoot!.querySelector<HTMLElement>('.status')!;
export const click = (root: ParentNode, selector: string) => root.querySelector<HTMLElement>(selector)!.click();
/** An edit in the editor, as Monaco reports it (Monaco itself does not load here). */
export const typeCode = (app: PlaygroundApp, value: string) => emitControl(editorOf(app), 'code-change', { value });
/** The texts of the banners of one tone. */
export const bannerTexts = (app: PlaygroundApp, tone: string) => [...app.querySelectorAll(`.banner[data-tone=${tone}]`)].map((b) => b.textContent!.replace(/\s+/g, ' '));

/** Storage whose preferences switch auto-run off, so runs happen only on request. */
export function manualRunStorage(): StorageLike {
  const storage = createMemoryStorage();
  storage.setItem(PREFERENCES_KEY, JSON.stringify({ v: 1, autoRun: false, theme: 'system', lastExample: null }));
  return storage;
}
