import { html, type TemplateResult } from 'lit';

/**
 * The question asked before a reference solution is shown (in the lesson) or
 * run beside the learner's code (in Compare): one place, so both ask alike.
 * Buttons: `[data-confirm-solution]` (yes) and "Not yet".
 *
 * @example
 * html`${asking ? renderSolutionConfirm(() => reveal(id), () => (asking = false)) : nothing}`;
 */
export function renderSolutionConfirm(onYes: () => void, onNo: () => void): TemplateResult {
  return html`<div class="row confirm" role="alertdialog" aria-label="Show the solution?">
    <span>Show the reference solution? Trying first teaches more.</span>
    <button data-confirm-solution @click=${onYes}>Yes, show it</button>
    <button @click=${onNo}>Not yet</button>
  </div>`;
}
