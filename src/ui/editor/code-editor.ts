import { LitElement, html, type PropertyValues } from 'lit';
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';
import { emitControl } from '../control-events.js';
import type { Monaco } from './load-monaco.js';
import { CodeLengthFit } from './long-code.js';
import { pasteInSlices, SLICED_PASTE_CHARS } from './paste-in-slices.js';

/** A problem to mark in the code (from a run). */
export interface CodeMarker {
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Loads Monaco for the editor (`loadMonaco` in the page; tests leave it out). */
export type EditorLoader = () => Promise<Monaco>;

/** Monaco's dark theme with comments light enough to read (vs-dark's are 4.2:1 on its background; these 6:1). */
const DARK_THEME = 'spp-dark';

function defineThemes(monaco: Monaco): void {
  monaco.editor.defineTheme(DARK_THEME, { base: 'vs-dark', inherit: true, rules: [{ token: 'comment', foreground: '7ca668' }], colors: {} });
}

/** The key that switches Tab between indenting and moving the focus (Monaco's `editor.action.toggleTabFocusMode`). */
const TOGGLE_TAB_KEY = /Mac|iPhone|iPad/.test(navigator.platform) ? 'Ctrl+Shift+M' : 'Ctrl+M';

/** How to leave the editor with the keyboard, shown while it has the focus. */
export const LEAVE_EDITOR_HINT = `Esc then Tab leaves the editor · ${TOGGLE_TAB_KEY} toggles Tab moving focus`;

/**
 * The TypeScript editor. Shows the code read-only at once and swaps in Monaco
 * when its `loader` has loaded it (Monaco cannot render inside a shadow root,
 * so this element renders into its own light DOM). Without a loader the code
 * stays read-only: the page's tests mount the app that way, as Monaco cannot
 * load in their runner.
 *
 * Tab indents, as in any code editor; Escape then Tab (or Shift+Tab) moves
 * the focus out, and Ctrl+M switches Tab to moving the focus for good. A hint
 * says so while the editor has the focus.
 *
 * Events (typed in control-events.ts): `code-change` {value}, `run-request`, `share-request`, `editor-ready`.
 */
export class CodeEditor extends LitElement {
  static override properties = {
    loader: { attribute: false },
    value: { type: String },
    dark: { type: Boolean },
    markers: { attribute: false },
    loadError: { state: true },
    focused: { state: true },
  };

  /** Where Monaco comes from; set it before the element is connected. */
  declare loader: EditorLoader | undefined;
  /** The code shown; the editor reports edits with `code-change`. */
  declare value: string;
  /** Dark theme. */
  declare dark: boolean;
  declare markers: CodeMarker[];
  private declare loadError: string;
  /** The editor has the keyboard focus (the hint on leaving it shows). */
  private declare focused: boolean;

  constructor() {
    super();
    this.value = '';
    this.dark = false;
    this.markers = [];
    this.loadError = '';
    this.focused = false;
  }
  private monaco: Monaco | undefined;
  private editor: MonacoApi.editor.IStandaloneCodeEditor | undefined;
  private model: MonacoApi.editor.ITextModel | undefined;
  /** Turns off the bracket features that would hold the page's thread on very long code. */
  private lengthFit: CodeLengthFit | undefined;
  private applying = false;
  /** A long paste is going in slice by slice: the code is reported once it is all in. */
  private pasting = false;
  /** The model's text as last reported or applied: a long program's text is not read again to compare. */
  private synced = '';
  private resize: ResizeObserver | undefined;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.editor?.dispose();
    this.model?.dispose();
    this.editor = undefined;
    this.model = undefined;
    this.lengthFit = undefined;
  }

  /** True once Monaco is in place. */
  get ready(): boolean {
    return this.editor !== undefined;
  }

  /** Moves the cursor to a line (and column) and brings it into view. */
  revealLine(line: number, column = 1): void {
    if (this.editor) {
      this.editor.setPosition({ lineNumber: line, column });
      this.editor.revealLineInCenter(line);
      this.editor.focus();
    } else {
      this.querySelector<HTMLElement>(`[data-line="${line}"]`)?.scrollIntoView({ block: 'center' });
    }
  }

  /** Focuses the editor. */
  override focus(): void {
    if (this.editor) this.editor.focus();
    else this.querySelector<HTMLElement>('.spp-code-fallback')?.focus();
  }

  private async boot(): Promise<void> {
    if (!this.loader) return;
    try {
      const monaco = await this.loader();
      if (!this.isConnected || this.editor) return;
      this.monaco = monaco;
      defineThemes(monaco);
      await this.updateComplete;
      const host = this.querySelector<HTMLElement>('.spp-monaco-host');
      if (!host) return;
      // Shown before Monaco measures it: created in a hidden host, it would lay itself out and draw again once shown.
      host.hidden = false;
      this.model = monaco.editor.createModel(this.value, 'typescript', monaco.Uri.parse('file:///main.ts'));
      this.editor = monaco.editor.create(host, {
        model: this.model,
        theme: this.dark ? DARK_THEME : 'vs',
        automaticLayout: false,
        minimap: { enabled: false },
        fontSize: 13,
        scrollBeyondLastLine: false,
        tabSize: 2,
        fixedOverflowWidgets: true,
        lineNumbersMinChars: 3,
        // Sticky headers from indentation, computed on the page: the default (the TypeScript outline) sends
        // the page one symbol per declaration, and for a long program (20,000 functions pasted) building that
        // outline held the page's thread for 65–85 ms after each change.
        stickyScroll: { enabled: true, defaultModel: 'indentationModel' },
        // Unused code keeps its colours: faded, it falls below the contrast that text needs (2.5:1 in the
        // light theme, 3.6:1 in the dark one). Readable code matters more than the fading of unused names.
        showUnused: false,
        ariaLabel: `Example code (TypeScript). Ctrl+Enter runs it, Ctrl+Shift+Enter explores it over many seeds. ${LEAVE_EDITOR_HINT}.`,
      });
      performance.mark('spp:editor-created');
      this.letEscapeReleaseTab(this.editor, monaco);
      this.lengthFit = new CodeLengthFit(this.editor, this.model);
      this.takeLongPastes(this.editor, this.model, host, this.lengthFit);
      this.synced = this.value;
      this.model.onDidChangeContent(() => {
        if (this.pasting) return;
        this.lengthFit?.fit();
        if (!this.applying) this.reportChange();
      });
      const { KeyMod, KeyCode } = monaco;
      this.editor.addCommand(KeyMod.CtrlCmd | KeyCode.Enter, () => emitControl(this, 'run-request'));
      this.editor.addCommand(KeyMod.CtrlCmd | KeyMod.Shift | KeyCode.Enter, () => emitControl(this, 'explore-request'));
      this.editor.addCommand(KeyMod.CtrlCmd | KeyCode.KeyS, () => emitControl(this, 'share-request'));
      this.resize = new ResizeObserver(() => this.editor?.layout());
      this.resize.observe(host);
      this.applyMarkers();
      this.requestUpdate();
      emitControl(this, 'editor-ready');
    } catch (e) {
      // The read-only code stays usable: the host shown for Monaco must not cover it.
      this.querySelector<HTMLElement>('.spp-monaco-host')?.toggleAttribute('hidden', this.editor === undefined);
      this.loadError = `The code editor could not load (${e instanceof Error ? e.message : String(e)}). You can still read the code and run it.`;
    }
  }

  /** Tells the app the code the editor holds now. */
  private reportChange(): void {
    this.value = this.synced = this.model!.getValue();
    emitControl(this, 'code-change', { value: this.value });
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('value') && this.model && this.value !== this.synced) {
      this.applying = true;
      this.lengthFit?.expect(this.value.length);
      // pushEditOperations keeps the undo stack, so switching back and forth never loses an edit.
      this.model.pushEditOperations([], [{ range: this.model.getFullModelRange(), text: this.value }], () => null);
      this.synced = this.value;
      this.applying = false;
    }
    if (changed.has('dark') && this.monaco) this.monaco.editor.setTheme(this.dark ? DARK_THEME : 'vs');
    if (changed.has('markers')) this.applyMarkers();
  }

  /**
   * Takes a paste of very long text before Monaco does, and pastes it in slices
   * (paste-in-slices.ts) instead of in one task, after fitting the bracket
   * features to the length the code will have (long-code.ts). Two ways in: the
   * paste event (keyboard, browser menu), which reaches the host in its capture
   * phase before Monaco's own listeners; and the editor's own Paste command (its
   * context menu, the command palette), which reads the clipboard itself and
   * hands the text to `editor.trigger('…', 'paste', { text })`, so that call is
   * wrapped. Shorter text, and text for several cursors, Monaco pastes itself.
   */
  private takeLongPastes(editor: MonacoApi.editor.IStandaloneCodeEditor, model: MonacoApi.editor.ITextModel, host: HTMLElement, fit: CodeLengthFit): void {
    /** True when this paste goes in slices: Monaco must not paste it too. */
    const took = (text: string): boolean => {
      const selections = editor.getSelections() ?? [];
      fit.expect(model.getValueLength() - selections.reduce((n, s) => n + model.getValueLengthInRange(s), 0) + text.length);
      if (text.length < SLICED_PASTE_CHARS || selections.length !== 1 || this.pasting) return false;
      this.pasting = true;
      void pasteInSlices(editor, text, () => new Promise((resolve) => setTimeout(resolve, 0))).finally(() => {
        this.pasting = false;
        fit.fit();
        // Unless the app replaced the code meanwhile (then it knows the code already).
        if (this.model === model && model.getValue() !== this.synced) this.reportChange();
      });
      return true;
    };
    host.addEventListener(
      'paste',
      (e) => {
        if (!took(e.clipboardData?.getData('text/plain') ?? '')) return;
        e.preventDefault();
        e.stopPropagation();
      },
      { capture: true },
    );
    const trigger = editor.trigger.bind(editor);
    editor.trigger = (source, handlerId, payload) => {
      const text = handlerId === 'paste' ? (payload as { text?: unknown } | undefined)?.text : undefined;
      if (typeof text === 'string' && took(text)) return;
      trigger(source, handlerId, payload);
    };
  }

  /**
   * Escape makes the next Tab move the focus out of the editor instead of
   * indenting (Monaco's `tabFocusMode` option); any other key, or leaving,
   * makes Tab indent again. Ctrl+M (Monaco's own toggle) still switches it
   * for good.
   */
  private letEscapeReleaseTab(editor: MonacoApi.editor.IStandaloneCodeEditor, monaco: Monaco): void {
    const { KeyCode } = monaco;
    const modifiers = new Set([KeyCode.Shift, KeyCode.Ctrl, KeyCode.Alt, KeyCode.Meta]);
    let released = false;
    const release = (value: boolean) => {
      if (released === value) return;
      released = value;
      editor.updateOptions({ tabFocusMode: value });
    };
    editor.onKeyDown((e) => {
      if (e.keyCode === KeyCode.Escape) release(true);
      else if (e.keyCode !== KeyCode.Tab && !modifiers.has(e.keyCode)) release(false);
    });
    editor.onDidFocusEditorText(() => (this.focused = true));
    editor.onDidBlurEditorText(() => {
      this.focused = false;
      release(false);
    });
  }

  private applyMarkers(): void {
    if (!this.monaco || !this.model) return;
    const { MarkerSeverity } = this.monaco;
    this.monaco.editor.setModelMarkers(
      this.model,
      'run',
      this.markers.map((m) => ({
        startLineNumber: m.line,
        startColumn: m.column ?? 1,
        endLineNumber: m.line,
        endColumn: m.column ? m.column + 1 : this.model!.getLineMaxColumn(Math.min(m.line, this.model!.getLineCount())),
        message: m.message,
        severity: m.severity === 'error' ? MarkerSeverity.Error : MarkerSeverity.Warning,
      })),
    );
  }

  protected override render() {
    const ready = this.editor !== undefined;
    return html`
      <div class="spp-monaco-host" ?hidden=${!ready}></div>
      ${ready
        ? null
        : html`<pre class="spp-code-fallback" tabindex="0" aria-label="Example code (loading the editor)">${this.value
            .split('\n')
            .map((l, i) => html`<span data-line=${i + 1}>${l}\n</span>`)}</pre>`}
      ${ready && this.focused ? html`<p class="spp-editor-hint" aria-hidden="true">${LEAVE_EDITOR_HINT}</p>` : null}
      ${this.loadError ? html`<p class="spp-editor-error" role="alert">${this.loadError}</p>` : null}
    `;
  }
}

customElements.define('spp-code-editor', CodeEditor);

declare global {
  interface HTMLElementTagNameMap {
    'spp-code-editor': CodeEditor;
  }
}
