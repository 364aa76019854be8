import { LitElement, html, nothing } from 'lit';
import type { Example } from '../../examples/types.js';
import type { RunReport } from '../runner/protocol.js';
import type { FaultPlan } from '../sim/faults.js';
import type { AppDeps } from './app-deps.js';
import {
  BannerList,
  DraftKeeper,
  ExampleChooser,
  ExampleLibrary,
  KeyboardShortcuts,
  ProgressFiles,
  ProjectDownload,
  RunControl,
  Settings,
  ShareActions,
  StudyProgress,
  PaneLayout,
  TraceOpener,
  checksNotRun,
  paneOf,
  planStart,
  queuesIn,
  servicesIn,
  renderColumnSplitter,
  renderLessonColumn,
  renderSkipLinks,
  renderViewsSection,
  runMarkers,
  runSummary,
  type OpenedTrace,
  type ShareState,
  type ViewTab,
} from './app/index.js';
import { evaluateChecks, type EvaluatedCheck } from './checks.js';
import { CompareSlot } from './compare/compare-slot.js';
import { ScheduleChecks } from './app/schedule-checks.js';
import { isExploring } from './exercise-explore.js';
import { listen } from './control-events.js';
import type { CodeMarker } from './editor/code-editor.js';
import type { ExploreCommand, ExploreHost, ExploreTabInputs, ReplayCase } from './explore/explore-host.js';
import { usesSagas } from './explore/explore-tab.js';
import type { ReplayedCase } from './explore/replayed-case.js';
import './editor/code-editor.js';
import './example-picker.js';
import type { PickerItem } from './example-picker.js';
import './fault-panel.js';
import './lesson-panel.js';
import { PatternRoute } from './patterns/pattern-route.js';
import './run-toolbar.js';
import './views/index.js';

/** How long typing (or editing the fault plan) must pause before auto-run runs. */
const AUTO_RUN_DELAY_MS = 700;

/**
 * The playground page: owns the state (example, code, seed, fault plan, last
 * run, scrub time, open tab) and hands it to the views. Every view is a pure
 * function of the run's trace up to the scrubbed time. The mechanics live in
 * controllers: runs (`RunControl`), drafts (`DraftKeeper`), settings and theme
 * (`Settings`), banners (`BannerList`), shortcuts, sharing and progress files.
 * The page's controls talk to it only through their typed events.
 */
export class PlaygroundApp extends LitElement {
  static override properties = {
    deps: { attribute: false },
    code: { state: true },
    seed: { state: true },
    faults: { state: true },
    report: { state: true },
    checks: { state: true },
    scrubTime: { state: true },
    tab: { state: true },
    pickerItems: { state: true },
    selectedSeq: { state: true },
    current: { state: true },
    openedFile: { state: true },
    replayed: { state: true },
    exploreCommand: { state: true },
  };

  declare deps: AppDeps;
  private declare code: string;
  private declare seed: string | number;
  private declare faults: FaultPlan;
  private declare report: RunReport | undefined;
  private declare checks: EvaluatedCheck[];
  private declare scrubTime: number;
  private declare tab: ViewTab;
  private declare pickerItems: PickerItem[];
  private declare selectedSeq: number | undefined;
  /** The open example (set once its content has loaded). */
  private declare current: Example | undefined;
  /** The name of the trace file shown instead of a run (until the next run or example). */
  private declare openedFile: string | undefined;
  /** A case of an explore open as the run, and the seed and plan to go back to. */
  private declare replayed: ReplayedCase | undefined;
  /** The last "explore now" (shortcut or link) for the Explore tab. */
  private declare exploreCommand: ExploreCommand | undefined;

  /** The open example's id ('' until one is open). */
  private get exampleId(): string {
    return this.current?.id ?? '';
  }

  private readonly banners = new BannerList(this);
  private readonly panes = new PaneLayout(this);
  private readonly settings = new Settings({ storage: () => this.deps.storage, applyTheme: (theme) => this.deps.applyTheme(theme), onChange: () => this.requestUpdate() });
  private readonly runs = new RunControl(this, {
    runner: () => this.deps.runner,
    request: () => {
      this.scheduleChecks.yieldRunner();
      return { code: this.code, seed: this.seed, faults: this.faults };
    },
    onReport: (report) => this.showReport(report),
    onError: (message) => this.banners.add('error', message),
  });
  private readonly drafts = new DraftKeeper(this, {
    storage: () => this.deps.storage,
    now: () => this.deps.now(),
    subject: () => (this.current ? { exampleId: this.current.id, code: this.code, original: this.current.code } : undefined),
    banners: this.banners,
    onSaved: () => this.refreshPicker(),
  });
  /** The pattern reference (`#/patterns`) and the links into examples (`#/examples/…`). */
  private readonly route = new PatternRoute(this, window, {
    replaceHash: (hash) => this.deps.replaceHash(hash),
    openExample: (id) => this.chooser.choose(id),
    openExampleId: () => this.exampleId,
    revealExercise: (id) => void this.revealExercise(id),
    exampleTitles: () => new Map(this.deps.catalog.map((m) => [m.id, m.title])),
  });
  /** The Compare tab, loaded the first time it opens. */
  private readonly compareSlot = new CompareSlot();
  private readonly scheduleChecks = new ScheduleChecks(this, {
    runner: () => this.deps.runner,
    onVerdict: (example, _exercise, verdict) => this.recordChecks(example, verdict.checks),
  });
  private readonly projects = new ProjectDownload({ deps: () => this.deps, banners: this.banners });
  private readonly traceFiles = new TraceOpener(this, { deps: () => this.deps, banners: this.banners, onOpened: (trace) => this.showOpenedTrace(trace) });
  // Created with the dependencies (see init).
  private library!: ExampleLibrary;
  private progress!: StudyProgress;
  private sharing!: ShareActions;
  private progressFiles!: ProgressFiles;
  private chooser!: ExampleChooser;
  private exploreHost!: ExploreHost;
  /** The explore an explore link asks for, until the first run has reported. */
  private linkExplore: ExploreCommand | undefined;
  private exploreCommands = 0;
  /** The editor's marks for the last run: a new array only when the report changes (no needless editor updates). */
  private markers: CodeMarker[] = [];
  private completedRuns = 0;
  private initialised = false;

  constructor() {
    super();
    this.code = '';
    this.seed = 1;
    this.faults = {};
    this.checks = [];
    this.scrubTime = 0;
    this.tab = 'sequence';
    this.pickerItems = [];
    new KeyboardShortcuts(this, window, {
      run: () => void this.runs.runNow(),
      share: () => void this.share(),
      explore: () => this.exploreNow(),
      stop: () => this.runs.stop(),
      running: () => this.runs.running,
    });
    this.listenToControls();
  }

  /** Light DOM: Monaco's global styles must reach the editor, which lives inside this element. */
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.deps && !this.initialised) this.init();
  }

  /** Starts the app with its dependencies (called by main.ts). */
  start(deps: AppDeps): void {
    this.deps = deps;
    if (this.isConnected && !this.initialised) this.init();
  }

  /** The controls' events bubble here; typed, so a renamed event does not compile. */
  private listenToControls(): void {
    listen(this, 'run-request', () => void this.runs.runNow());
    listen(this, 'stop-request', () => this.runs.stop());
    listen(this, 'share-request', () => void this.share());
    listen(this, 'explore-request', () => this.exploreNow());
    listen(this, 'autorun-change', (e) => this.settings.setAutoRun(e.detail.value));
    listen(this, 'seed-change', (e) => this.rerun({ seed: /^\d{1,15}$/.test(e.detail.seed) ? Number(e.detail.seed) : e.detail.seed }, { leaveReplay: true }));
    listen(this, 'new-seed', () => this.rerun({ seed: Math.floor(Math.random() * 1e6) }, { leaveReplay: true }));
    listen(this, 'reset-code', () => this.resetCode());
    listen(this, 'export-trace', () => this.sharing.exportTrace(this.shareState()));
    listen(this, 'copy-mermaid', () => void this.sharing.copyMermaid(this.shareState()));
    listen(this, 'open-trace', () => void this.traceFiles.pick());
    listen(this, 'download-project', () => void this.projects.download({ code: this.code, exampleId: this.exampleId, title: this.current?.title ?? this.exampleId }));
    listen(this, 'theme-toggle', () => this.settings.cycleTheme());
    listen(this, 'example-select', (e) => {
      this.chooser.choose(e.detail.id);
      // On a narrow screen, a chosen example opens on its lesson.
      void this.panes.show('lesson');
    });
    listen(this, 'navigate', (e) => this.chooser.step(e.detail.direction));
    listen(this, 'load-solution', (e) => this.loadSolution(e.detail.code));
    listen(this, 'load-starter', (e) => this.loadStarter(e.detail.exerciseId));
    listen(this, 'check-schedules', (e) => this.checkSchedules(e.detail.exerciseId, e.detail.final === true));
    listen(this, 'stop-schedules', () => this.scheduleChecks.stop());
    listen(this, 'replay-case', (e) => this.rerun({ seed: e.detail.seed, faults: e.detail.faults }));
    listen(this, 'code-change', (e) => this.onCodeChange(e.detail.value));
    listen(this, 'faults-change', (e) => {
      this.faults = e.detail.plan;
      this.replayed = undefined;
      if (this.settings.autoRun) this.runs.schedule(AUTO_RUN_DELAY_MS);
    });
    listen(this, 'reveal-line', (e) => void this.revealLine(e.detail.line, e.detail.column));
    listen(this, 'event-select', (e) => this.selectEvent(e.detail.seq));
    listen(this, 'time-change', (e) => (this.scrubTime = e.detail.time));
  }

  private init(): void {
    this.initialised = true;
    const { deps, banners } = this;
    this.library = new ExampleLibrary(deps.catalog, deps.loadExample);
    this.progress = new StudyProgress(deps.storage, () => deps.now());
    this.sharing = new ShareActions({ deps, banners });
    this.progressFiles = new ProgressFiles({ deps, banners, isKnownExample: (id) => this.library.has(id), onImported: () => this.refreshPicker() });
    const onError = (message: string) => banners.add('error', message);
    this.exploreHost = { runner: deps.runner, baseUrl: deps.initialUrl, copyText: (text) => deps.copyText(text), replay: (c) => this.replay(c) };
    this.chooser = new ExampleChooser({ library: this.library, openId: () => this.exampleId, open: (example) => this.openExample(example, { run: true }), onError });
    void this.open().catch((e: unknown) => banners.add('error', `The example could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`));
  }

  /** Opens what the address asks for: a share link's run, else the example open last time (or the first). */
  private async open(): Promise<void> {
    const { library, banners } = this;
    const settings = this.settings.load();
    if (settings.problem) banners.add('warn', settings.problem);
    const report = (message: string, tone: 'error' | 'info') => banners.add(tone, message);
    // A route in the address (`#/patterns`, `#/examples/…`) is not a share link.
    const start = this.route.start(this.deps.initialUrl);
    const plan = await planStart({ url: start.url, library, lastExample: start.exampleId ?? settings.lastExample, loadDraft: (id) => this.drafts.load(id), report });
    if (plan.kind === 'link') {
      const { example, start } = plan;
      this.current = example;
      this.seed = start.seed;
      this.faults = start.faults;
      this.code = start.code;
      const draft = start.conflictingDraft;
      const shown = start.shown === 'link' ? 'link' : 'original';
      if (draft) this.drafts.askAbout({ exampleId: example.id, title: example.title, draftCode: draft.code, shown, restore: (code) => this.rerun({ code }) });
      if (plan.compare) [this.compareSlot.start, this.tab] = [plan.compare, 'compare'];
      if (plan.explore) {
        const { baseSeed, runs, space } = plan.explore;
        this.tab = 'explore';
        // It starts once the page's first run has reported: both would share the sandbox.
        this.linkExplore = { id: ++this.exploreCommands, settings: { baseSeed, runs, space } };
      }
    } else this.openExample(plan.example, { run: false });
    this.refreshPicker();
    if (this.settings.autoRun || plan.kind === 'link') this.runs.schedule(0);
    // The other examples load in the background: the picker then shows every exercise count,
    // and switching examples is instant.
    void library.loadAll().then(() => this.refreshPicker());
  }

  // ---------------------------------------------------------------- examples and code

  private openExample(example: Example, opts: { run: boolean }): void {
    this.drafts.leave();
    // A run of the previous example must not report into this one.
    this.runs.abandon();
    this.compareSlot.reset();
    this.scheduleChecks.reset();
    this.current = example;
    this.chooser.opened(example.id);
    this.code = this.drafts.load(example.id)?.code ?? example.code;
    this.seed = example.seed;
    this.faults = example.faults ? (JSON.parse(JSON.stringify(example.faults)) as FaultPlan) : {};
    this.report = undefined;
    this.openedFile = undefined;
    this.replayed = undefined;
    this.reachedSinceOpened = { services: new Set(), queues: new Set() };
    this.earlierTargets = { services: [], queues: [] };
    this.markers = runMarkers(undefined);
    this.checks = [];
    this.scrubTime = 0;
    this.selectedSeq = undefined;
    if (!this.route.showsPatterns) this.deps.replaceHash('');
    this.settings.rememberExample(example.id);
    this.querySelector('spp-lesson-panel')?.resetReveals();
    this.querySelector('.lesson')?.scrollTo({ top: 0 });
    if (opts.run && this.settings.autoRun) this.runs.schedule(0);
    this.route.exampleOpened(example.id);
  }

  /** Shows an exercise of the open example in its lesson (a link from the pattern reference). */
  private async revealExercise(exerciseId: string): Promise<void> {
    if (!this.settings.lessonOpen) this.settings.setLessonOpen(true);
    await this.panes.show('lesson');
    await this.updateComplete;
    this.querySelector('spp-lesson-panel')?.revealExercise(exerciseId);
  }

  private onCodeChange(value: string): void {
    this.code = value;
    this.drafts.edited();
    if (this.settings.autoRun) this.runs.schedule(AUTO_RUN_DELAY_MS);
  }

  private resetCode(): void {
    this.drafts.discard(this.exampleId);
    this.rerun({ code: this.current!.code });
  }

  private loadSolution(code: string): void {
    if (this.code !== this.current!.code && this.code !== code) {
      // Keep the learner's own attempt recoverable with the editor's undo (Ctrl+Z).
      this.banners.add('info', 'The solution replaced your code in the editor; Ctrl+Z (undo) in the editor brings your version back.');
    }
    this.code = code;
    this.drafts.saveNow();
    this.runs.schedule(0);
  }

  /** Puts an exercise's starting code into the editor (the learner's own stays reachable with undo). */
  private loadStarter(exerciseId: string): void {
    const starter = this.current?.exercises.find((x) => x.id === exerciseId)?.starter;
    if (starter === undefined) return;
    if (this.code !== this.current!.code && this.code !== starter) this.banners.add('info', 'The starting code replaced your code in the editor; Ctrl+Z (undo) in the editor brings your version back.');
    this.code = starter;
    this.drafts.saveNow();
    this.runs.schedule(0);
  }

  /** Checks an exercise whose flaw shows only in some schedules over its schedules (or its final grade's). */
  private checkSchedules(exerciseId: string, final: boolean): void {
    const example = this.current;
    const exercise = example?.exercises.find((x) => x.id === exerciseId);
    if (!example || !exercise || !isExploring(exercise)) return;
    this.drafts.flush();
    // The auto-run the last edit scheduled would only interrupt the check (it runs this same code).
    this.runs.cancelScheduled();
    const runs = final ? (exercise.explore.finalRuns ?? exercise.explore.runs) : exercise.explore.runs;
    void this.scheduleChecks.check(example, { ...exercise, explore: { ...exercise.explore, runs } }, this.code);
  }

  /** Saves checks (of a run, or of a check over schedules) as progress, and shows it in the picker. */
  private recordChecks(example: Example, checks: readonly EvaluatedCheck[]): void {
    const recorded = this.progress.record(example, checks);
    if (recorded.kind === 'failed') this.banners.warnOnce('storage', recorded.message);
    if (recorded.kind !== 'nothing') this.refreshPicker();
  }

  /** Changes what runs, and runs it (a new seed or plan of the learner's own leaves a replayed case). */
  private rerun(inputs: { code?: string; seed?: string | number; faults?: FaultPlan }, opts: { leaveReplay?: boolean } = {}): void {
    if (opts.leaveReplay) this.replayed = undefined;
    if (inputs.code !== undefined) this.code = inputs.code;
    if (inputs.seed !== undefined) this.seed = inputs.seed;
    if (inputs.faults !== undefined) this.faults = inputs.faults;
    this.runs.schedule(0);
  }

  // ---------------------------------------------------------------- explore

  /** Opens the Explore tab and starts an explore with its settings (the shortcut). */
  private exploreNow(): void {
    this.tab = 'explore';
    this.exploreCommand = { id: ++this.exploreCommands };
    void this.panes.show('views');
  }

  /** Opens a case of an explore as the run, remembering the seed and plan to go back to. */
  private replay(c: ReplayCase): void {
    const before = this.replayed?.before ?? { seed: this.seed, faults: this.faults };
    this.rerun({ seed: c.seed, faults: JSON.parse(JSON.stringify(c.faults)) as FaultPlan });
    this.replayed = { ...c, before };
    this.tab = 'sequence';
    void this.panes.show('views');
  }

  private endReplay(): void {
    const before = this.replayed?.before;
    if (before) this.rerun({ seed: before.seed, faults: before.faults }, { leaveReplay: true });
  }

  /** What the last run tells the Explore tab, read once per run (not on every render). */
  private seenInRun: { report: RunReport | undefined; services: string[]; queues: string[]; sagas: boolean } | undefined;
  /** Services and queues of every run of the open example, for the fault form (see FaultPanel.earlier). */
  private reachedSinceOpened = { services: new Set<string>(), queues: new Set<string>() };
  /** Of those, what the last run did not have. */
  private earlierTargets = { services: [] as string[], queues: [] as string[] };

  private exploreInputs(): ExploreTabInputs {
    if (!this.seenInRun || this.seenInRun.report !== this.report) {
      const events = this.report?.events ?? [];
      // Before the first run, the saga invariants judge too (they hold vacuously where there is no saga).
      this.seenInRun = { report: this.report, services: servicesIn(events), queues: queuesIn(events), sagas: this.report === undefined || usesSagas(events) };
    }
    const { services, queues, sagas } = this.seenInRun;
    return { host: this.exploreHost, example: this.current!, code: this.code, faults: this.faults, services, queues, sagas, command: this.exploreCommand };
  }

  // ---------------------------------------------------------------- runs

  private showReport(report: RunReport): void {
    const example = this.current!;
    this.report = report;
    this.openedFile = undefined;
    const services = servicesIn(report.events);
    const queues = queuesIn(report.events);
    this.earlierTargets = { services: [...this.reachedSinceOpened.services].filter((n) => !services.includes(n)), queues: [...this.reachedSinceOpened.queues].filter((n) => !queues.includes(n)) };
    for (const name of services) this.reachedSinceOpened.services.add(name);
    for (const name of queues) this.reachedSinceOpened.queues.add(name);
    this.markers = runMarkers(report);
    // For tests and tools: what the last run was, readable from the DOM.
    this.dataset['runStatus'] = report.status;
    this.dataset['traceHash'] = report.traceHash;
    this.dataset['runs'] = String(++this.completedRuns);
    this.scrubTime = report.virtualTime;
    this.selectedSeq = undefined;
    // Checks judge only a run that ended by itself: a stopped or unrun one gets none, and records no progress.
    this.checks = checksNotRun(report) ? [] : evaluateChecks(example, report);
    this.recordChecks(example, this.checks);
    if (this.linkExplore) [this.exploreCommand, this.linkExplore] = [this.linkExplore, undefined];
  }

  /** Shows a trace file as a run is shown; a run under way is dropped, so that it does not replace it. */
  private showOpenedTrace({ name, report }: OpenedTrace): void {
    this.runs.abandon();
    [this.report, this.openedFile, this.markers, this.checks] = [report, name, runMarkers(undefined), []];
    [this.scrubTime, this.selectedSeq] = [report.virtualTime, undefined];
  }

  private selectEvent(seq: number): void {
    this.selectedSeq = seq;
    const ev = this.report?.events[seq];
    if (ev && (this.tab === 'checks' || this.tab === 'sagas')) {
      this.tab = 'sequence';
      this.scrubTime = Math.max(this.scrubTime, ev.time);
    }
  }

  // ---------------------------------------------------------------- sharing, picker, tabs

  private shareState(): ShareState {
    return { exampleId: this.exampleId, seed: this.seed, code: this.code, original: this.current!.code, faults: this.faults, report: this.report };
  }

  private async share(): Promise<void> {
    this.drafts.flush();
    await this.sharing.share(this.shareState());
  }

  private refreshPicker(): void {
    this.pickerItems = this.progress.refresh(this.library);
  }

  private async revealLine(line: number, column?: number): Promise<void> {
    await this.panes.show('code');
    this.querySelector('spp-code-editor')?.revealLine(line, column);
  }

  /** Where a skip link goes: into the editor, or onto the open view's tab. */
  private async skipTo(target: 'code' | 'views'): Promise<void> {
    await this.panes.show(target);
    if (target === 'code') this.querySelector('spp-code-editor')?.focus();
    else this.querySelector<HTMLElement>(`#pane-views [role='tab'][aria-selected='true']`)?.focus();
  }

  protected override willUpdate(): void {
    this.style.setProperty('--spp-views-width', `${this.settings.viewsWidth}%`);
  }

  // ---------------------------------------------------------------- rendering

  /** The Compare tab; a compare link waits for the page's own run of it, which shares the sandbox. */
  private renderCompare(example: Example) {
    const idle = this.report !== undefined && !this.runs.running;
    return this.compareSlot.render({ example, code: this.code, seed: this.seed, faults: this.faults, deps: this.deps, idle });
  }

  override render() {
    if (!this.deps || !this.current) return html`<p class="empty">Loading…</p>`;
    const { current: example, report, settings, library } = this;
    const index = library.indexOf(example.id);
    const { panes } = this;
    return html`
      ${renderSkipLinks((target) => void this.skipTo(target))}
      <header>
        <h1>Service Patterns<br />Playground</h1>
        <spp-run-toolbar
          .running=${this.runs.running}
          .autoRun=${settings.autoRun}
          .seed=${String(this.seed)}
          .edited=${this.code !== example.code}
          .summary=${report ? runSummary(report, { openedFile: this.openedFile }) : undefined}
          .theme=${settings.theme}
          .compact=${panes.narrow}
        ></spp-run-toolbar>
      </header>
      ${this.banners.render()}
      ${panes.renderTabs()}
      <aside id="pane-examples" aria-label="Examples" ${paneOf(panes.state('examples'))}>
        <spp-example-picker .items=${this.pickerItems} .selected=${this.exampleId}></spp-example-picker>
        ${this.progressFiles.render()}
      </aside>
      ${renderLessonColumn(
        {
          example,
          hasPrev: index > 0,
          hasNext: index < library.entries.length - 1,
          exercises: this.progress.lessonExercises(example, this.checks, (id) => this.scheduleChecks.state(id)),
          lessonPane: panes.state('lesson', settings.lessonOpen),
          codePane: panes.state('code'),
          code: this.code,
          loader: this.deps.loadEditor,
          dark: settings.theme === 'dark' || (settings.theme === 'system' && this.deps.prefersDark()),
          markers: this.markers,
        },
        () => settings.setLessonOpen(!settings.lessonOpen),
      )}
      ${panes.narrow ? nothing : renderColumnSplitter(settings.viewsWidth, (percent, opts) => settings.setViewsWidth(percent, opts))}
      ${renderViewsSection(
        { tab: this.tab, example, report, running: this.runs.running, time: this.scrubTime, selectedSeq: this.selectedSeq, checks: this.checks, faults: this.faults, openedFile: this.openedFile, pane: panes.state('views'), earlierTargets: this.openedFile === undefined ? this.earlierTargets : undefined,
          compare: () => this.renderCompare(example),
          explore: { inputs: this.exploreInputs(), replayed: this.replayed, endReplay: () => this.endReplay() } },
        {
          selectTab: (tab) => {
            this.tab = tab;
            return this.updateComplete;
          },
          revealLine: (line, column) => void this.revealLine(line, column),
          // The fault plan may name services the edited code no longer has.
          dropFaults: () => this.rerun({ faults: {} }),
        },
      )}
      ${this.route.render()}
    `;
  }
}

customElements.define('spp-app', PlaygroundApp);
declare global {
  interface HTMLElementTagNameMap {
    'spp-app': PlaygroundApp;
  }
}
