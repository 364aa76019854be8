import type { AppDeps } from '../app-deps.js';
import type { BannerList } from './banner-list.js';

/** What {@link ProjectDownload} needs from the app. */
export interface ProjectDownloadOptions {
  /** Read on each download: the app gets its dependencies after it is created. */
  deps: () => Pick<AppDeps, 'download' | 'projectExport'>;
  banners: Pick<BannerList, 'add'>;
}

/** What is exported: the code in the editor, named after the open example. */
export interface ProjectSubject {
  code: string;
  exampleId: string;
  title: string;
}

/**
 * "Download as project": zips the program with the real-mode runtime, a
 * package.json, a README, a Dockerfile and a docker-compose.yml, all in the
 * browser, and downloads it. Code that does not compile makes no zip and a
 * banner says why; so does a runtime file that cannot be loaded.
 *
 * @example
 * const projects = new ProjectDownload({ deps: () => this.deps, banners });
 * await projects.download({ code, exampleId: 'message-queue', title: 'A message queue' });
 */
export class ProjectDownload {
  private busy = false;

  constructor(private readonly options: ProjectDownloadOptions) {}

  async download(subject: ProjectSubject): Promise<void> {
    const { banners } = this.options;
    const { download, projectExport } = this.options.deps();
    if (!projectExport) return void banners.add('error', 'Downloading a project is not available here.');
    if (this.busy) return;
    this.busy = true;
    try {
      let runtime;
      try {
        runtime = await projectExport.loadRuntime();
      } catch (e) {
        return void banners.add('error', `No project was made: the real-mode runtime could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page and try again.`);
      }
      // Loaded on the first download: the zip library is no part of the page's first load.
      const { buildProjectZip } = await import('./project-zip.js');
      const zip = await buildProjectZip({ code: subject.code, name: subject.exampleId, title: subject.title, runtime, check: projectExport.check });
      if (!zip.ok) return void banners.add('error', zip.message);
      download(zip.fileName, zip.bytes, 'application/zip');
      const services = zip.services.length === 0 ? 'no services' : `${zip.services.length} service${zip.services.length === 1 ? '' : 's'} (${zip.services.map((s) => s.name).join(', ')})`;
      banners.add('info', `Downloaded ${zip.fileName}: the program with ${services}. Its README says how to run it on a real RabbitMQ, locally or with docker compose.`, { autoCloseMs: 8000 });
    } finally {
      this.busy = false;
    }
  }
}
