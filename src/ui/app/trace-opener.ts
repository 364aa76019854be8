import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RunReport } from '../../runner/protocol.js';
import { hashTrace, parseTraceFile, traceFileSizeProblem, type TraceEvent } from '../../sim/trace.js';
import type { AppDeps } from '../app-deps.js';
import type { BannerList } from './banner-list.js';

/** A trace file the learner opened, shaped as a run's report so every view shows it as it shows a run. */
export interface OpenedTrace {
  /** The file's name. */
  name: string;
  report: RunReport;
}

/** What a {@link TraceOpener} needs from the app. */
export interface TraceOpenerOptions {
  /** Read when a file is picked: the app gets its dependencies after it is created. */
  deps: () => Pick<AppDeps, 'pickFile'>;
  banners: Pick<BannerList, 'add'>;
  /** A well-formed trace file was read; a bad one only gets a banner. */
  onOpened: (trace: OpenedTrace) => void;
}

/**
 * Opens a trace file (from the page's "Trace JSON" or real mode's
 * `spp run --trace`), picked through "Open trace…" or dropped anywhere on the
 * page. A file that is not a well-formed trace gets a banner saying what is
 * wrong, and changes nothing else. While a file is dragged over the page, the
 * host carries `data-dropping` (the stylesheet outlines it).
 *
 * @example
 * const traces = new TraceOpener(this, { deps: () => this.deps, banners, onOpened: (t) => show(t) });
 * void traces.pick();
 */
export class TraceOpener implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: TraceOpenerOptions,
  ) {
    host.addController(this);
  }

  /** Asks for a file and opens it (nothing happens when the learner cancels). */
  async pick(): Promise<void> {
    const picked = await this.options.deps().pickFile('application/json,.json');
    if (picked) this.open(picked.name, picked.text);
  }

  /** Opens the text of a trace file named `name`. */
  open(name: string, text: string): void {
    const r = parseTraceFile(text);
    if (!r.ok) return this.refuse(name, r.problem);
    this.options.onOpened({ name, report: openedReport(r.events) });
  }

  private refuse(name: string, problem: string): void {
    this.options.banners.add('error', `${name} was not opened. ${problem}`);
  }

  hostConnected(): void {
    // Capture: the editor must not take a dropped file as text to insert.
    this.host.addEventListener('dragover', this.onDragOver, { capture: true });
    this.host.addEventListener('dragleave', this.onDragLeave, { capture: true });
    this.host.addEventListener('drop', this.onDrop, { capture: true });
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.onDragOver, { capture: true });
    this.host.removeEventListener('dragleave', this.onDragLeave, { capture: true });
    this.host.removeEventListener('drop', this.onDrop, { capture: true });
  }

  private readonly onDragOver = (e: DragEvent): void => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer!.dropEffect = 'copy';
    this.host.toggleAttribute('data-dropping', true);
  };

  private readonly onDragLeave = (e: DragEvent): void => {
    if (!(e.relatedTarget instanceof Node && this.host.contains(e.relatedTarget))) this.host.removeAttribute('data-dropping');
  };

  private readonly onDrop = (e: DragEvent): void => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.stopPropagation();
    this.host.removeAttribute('data-dropping');
    const file = e.dataTransfer!.files[0];
    if (file) void this.openFile(file);
  };

  private async openFile(file: File): Promise<void> {
    // Refused before reading: a huge file would hold the page up for nothing.
    const tooLarge = traceFileSizeProblem(file.size);
    if (tooLarge) return this.refuse(file.name, tooLarge);
    let text: string;
    try {
      text = await file.text();
    } catch {
      return this.refuse(file.name, 'The browser could not read it.');
    }
    this.open(file.name, text);
  }
}

function carriesFiles(e: DragEvent): boolean {
  return e.dataTransfer?.types.includes('Files') ?? false;
}

/** A report for the events of a trace file: no result, no error, nothing run here. */
export function openedReport(events: TraceEvent[]): RunReport {
  let end = 0;
  for (const e of events) end = Math.max(end, e.time);
  return { runId: 'opened-trace', status: 'ok', events, traceHash: hashTrace(events), eventsRun: 0, virtualTime: end, droppedLogs: 0, wallMs: 0 };
}
