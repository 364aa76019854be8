import type { Example } from '../../../examples/types.js';
import { seedMarkdown } from '../markdown.js';
import { FIRST_PAINT_CLASS, LESSON_MD, hintMd, taskMd } from './render-first-paint.js';

/** The snapshot the page's HTML carries, as the app starts. */
export interface FirstPaint {
  /** Id of the example the snapshot shows ('' without a snapshot). */
  readonly exampleId: string;
  /**
   * Lends the snapshot's rendered lesson to the app when `example` is the one
   * it shows, so that the app's lesson panel shows it at once instead of
   * waiting for the markdown parser (its own chunk) to load.
   */
  lendLesson(example: Example): void;
}

/**
 * Lets the app take over from the snapshot of the first example built into
 * index.html (render-first-paint.ts): the snapshot stays until the app has
 * rendered the page (the app renders into the same element, after it), and is
 * removed in the same task, before the browser paints again. Without a
 * snapshot (the development server) the loading text is removed at once.
 *
 * @example
 * const firstPaint = handOverFirstPaint(app);
 * const load = (id) => loadExample(id).then((ex) => (firstPaint.lendLesson(ex), ex));
 */
export function handOverFirstPaint(app: HTMLElement): FirstPaint {
  const snapshot = [...app.children].find((c) => c.classList.contains(FIRST_PAINT_CLASS));
  if (!snapshot) {
    app.replaceChildren();
    return { exampleId: '', lendLesson: () => undefined };
  }
  for (const c of [...app.children]) if (c !== snapshot) c.remove();
  // The app's page starts with its header; its loading text (a plain paragraph) does not count.
  const observer = new MutationObserver((records) => {
    const rendered = records.some((r) => [...r.addedNodes].some((n) => n instanceof HTMLElement && n.localName !== 'p' && !snapshot.contains(n)));
    if (!rendered) return;
    observer.disconnect();
    snapshot.remove();
    document.documentElement.removeAttribute('data-first-paint');
    document.documentElement.removeAttribute('data-first-paint-lesson');
  });
  observer.observe(app, { childList: true });
  const exampleId = (snapshot as HTMLElement).dataset['exampleId'] ?? '';
  return {
    exampleId,
    lendLesson(example) {
      if (example.id !== exampleId) return;
      const sources = new Map<string, string>([[LESSON_MD, example.lesson]]);
      for (const x of example.exercises) sources.set(taskMd(x.id), x.task).set(hintMd(x.id), x.hint);
      for (const el of snapshot.querySelectorAll<HTMLElement>('[data-md]')) {
        const source = sources.get(el.dataset['md'] ?? '');
        if (source !== undefined) seedMarkdown(source, el.innerHTML);
      }
    },
  };
}
