import { html, type TemplateResult } from 'lit';
import type { Example } from '../../../examples/types.js';
import type { CodeMarker, EditorLoader } from '../editor/code-editor.js';
import type { LessonExercise } from '../lesson-panel.js';

/** What the middle column shows. */
export interface LessonColumnState {
  example: Example;
  /** The example's place in the course: whether there is a previous and a next lesson. */
  hasPrev: boolean;
  hasNext: boolean;
  exercises: LessonExercise[];
  lessonOpen: boolean;
  code: string;
  loader: EditorLoader | undefined;
  dark: boolean;
  markers: CodeMarker[];
}

/**
 * The middle column: the lesson (which the learner can fold away) above the
 * code editor. The lesson panel and the editor report back with their events
 * (`navigate`, `load-solution`, `code-change`, `run-request`), which bubble to the app.
 */
export function renderLessonColumn(s: LessonColumnState, toggleLesson: () => void): TemplateResult {
  const { example } = s;
  return html`<section class="center" aria-label="Lesson and code">
    <div class="lesson-toggle">
      <span>${example.order}. ${example.title}</span>
      <button class="small" aria-expanded=${String(s.lessonOpen)} @click=${toggleLesson}>${s.lessonOpen ? 'Hide lesson' : 'Show lesson'}</button>
    </div>
    <div class="lesson" ?hidden=${!s.lessonOpen}>
      <spp-lesson-panel
        .heading=${example.title}
        .summary=${example.summary}
        .objectives=${example.objectives}
        .lesson=${example.lesson}
        .exercises=${s.exercises}
        .hasPrev=${s.hasPrev}
        .hasNext=${s.hasNext}
      ></spp-lesson-panel>
    </div>
    <spp-code-editor .loader=${s.loader} .value=${s.code} .dark=${s.dark} .markers=${s.markers}></spp-code-editor>
  </section>`;
}
