/**
 * Very long code in the editor (a 20,000-line program pasted in): Monaco's
 * bracket pair colouring and bracket matching keep a tree of every bracket in
 * the code on the page's thread. After a long paste they parse the whole text
 * once, then again piece by piece each time the background colouring of the
 * code reaches more lines; single frames took 50–250 ms. Above a size no
 * example comes near, both are turned off; they come back when the code is
 * short again.
 *
 * When to switch matters: changing these options rebuilds the bracket tree at
 * once, so switching right after a long paste would pay the full parse
 * anyway. The editor switches before a paste (it looks at the pasted text)
 * and before it sets long code itself; other ways of getting there (undo,
 * drop) switch right after, once.
 */
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';

/** How long the code is, for the editor's features. */
export type CodeLength = 'normal' | 'long';

/**
 * Code longer than this (in characters) is `long`: about 5,000 lines, over ten
 * times the longest example, and a few milliseconds of bracket parsing.
 */
export const LONG_CODE_CHARS = 200_000;

/** Long code becomes `normal` again below this, so that typing around the limit does not switch back and forth. */
export const NORMAL_CODE_CHARS = 150_000;

/** The class of code `chars` characters long, given the class it had (the two limits differ). */
export function codeLengthOf(chars: number, was: CodeLength): CodeLength {
  if (chars > LONG_CODE_CHARS) return 'long';
  if (chars < NORMAL_CODE_CHARS) return 'normal';
  return was;
}

/** Editor options for code of each length (Monaco's defaults for normal code). */
export function editorOptionsFor(length: CodeLength): MonacoApi.editor.IEditorOptions {
  return { matchBrackets: length === 'long' ? 'never' : 'always' };
}

/** Model options for code of each length. */
export function modelOptionsFor(length: CodeLength): MonacoApi.editor.ITextModelUpdateOptions {
  return { bracketColorizationOptions: { enabled: length === 'normal', independentColorPoolPerBracketType: false } };
}

/**
 * Keeps the editor's options fitted to the length of its code: `expect(chars)`
 * before a change that will make the code `chars` long (it only ever switches
 * to `long`: switching to `normal` rebuilds the bracket tree, which is cheap
 * only once the code is short), `fit()` after every change.
 */
export class CodeLengthFit {
  private length: CodeLength;

  constructor(
    private readonly editor: MonacoApi.editor.IStandaloneCodeEditor,
    private readonly model: MonacoApi.editor.ITextModel,
  ) {
    this.length = codeLengthOf(model.getValueLength(), 'normal');
    this.apply();
  }

  /** The class of the code now. */
  get current(): CodeLength {
    return this.length;
  }

  expect(chars: number): void {
    if (codeLengthOf(chars, this.length) === 'long') this.switchTo('long');
  }

  fit(): void {
    this.switchTo(codeLengthOf(this.model.getValueLength(), this.length));
  }

  private switchTo(length: CodeLength): void {
    if (length === this.length) return;
    this.length = length;
    this.apply();
  }

  private apply(): void {
    this.model.updateOptions(modelOptionsFor(this.length));
    this.editor.updateOptions(editorOptionsFor(this.length));
  }
}
