/**
 * Pasting very long text a slice at a time. Monaco applies a paste in one
 * task, and for a 20,000-line program that task took 60–160 ms of the page's
 * thread (counting line ends several times over, the undo record, the view's
 * line bookkeeping, the copy for each worker), so the page stalled. Applied in
 * slices of about 100,000 characters, one task each, every task is a few
 * milliseconds; the slices make one undo step, and the cursor ends after the
 * pasted text, as with Monaco's own paste.
 */
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';

/** About how many characters one slice holds (it ends at the next line end). */
export const SLICE_CHARS = 100_000;

/** Text shorter than this is pasted by Monaco itself, in one go. */
export const SLICED_PASTE_CHARS = 2 * SLICE_CHARS;

/** `text` cut into slices of at least `size` characters that end with a line end (the last one with what is left). */
export function slicesOf(text: string, size = SLICE_CHARS): string[] {
  const slices: string[] = [];
  let start = 0;
  while (start < text.length) {
    const lineEnd = text.indexOf('\n', start + size - 1);
    const end = lineEnd < 0 ? text.length : lineEnd + 1;
    slices.push(text.slice(start, end));
    start = end;
  }
  return slices;
}

/**
 * Replaces the editor's selection with `text`, one slice per task (`nextTask`
 * waits for the next). Resolves when all of it is in, or stops early if
 * anything else changed the code in between (an edit, another example).
 */
export async function pasteInSlices(editor: MonacoApi.editor.IStandaloneCodeEditor, text: string, nextTask: () => Promise<void>): Promise<void> {
  const model = editor.getModel();
  const selection = editor.getSelection();
  if (!model || !selection) return;
  editor.pushUndoStop();
  try {
    let at: MonacoApi.IRange = selection;
    for (const slice of slicesOf(text)) {
      // The first slice waits too: the paste event's task has read the clipboard already.
      const version = model.getVersionId();
      await nextTask();
      if (editor.getModel() !== model || model.getVersionId() !== version) return;
      let end: MonacoApi.IPosition | undefined;
      editor.executeEdits('paste', [{ range: at, text: slice, forceMoveMarkers: true }], (inverse) => {
        const r = inverse[0]!.range;
        end = { lineNumber: r.endLineNumber, column: r.endColumn };
        return null;
      });
      if (!end) return;
      at = { startLineNumber: end.lineNumber, startColumn: end.column, endLineNumber: end.lineNumber, endColumn: end.column };
      editor.setPosition(end);
    }
    editor.revealPosition(editor.getPosition()!);
  } finally {
    // However it ended, what went in is one undo step.
    if (editor.getModel() === model) editor.pushUndoStop();
  }
}
