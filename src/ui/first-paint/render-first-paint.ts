import type { Example, ExampleMeta } from '../../../examples/types.js';

/** What the snapshot shows: the course's list, and the example the page opens first. */
export interface FirstPaintInput {
  catalog: readonly ExampleMeta[];
  example: Example;
  /** Lesson markdown to HTML: the page's own renderer (raw HTML off, safe links only). */
  markdown: (source: string) => string;
}

/** Class of the snapshot's root, a child of `<spp-app>`; the page removes it once the app has rendered. */
export const FIRST_PAINT_CLASS = 'spp-first-paint';

/** `data-md` of the snapshot's lesson: its HTML is the app's for the same markdown (see hand-over.ts). */
export const LESSON_MD = 'lesson';
export const taskMd = (exerciseId: string) => `task:${exerciseId}`;
export const hintMd = (exerciseId: string) => `hint:${exerciseId}`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * The page as the app first shows it, as static HTML for inside `<spp-app>`:
 * header, the list of examples, the first example's lesson (objectives,
 * text, exercises) and its code, read-only. Built into index.html at build
 * time, so the learner reads the lesson and the code before any script has
 * run; the app replaces it with the live page when it has rendered. It uses
 * the app's own layout classes (app.css), so the swap does not move anything.
 * Nothing in it is interactive: the app's controls arrive with the app.
 *
 * @example
 * renderFirstPaint({ catalog, example, markdown: markdownToHtml }) // '<div class="spp-first-paint" …>…</div>'
 */
export function renderFirstPaint({ catalog, example, markdown }: FirstPaintInput): string {
  const e = escapeHtml;
  const md = (key: string, source: string) => `<div class="md" data-md="${e(key)}">${markdown(source)}</div>`;
  const topics = new Map<string, ExampleMeta[]>();
  for (const m of [...catalog].sort((a, b) => a.order - b.order)) topics.set(m.topic, [...(topics.get(m.topic) ?? []), m]);
  const list = [...topics]
    .map(
      ([topic, items]) =>
        `<h2>${e(topic)}</h2><ul>${items
          .map((m) => `<li><span class="fp-item"${m.id === example.id ? ' data-current' : ''} data-example="${e(m.id)}"><span class="n">${m.order}.</span> <span class="t">${e(m.title)}</span></span></li>`)
          .join('')}</ul>`,
    )
    .join('');
  const objectives = example.objectives.length
    ? `<div class="objectives"><strong>You will learn to</strong><ul>${example.objectives.map((o) => `<li>${e(o)}</li>`).join('')}</ul></div>`
    : '';
  const exercises = example.exercises.length
    ? `<h2>Exercises</h2>${example.exercises
        .map(
          (x, i) =>
            `<section class="exercise"><h3>Exercise ${i + 1}: ${e(x.title)}</h3>${md(taskMd(x.id), x.task)}<details><summary>Hint</summary>${md(hintMd(x.id), x.hint)}</details></section>`,
        )
        .join('')}`
    : '';
  return [
    `<div class="${FIRST_PAINT_CLASS}" data-example-id="${e(example.id)}">`,
    `<header><h1>Service Patterns<br />Playground</h1><p class="fp-status" role="status">Starting the playground…</p></header>`,
    `<div class="fp-pane-tabs" aria-hidden="true"><span>Examples</span><span data-current>Lesson</span><span>Code</span><span>Views</span></div>`,
    `<aside aria-label="Examples"><nav class="fp-picker" aria-label="Examples">${list}</nav></aside>`,
    `<main class="center" aria-label="Lesson and code">`,
    `<div class="lesson-toggle"><span>${example.order}. ${e(example.title)}</span></div>`,
    `<div class="lesson"><article class="fp-lesson"><h1>${e(example.title)}</h1><p class="summary">${e(example.summary)}</p>${objectives}${md(LESSON_MD, example.lesson)}${exercises}</article></div>`,
    `<div class="code"><pre class="spp-code-fallback" aria-label="Example code (loading the editor)">${e(example.code)}</pre></div>`,
    `</main>`,
    `<div class="splitter" aria-hidden="true"></div>`,
    `<section class="views" aria-label="Results"><p class="empty">The results of the first run appear here.</p></section>`,
    `</div>`,
  ].join('');
}
