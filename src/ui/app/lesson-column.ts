import { html, nothing, type TemplateResult } from 'lit';
import type { Example } from '../../../examples/types.js';
import type { CodeMarker, EditorLoader } from '../editor/code-editor.js';
import type { LessonExercise } from '../lesson-panel.js';
import { patternsOfExample } from '../patterns/pattern-index.js';
import { paneOf, type PaneState } from './page-panes.js';

/** What the middle column shows. */
export interface LessonColumnState {
  example: Example;
  /** The example's place in the course: whether there is a previous and a next lesson. */
  hasPrev: boolean;
  hasNext: boolean;
  exercises: LessonExercise[];
  /** How the lesson and the code show: columns of the wide layout, or panes of the narrow one. */
  lessonPane: PaneState;
  codePane: PaneState;
  code: string;
  loader: EditorLoader | undefined;
  dark: boolean;
  markers: CodeMarker[];
}

/**
 * The middle column: the lesson (which the learner can fold away on a wide
 * screen) above the code editor; on a narrow screen, two panes. The lesson
 * panel and the editor report back with their events (`navigate`,
 * `load-solution`, `code-change`, `run-request`), which bubble to the app.
 */
export function renderLessonColumn(s: LessonColumnState, toggleLesson: () => void): TemplateResult {
  const { example, lessonPane, codePane } = s;
  const wide = lessonPane.kind === 'column';
  return html`<main class="center" aria-label="Lesson and code" ?hidden=${!lessonPane.shown && !codePane.shown}>
    ${wide
      ? html`<div class="lesson-toggle">
          <span>${example.order}. ${example.title}</span>
          <button class="small" aria-expanded=${String(lessonPane.shown)} aria-controls="pane-lesson" @click=${toggleLesson}>
            ${lessonPane.shown ? 'Hide lesson' : 'Show lesson'}
          </button>
        </div>`
      : nothing}
    <div class="lesson" id="pane-lesson" ${paneOf(lessonPane)}>
      <spp-lesson-panel
        .heading=${example.title}
        .summary=${example.summary}
        .objectives=${example.objectives}
        .lesson=${example.lesson}
        .exercises=${s.exercises}
        .patterns=${patternsOfExample(example.id)}
        .hasPrev=${s.hasPrev}
        .hasNext=${s.hasNext}
      ></spp-lesson-panel>
    </div>
    <div class="code" id="pane-code" ${paneOf(codePane)}>
      <spp-code-editor .loader=${s.loader} .value=${s.code} .dark=${s.dark} .markers=${s.markers}></spp-code-editor>
    </div>
  </main>`;
}
