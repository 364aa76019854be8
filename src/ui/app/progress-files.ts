import { html, type TemplateResult } from 'lit';
import { exportProgress, importProgress } from '../../share/index.js';
import type { AppDeps } from '../app-deps.js';
import type { BannerList } from './banner-list.js';

/** What {@link ProgressFiles} needs from the app. */
export interface ProgressFilesOptions {
  deps: Pick<AppDeps, 'storage' | 'download' | 'pickFile' | 'now'>;
  banners: Pick<BannerList, 'add'>;
  /** True for ids of examples this version of the course has (others in a file are rejected). */
  isKnownExample: (id: string) => boolean;
  /** An import may have changed the saved progress. */
  onImported: () => void;
}

/**
 * Moves the learner's progress between browsers as a JSON file: export
 * downloads it, import merges a picked file into what is saved and says what
 * it took and what it refused.
 *
 * @example
 * const files = new ProgressFiles({ deps, banners, isKnownExample: (id) => library.has(id), onImported: refreshPicker });
 * html`<aside>${files.render()}</aside>`;
 */
export class ProgressFiles {
  constructor(private readonly options: ProgressFilesOptions) {}

  /** Downloads the saved progress. */
  exportFile(): void {
    const { deps, banners } = this.options;
    const r = exportProgress(deps.storage, { now: deps.now() });
    if (!r.ok) return void banners.add('error', r.problem.message);
    deps.download('service-patterns-progress.json', r.text, 'application/json');
  }

  /** Asks for a file and imports it (nothing happens when the learner cancels). */
  async importFile(): Promise<void> {
    const { deps, banners } = this.options;
    const picked = await deps.pickFile('application/json,.json');
    if (picked === undefined) return;
    const r = importProgress(deps.storage, picked.text, { isKnownExample: this.options.isKnownExample });
    if (!r.ok) banners.add('error', r.error.message);
    else banners.add(r.rejected.length ? 'warn' : 'info', r.message, { autoCloseMs: 8000 });
    this.options.onImported();
  }

  /** The two buttons under the example list. */
  render(): TemplateResult {
    return html`<div class="progress-io">
      <button class="small" @click=${() => this.exportFile()}>Export progress</button>
      <button class="small" @click=${() => void this.importFile()}>Import progress</button>
    </div>`;
  }
}
