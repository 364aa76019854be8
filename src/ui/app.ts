import { LitElement, html, nothing } from 'lit';
import type { Example } from '../../examples/types.js';
import type { RunReport } from '../runner/protocol.js';
import type { FaultPlan } from '../sim/faults.js';
import { validateFaultPlan } from '../sim/faults.js';
import { traceToJSON, type TraceEvent } from '../sim/trace.js';
import {
  clearDraft,
  decideIncomingCode,
  decodeShareLink,
  encodeShareLink,
  exportProgress,
  importProgress,
  loadAllProgress,
  loadDraft,
  loadPreferences,
  listDrafts,
  recordCheckResults,
  saveDraft,
  savePreferences,
  type Preferences,
} from '../share/index.js';
import type { AppDeps } from './app-deps.js';
import { evaluateChecks, evaluateExpected, type EvaluatedCheck } from './checks.js';
import type { CodeEditor, CodeMarker } from './editor/code-editor.js';
import './editor/code-editor.js';
import './example-picker.js';
import type { PickerItem } from './example-picker.js';
import './fault-panel.js';
import './lesson-panel.js';
import type { LessonExercise, LessonPanel } from './lesson-panel.js';
import './run-toolbar.js';
import type { RunSummary } from './run-toolbar.js';
import './views/index.js';
import { toMermaid } from './views/index.js';

/** A message across the top of the page. */
interface Banner {
  id: number;
  tone: 'info' | 'warn' | 'error';
  text: string;
  actions?: Array<{ label: string; run: () => void }>;
}

type ViewTab = 'sequence' | 'map' | 'breakers' | 'sagas' | 'logs' | 'metrics' | 'result' | 'checks' | 'faults';
const TABS: Array<[ViewTab, string]> = [
  ['sequence', 'Sequence'],
  ['map', 'Map'],
  ['breakers', 'Breakers'],
  ['sagas', 'Sagas'],
  ['logs', 'Logs'],
  ['metrics', 'Metrics'],
  ['result', 'Result'],
  ['checks', 'Checks'],
  ['faults', 'Faults'],
];

const EXAMPLE_VERSION = '1';
const AUTO_RUN_DELAY_MS = 700;
const DRAFT_SAVE_DELAY_MS = 300;

/**
 * The playground page: owns the state (example, code, seed, fault plan, last
 * run, scrub time, study progress) and hands it to the views. Every view is a
 * pure function of the run's trace up to the scrubbed time.
 */
export class PlaygroundApp extends LitElement {
  static override properties = {
    deps: { attribute: false },
    exampleId: { state: true },
    code: { state: true },
    seed: { state: true },
    faults: { state: true },
    autoRun: { state: true },
    running: { state: true },
    report: { state: true },
    checks: { state: true },
    scrubTime: { state: true },
    tab: { state: true },
    banners: { state: true },
    theme: { state: true },
    pickerItems: { state: true },
    lessonOpen: { state: true },
    selectedSeq: { state: true },
    current: { state: true },
  };

  declare deps: AppDeps;
  private declare exampleId: string;
  private declare code: string;
  private declare seed: string | number;
  private declare faults: FaultPlan;
  private declare autoRun: boolean;
  private declare running: boolean;
  private declare report: RunReport | undefined;
  private declare checks: EvaluatedCheck[];
  private declare scrubTime: number;
  private declare tab: ViewTab;
  private declare banners: Banner[];
  private declare theme: Preferences['theme'];
  private declare pickerItems: PickerItem[];
  private declare lessonOpen: boolean;
  private declare selectedSeq: number | undefined;
  private declare current: Example | undefined;

  constructor() {
    super();
    this.exampleId = '';
    this.code = '';
    this.seed = 1;
    this.faults = {};
    this.autoRun = true;
    this.running = false;
    this.checks = [];
    this.scrubTime = 0;
    this.tab = 'sequence';
    this.banners = [];
    this.theme = 'system';
    this.pickerItems = [];
    this.lessonOpen = true;
  }

  private pendingExampleId = '';
  private conflictBanner: number | undefined;
  /** Saved exercise progress, read once and refreshed when it changes (not on every render). */
  private progressCache: ReturnType<typeof loadAllProgress>['progress'] | undefined;
  private readonly loading = new Map<string, Promise<Example>>();
  private readonly loaded = new Map<string, Example>();

  private runCounter = 0;
  private completedRuns = 0;
  private currentRunId = '';
  private bannerCounter = 0;
  private autoRunTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** While a link's code and a saved draft disagree, nothing is saved over the draft. */
  private draftConflict = false;
  private storageWarned = false;
  private initialised = false;

  /** Light DOM: Monaco's global styles must reach the editor, which lives inside this element. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }


  // ---------------------------------------------------------------- lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKeyDown);
    if (this.deps && !this.initialised) this.init();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKeyDown);
    this.flushDraft();
    clearTimeout(this.autoRunTimer);
  }

  /** Starts the app with its dependencies (called by main.ts). */
  start(deps: AppDeps): void {
    this.deps = deps;
    if (this.isConnected && !this.initialised) this.init();
  }

  /** The open example (set once its content has loaded). */
  private get example(): Example {
    return this.current!;
  }

  private get catalog() {
    return this.deps.catalog;
  }

  /** Loads an example's content once; later calls share the result. */
  private ensureLoaded(id: string): Promise<Example> {
    let p = this.loading.get(id);
    if (!p) {
      p = this.deps.loadExample(id);
      this.loading.set(id, p);
      p.then(
        (e) => this.loaded.set(id, e),
        () => this.loading.delete(id),
      );
    }
    return p;
  }

  private init(): void {
    this.initialised = true;
    void this.initAsync().catch((e: unknown) => this.addBanner('error', `The example could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`));
  }

  private async initAsync(): Promise<void> {
    const { deps } = this;
    const prefs = loadPreferences(deps.storage);
    if (prefs.problem) this.addBanner('warn', prefs.problem.message);
    this.autoRun = prefs.prefs.autoRun;
    this.theme = prefs.prefs.theme;
    deps.applyTheme(this.theme);

    const known = (id: string) => this.catalog.some((e) => e.id === id);
    const decoded = decodeShareLink(deps.initialUrl, { isKnownExample: known });
    if (decoded.ok) {
      const link = decoded.link;
      const example = await this.ensureLoaded(link.exampleId);
      this.current = example;
      this.exampleId = example.id;
      this.seed = link.seed;
      const faultIssues = link.faults ? validateFaultPlan(link.faults) : [];
      if (faultIssues.length) {
        this.faults = example.faults ?? {};
        this.addBanner('error', `The link's fault plan is not valid (${faultIssues[0]!.path}: ${faultIssues[0]!.message}); the example's own fault plan is used instead.`);
      } else this.faults = (link.faults as FaultPlan | undefined) ?? {};
      const draft = loadDraft(deps.storage, example.id);
      if (!draft.ok) this.addBanner('warn', draft.problem.message);
      const decision = decideIncomingCode(link.code, draft.ok ? draft.draft : undefined, example.code);
      if (decision.kind === 'no-conflict') this.code = decision.code;
      else {
        this.code = decision.incoming;
        this.draftConflict = true;
        const draftCode = decision.draft.code;
        const exampleId = example.id;
        const id = this.addBanner('info', 'This link brings its own code for this example, and you have a saved draft of it. Your draft stays saved, and edits to the shared code are not saved, until you choose.', [
          {
            label: "Keep the link's code (replaces my draft)",
            run: () => {
              if (this.exampleId !== exampleId) return;
              this.draftConflict = false;
              this.removeBanner(id);
              this.saveDraftNow();
            },
          },
          {
            label: 'Back to my draft',
            run: () => {
              if (this.exampleId !== exampleId) return;
              this.draftConflict = false;
              this.removeBanner(id);
              this.code = draftCode;
              this.scheduleRun(0);
            },
          },
        ]);
        this.conflictBanner = id;
      }
    } else {
      if (decoded.error.kind !== 'empty') this.addBanner('error', decoded.error.message);
      const last = prefs.prefs.lastExample;
      const wanted = decoded.error.exampleId ?? last;
      const meta = this.catalog.find((e) => e.id === wanted) ?? this.catalog[0]!;
      this.openExample(await this.ensureLoaded(meta.id), { keepHash: false, run: false });
    }
    this.refreshPicker();
    if (this.autoRun || decoded.ok) this.scheduleRun(0);
    // The other examples load in the background: the picker then shows every exercise count,
    // and switching examples is instant.
    void Promise.allSettled(this.catalog.map((m) => this.ensureLoaded(m.id))).then(() => this.refreshPicker());
  }

  // ---------------------------------------------------------------- examples and code

  private openExample(example: Example, opts: { keepHash: boolean; run: boolean }): void {
    this.flushDraft();
    if (this.draftConflict && this.conflictBanner !== undefined) {
      this.removeBanner(this.conflictBanner);
      this.addBanner('info', `You left "${this.example.title}" without choosing: your saved draft of it was kept.`, undefined, 6000);
    }
    this.draftConflict = false;
    this.conflictBanner = undefined;
    // A run of the previous example must not report into this one.
    if (this.running) this.deps.runner.stop();
    this.currentRunId = '';
    this.running = false;
    this.current = example;
    this.exampleId = example.id;
    this.pendingExampleId = example.id;
    const draft = loadDraft(this.deps.storage, example.id);
    if (!draft.ok) this.addBanner('warn', draft.problem.message);
    this.code = draft.ok && draft.draft ? draft.draft.code : example.code;
    this.seed = example.seed;
    this.faults = example.faults ? (JSON.parse(JSON.stringify(example.faults)) as FaultPlan) : {};
    this.report = undefined;
    this.checks = [];
    this.scrubTime = 0;
    this.selectedSeq = undefined;
    if (!opts.keepHash) this.deps.replaceHash('');
    this.savePrefs({ lastExample: example.id });
    this.querySelector<LessonPanel>('spp-lesson-panel')?.resetReveals();
    this.querySelector('.lesson')?.scrollTo({ top: 0 });
    if (opts.run && this.autoRun) this.scheduleRun(0);
  }

  private onExampleSelect(id: string): void {
    if (id === this.exampleId || !this.catalog.some((e) => e.id === id)) return;
    this.pendingExampleId = id;
    this.ensureLoaded(id).then(
      (example) => {
        // Only the latest choice counts when several clicks race.
        if (this.pendingExampleId === id) this.openExample(example, { keepHash: false, run: true });
      },
      (e: unknown) => this.addBanner('error', `The example could not be loaded (${e instanceof Error ? e.message : String(e)}).`),
    );
  }

  private onNavigate(direction: number): void {
    const i = this.catalog.findIndex((e) => e.id === this.exampleId);
    const next = this.catalog[i + direction];
    if (next) this.onExampleSelect(next.id);
  }

  private onCodeChange(value: string): void {
    this.code = value;
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.saveDraftNow(), DRAFT_SAVE_DELAY_MS);
    if (this.autoRun) this.scheduleRun(AUTO_RUN_DELAY_MS);
  }

  private flushDraft(): void {
    if (this.draftTimer !== undefined) {
      clearTimeout(this.draftTimer);
      this.draftTimer = undefined;
      this.saveDraftNow();
    }
  }

  private saveDraftNow(): void {
    this.draftTimer = undefined;
    if (this.draftConflict || !this.exampleId) return;
    const example = this.example;
    const result = this.code === example.code ? clearDraft(this.deps.storage, example.id) : saveDraft(this.deps.storage, example.id, this.code, { now: this.deps.now(), exampleVersion: EXAMPLE_VERSION });
    if (!result.ok && !this.storageWarned) {
      this.storageWarned = true;
      this.addBanner('warn', `${result.problem.message} Your edits stay in the editor; copy them or use Share to keep them.`);
    }
    this.refreshPicker();
  }

  private resetCode(): void {
    this.code = this.example.code;
    this.draftConflict = false;
    clearDraft(this.deps.storage, this.exampleId);
    this.refreshPicker();
    this.scheduleRun(0);
  }

  private loadSolution(code: string): void {
    if (this.code !== this.example.code && this.code !== code) {
      // Keep the learner's own attempt recoverable with the editor's undo (Ctrl+Z).
      this.addBanner('info', 'The solution replaced your code in the editor; Ctrl+Z (undo) in the editor brings your version back.');
    }
    this.code = code;
    this.saveDraftNow();
    this.scheduleRun(0);
  }

  // ---------------------------------------------------------------- running

  private scheduleRun(delay: number): void {
    clearTimeout(this.autoRunTimer);
    this.autoRunTimer = setTimeout(() => void this.runNow(), delay);
  }

  private async runNow(): Promise<void> {
    clearTimeout(this.autoRunTimer);
    const runId = `run-${++this.runCounter}`;
    this.currentRunId = runId;
    this.running = true;
    const example = this.example;
    let report: RunReport;
    try {
      report = await this.deps.runner.run({ runId, code: this.code, seed: this.seed, faults: this.faults });
    } catch (e) {
      if (this.currentRunId === runId) {
        this.running = false;
        this.addBanner('error', `The run could not start (${e instanceof Error ? e.message : String(e)}). Try Run again.`);
      }
      return;
    }
    if (this.currentRunId !== runId) return; // a newer run replaced this one
    this.running = false;
    if (report.status === 'stopped' && report.events.length === 0) return;
    this.report = report;
    // For tests and tools: what the last run was, readable from the DOM.
    this.dataset['runStatus'] = report.status;
    this.dataset['traceHash'] = report.traceHash;
    this.dataset['runs'] = String(++this.completedRuns);
    this.scrubTime = report.virtualTime;
    this.selectedSeq = undefined;
    this.checks = evaluateChecks(example, report);
    this.recordProgress(example);
  }

  /** Clears the fault plan (it may name services the edited code no longer has) and runs again. */
  private dropFaults(): void {
    this.faults = {};
    this.scheduleRun(0);
  }

  private stopRun(): void {
    this.deps.runner.stop();
  }

  private recordProgress(example: Example): void {
    const exerciseChecks = this.checks.filter((c) => c.exerciseId);
    if (exerciseChecks.length === 0) return;
    const solvedNow = example.exercises.some((ex) => {
      const mine = exerciseChecks.filter((c) => c.exerciseId === ex.id);
      return mine.length > 0 && mine.every((c) => c.passed);
    });
    const result = recordCheckResults(
      this.deps.storage,
      example.id,
      exerciseChecks.map((c) => ({ checkId: c.key, passed: c.passed })),
      { now: this.deps.now(), solved: solvedNow },
    );
    if (!result.ok && !this.storageWarned) {
      this.storageWarned = true;
      this.addBanner('warn', result.problem.message);
    }
    this.refreshPicker();
  }

  // ---------------------------------------------------------------- sharing and export

  private async share(): Promise<void> {
    this.flushDraft();
    const edited = this.code !== this.example.code;
    const hasFaults = Object.keys(this.faults).length > 0;
    const encoded = encodeShareLink(
      {
        exampleId: this.exampleId,
        seed: this.seed,
        ...(edited ? { code: this.code } : {}),
        ...(hasFaults ? { faults: this.faults as Record<string, unknown> } : {}),
      },
      this.deps.initialUrl,
    );
    if (!encoded.ok) {
      this.addBanner('error', encoded.error.message);
      return;
    }
    this.deps.replaceHash(encoded.hash);
    try {
      await this.deps.copyText(encoded.url);
      this.addBanner('info', 'Link copied: it reproduces this exact run (code, seed and faults).', undefined, 4000);
    } catch {
      this.addBanner('info', `Copy this link: ${encoded.url}`);
    }
  }

  private exportTrace(): void {
    const events = this.report?.events;
    if (!events?.length) return void this.addBanner('info', 'Run the code first: there is no trace to export yet.', undefined, 4000);
    this.deps.download(`trace-${this.exampleId}-seed-${this.seed}.json`, JSON.stringify(traceToJSON(events), null, 1), 'application/json');
  }

  private async copyMermaid(): Promise<void> {
    const events = this.report?.events;
    if (!events?.length) return void this.addBanner('info', 'Run the code first: there is no diagram to copy yet.', undefined, 4000);
    try {
      await this.deps.copyText(toMermaid(events));
      this.addBanner('info', 'Sequence diagram copied as Mermaid text.', undefined, 4000);
    } catch {
      this.addBanner('error', 'The clipboard is not available here.');
    }
  }

  private exportProgressFile(): void {
    const r = exportProgress(this.deps.storage, { now: this.deps.now() });
    if (!r.ok) return void this.addBanner('error', r.problem.message);
    this.deps.download('service-patterns-progress.json', r.text, 'application/json');
  }

  private async importProgressFile(): Promise<void> {
    const text = await this.deps.pickFile('application/json,.json');
    if (text === undefined) return;
    const known = (id: string) => this.catalog.some((e) => e.id === id);
    const r = importProgress(this.deps.storage, text, { isKnownExample: known });
    if (!r.ok) this.addBanner('error', r.error.message);
    else this.addBanner(r.rejected.length ? 'warn' : 'info', r.message, undefined, 8000);
    this.refreshPicker();
  }

  // ---------------------------------------------------------------- preferences, banners, picker

  private savePrefs(patch: Partial<Preferences>): void {
    const current = loadPreferences(this.deps.storage).prefs;
    savePreferences(this.deps.storage, { ...current, autoRun: this.autoRun, theme: this.theme, ...patch });
  }

  private addBanner(tone: Banner['tone'], text: string, actions?: Banner['actions'], autoCloseMs?: number): number {
    const id = ++this.bannerCounter;
    this.banners = [...this.banners.filter((b) => b.text !== text), { id, tone, text, ...(actions ? { actions } : {}) }];
    if (autoCloseMs) setTimeout(() => this.removeBanner(id), autoCloseMs);
    return id;
  }

  private removeBanner(id: number): void {
    this.banners = this.banners.filter((b) => b.id !== id);
  }

  private refreshPicker(): void {
    const { progress } = loadAllProgress(this.deps.storage);
    this.progressCache = progress;
    const drafts = listDrafts(this.deps.storage);
    const edited = new Set(drafts.ok ? drafts.exampleIds : []);
    this.pickerItems = this.catalog.map((e) => {
      const content = this.loaded.get(e.id);
      const total = content ? content.exercises.reduce((n, ex) => n + ex.checks.length, 0) : 0;
      const p = progress.find((x) => x.exampleId === e.id);
      const passed = p ? Object.values(p.checks).filter((c) => c.status === 'passed').length : 0;
      return { id: e.id, title: e.title, topic: e.topic, order: e.order, passed: content ? Math.min(passed, total) : passed, total, edited: edited.has(e.id) };
    });
  }

  private cycleTheme(): void {
    this.theme = this.theme === 'system' ? 'light' : this.theme === 'light' ? 'dark' : 'system';
    this.deps.applyTheme(this.theme);
    this.savePrefs({});
  }

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    if (e.defaultPrevented) return; // the editor handled it already
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === 'Enter') {
      e.preventDefault();
      void this.runNow();
    } else if (mod && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      void this.share();
    } else if (e.key === 'Escape' && this.running) {
      this.stopRun();
    }
  };

  private revealLine(line: number, column?: number): void {
    this.querySelector<CodeEditor>('spp-code-editor')?.revealLine(line, column);
  }

  private onTabKey(e: KeyboardEvent): void {
    const i = TABS.findIndex(([t]) => t === this.tab);
    let next = i;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else return;
    e.preventDefault();
    this.tab = TABS[next]![0];
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`[role='tab'][aria-selected='true']`)?.focus());
  }

  // ---------------------------------------------------------------- rendering

  private get visibleEvents(): readonly TraceEvent[] {
    return this.report?.events ?? [];
  }

  private lessonExercises(): LessonExercise[] {
    const progress = this.progressCache ?? [];
    const p = progress.find((x) => x.exampleId === this.exampleId);
    return this.example.exercises.map((ex) => ({
      id: ex.id,
      title: ex.title,
      task: ex.task,
      hint: ex.hint,
      solution: ex.solution,
      checks: this.checks.filter((c) => c.exerciseId === ex.id).map((c) => ({ id: c.id, title: c.title, passed: c.passed })),
      solved: p !== undefined && ex.checks.every((c) => p.checks[`${ex.id}:${c.id}`]?.status === 'passed'),
    }));
  }

  private renderView() {
    const events = this.visibleEvents;
    const time = this.scrubTime;
    if (!this.report && this.tab !== 'faults')
      return html`<p class="empty">${this.running ? 'Running…' : 'Run the code (Ctrl+Enter) to see what happens.'}</p>`;
    switch (this.tab) {
      case 'sequence':
        return html`<spp-sequence-diagram .events=${events} .time=${time} .selectedSeq=${this.selectedSeq}></spp-sequence-diagram>`;
      case 'map':
        return html`<spp-service-map .events=${events} .time=${time}></spp-service-map>`;
      case 'breakers':
        return html`<spp-breaker-timeline .events=${events} .time=${time}></spp-breaker-timeline>`;
      case 'sagas':
        return html`<spp-saga-board .events=${events} .time=${time}></spp-saga-board>`;
      case 'logs':
        return html`<spp-log-console .events=${events} .time=${time}></spp-log-console>`;
      case 'metrics':
        return html`<spp-metrics .events=${events} .time=${time}></spp-metrics>`;
      case 'result':
        return this.renderResult();
      case 'checks':
        return html`<spp-checks-panel .events=${events} .checks=${this.checks.map((c) => ({ id: c.key, title: c.group ? `${c.group}: ${c.title}` : c.title, passed: c.passed, message: c.message, eventSeqs: c.eventSeqs }))}></spp-checks-panel>`;
      case 'faults':
        return html`<spp-fault-panel
          .plan=${this.faults}
          .services=${servicesIn(events)}
          .queues=${queuesIn(events)}
          @faults-change=${(e: CustomEvent<{ plan: FaultPlan }>) => {
            this.faults = e.detail.plan;
            if (this.autoRun) this.scheduleRun(AUTO_RUN_DELAY_MS);
          }}
        ></spp-fault-panel>`;
    }
  }

  /** What main() returned, how the run ended, and what the example is meant to show, checked on this run. */
  private renderResult() {
    const report = this.report!;
    const expected = evaluateExpected(this.example, report);
    let json: string;
    try {
      json = report.result === undefined ? 'undefined (main() returned nothing, or there is no main())' : JSON.stringify(report.result, null, 2);
    } catch {
      json = String(report.result);
    }
    return html`<div class="result-view">
      <p>
        Status <strong>${report.status}</strong> · virtual time ${(report.virtualTime / 1000).toFixed(3)} s · ${report.eventsRun.toLocaleString('en-US')} callbacks ·
        ${report.events.length.toLocaleString('en-US')} trace events${report.droppedLogs ? html` · ${report.droppedLogs} log lines dropped` : nothing} · trace hash
        <code>${report.traceHash}</code>
      </p>
      <h3>main() returned</h3>
      <pre>${json}</pre>
      ${expected.length
        ? html`<h3>What this example shows (checked on this run)</h3>
            <ul class="expected">
              ${expected.map((c) => html`<li data-passed=${String(c.passed)}>${c.passed ? '✓' : '✗'} ${c.title}<br /><small>${c.message}</small></li>`)}
            </ul>`
        : nothing}
    </div>`;
  }

  /** The editor's markers for a report: the same array while the report is the same (no needless editor updates). */
  private markersOf(report: RunReport | undefined): CodeMarker[] {
    if (this.markerCache.report !== report) {
      const e = report?.error;
      this.markerCache = { report, markers: e?.line ? [{ line: e.line, ...(e.column ? { column: e.column } : {}), message: e.message, severity: 'error' }] : [] };
    }
    return this.markerCache.markers;
  }
  private markerCache: { report: RunReport | undefined; markers: CodeMarker[] } = { report: undefined, markers: [] };

  override render() {
    if (!this.deps || !this.current) return html`<p class="empty">Loading…</p>`;
    const example = this.example;
    const report = this.report;
    const edited = this.code !== example.code;
    const failing = this.checks.filter((c) => !c.passed).length;
    const summary: RunSummary | undefined = report
      ? {
          status: report.status,
          message: report.status === 'ok' ? 'Finished' : report.error ? `${report.status}: ${report.error.message.split('\n')[0]}` : report.status,
          wallMs: report.wallMs,
          events: report.events.length,
          virtualTime: report.virtualTime,
        }
      : undefined;
    const markers = this.markersOf(report);
    const sorted = this.catalog;
    const index = sorted.findIndex((e) => e.id === example.id);
    return html`
      <header>
        <h1>Service Patterns<br />Playground</h1>
        <spp-run-toolbar
          .running=${this.running}
          .autoRun=${this.autoRun}
          .seed=${String(this.seed)}
          .edited=${edited}
          .summary=${summary}
          .theme=${this.theme}
          @run-request=${() => void this.runNow()}
          @stop-request=${() => this.stopRun()}
          @autorun-change=${(e: CustomEvent<{ value: boolean }>) => {
            this.autoRun = e.detail.value;
            this.savePrefs({});
          }}
          @seed-change=${(e: CustomEvent<{ seed: string }>) => {
            this.seed = /^\d{1,15}$/.test(e.detail.seed) ? Number(e.detail.seed) : e.detail.seed;
            this.scheduleRun(0);
          }}
          @new-seed=${() => {
            this.seed = Math.floor(Math.random() * 1e6);
            this.scheduleRun(0);
          }}
          @reset-code=${() => this.resetCode()}
          @share-request=${() => void this.share()}
          @export-trace=${() => this.exportTrace()}
          @copy-mermaid=${() => void this.copyMermaid()}
          @theme-toggle=${() => this.cycleTheme()}
        ></spp-run-toolbar>
      </header>
      <div class="banners" role="region" aria-label="Messages">
        ${this.banners.map(
          (b) => html`<div class="banner" data-tone=${b.tone} role=${b.tone === 'error' ? 'alert' : 'status'}>
            <span>${b.text}</span>
            ${b.actions?.map((a) => html`<button class="small" @click=${a.run}>${a.label}</button>`) ?? nothing}
            <button class="small" aria-label="Dismiss" @click=${() => this.removeBanner(b.id)}>✕</button>
          </div>`,
        )}
      </div>
      <aside>
        <spp-example-picker .items=${this.pickerItems} .selected=${this.exampleId} @example-select=${(e: CustomEvent<{ id: string }>) => this.onExampleSelect(e.detail.id)}></spp-example-picker>
        <div class="progress-io">
          <button class="small" @click=${() => this.exportProgressFile()}>Export progress</button>
          <button class="small" @click=${() => void this.importProgressFile()}>Import progress</button>
        </div>
      </aside>
      <section class="center" aria-label="Lesson and code">
        <div class="lesson-toggle">
          <span>${example.order}. ${example.title}</span>
          <button class="small" aria-expanded=${String(this.lessonOpen)} @click=${() => (this.lessonOpen = !this.lessonOpen)}>${this.lessonOpen ? 'Hide lesson' : 'Show lesson'}</button>
        </div>
        <div class="lesson" ?hidden=${!this.lessonOpen}>
          <spp-lesson-panel
            .heading=${example.title}
            .summary=${example.summary}
            .objectives=${example.objectives}
            .lesson=${example.lesson}
            .exercises=${this.lessonExercises()}
            .hasPrev=${index > 0}
            .hasNext=${index < sorted.length - 1}
            @navigate=${(e: CustomEvent<{ direction: number }>) => this.onNavigate(e.detail.direction)}
            @load-solution=${(e: CustomEvent<{ code: string }>) => this.loadSolution(e.detail.code)}
          ></spp-lesson-panel>
        </div>
        <spp-code-editor
          .loader=${this.deps.loadEditor}
          .value=${this.code}
          .dark=${this.theme === 'dark' || (this.theme === 'system' && this.deps.prefersDark())}
          .markers=${markers}
          @code-change=${(e: CustomEvent<{ value: string }>) => this.onCodeChange(e.detail.value)}
          @run-request=${() => void this.runNow()}
          @share-request=${() => void this.share()}
        ></spp-code-editor>
      </section>
      <section class="views" aria-label="What happened">
        ${report?.error
          ? html`<div class="run-error" role="alert">
              <span class="msg">${report.error.kind === 'syntax' ? 'Syntax error' : report.error.kind}: ${report.error.message}</span>
              ${report.error.line
                ? html` <button class="small" @click=${() => this.revealLine(report.error!.line!, report.error!.column)}>Go to line ${report.error.line}${report.error.column ? `:${report.error.column}` : ''}</button>`
                : nothing}
              ${/fault plan/i.test(report.error.message) && Object.keys(this.faults).length
                ? html` <button class="small" data-action="drop-faults" @click=${() => this.dropFaults()}>Run without the fault plan</button>`
                : nothing}
            </div>`
          : nothing}
        <div role="tablist" aria-label="Views" @keydown=${(e: KeyboardEvent) => this.onTabKey(e)}>
          ${TABS.map(
            ([id, label]) => html`<button
              role="tab"
              id="tab-${id}"
              data-tab=${id}
              aria-selected=${String(this.tab === id)}
              tabindex=${this.tab === id ? 0 : -1}
              aria-controls="view-panel"
              @click=${() => (this.tab = id)}
            >
              ${label}${id === 'checks' && this.checks.length
                ? html`<span class="tab-badge ${failing ? '' : 'ok'}" title=${failing ? `${failing} checks failing` : 'every check passes'}>${failing ? `${failing} ✗` : '✓'}</span>`
                : nothing}
            </button>`,
          )}
        </div>
        <div
          role="tabpanel"
          id="view-panel"
          aria-labelledby="tab-${this.tab}"
          @reveal-line=${(e: CustomEvent<{ line: number; column?: number }>) => this.revealLine(e.detail.line, e.detail.column)}
          @event-select=${(e: CustomEvent<{ seq: number }>) => {
            this.selectedSeq = e.detail.seq;
            const ev = this.visibleEvents[e.detail.seq];
            if (ev && (this.tab === 'checks' || this.tab === 'sagas')) {
              this.tab = 'sequence';
              this.scrubTime = Math.max(this.scrubTime, ev.time);
            }
          }}
        >
          ${this.renderView()}
        </div>
        ${report
          ? html`<spp-time-scrubber .events=${this.visibleEvents} .time=${this.scrubTime} @time-change=${(e: CustomEvent<{ time: number }>) => (this.scrubTime = e.detail.time)}></spp-time-scrubber>`
          : nothing}
      </section>
    `;
  }
}

/** Services that appear in a trace (as caller or callee of HTTP, or as log sources). */
function servicesIn(events: readonly TraceEvent[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    if (e.kind === 'http.request') {
      if (e.source) names.add(e.source);
      if (e.target && e.target !== '?') names.add(e.target);
    }
  }
  names.delete('client');
  return [...names];
}

/** Queues that appear in a trace. */
function queuesIn(events: readonly TraceEvent[]): string[] {
  const names = new Set<string>();
  for (const e of events) {
    const q = (e as { queue?: unknown }).queue;
    if (e.kind.startsWith('mq.') && typeof q === 'string') names.add(q);
  }
  return [...names];
}

customElements.define('spp-app', PlaygroundApp);
declare global {
  interface HTMLElementTagNameMap {
    'spp-app': PlaygroundApp;
  }
}
