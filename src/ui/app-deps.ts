import type { Example, ExampleMeta } from '../../examples/types.js';
import type { PoolOpened, PoolRequest, RunReport, RunRequest } from '../runner/protocol.js';
import type { StorageLike } from '../share/storage-like.js';
import type { EditorLoader } from './editor/code-editor.js';
import type { RealRuntime } from './app/project-files.js';
import type { ProgramProblem } from './app/project-zip.js';

/** The runner as the app uses it (the sandbox in the page, something simpler in tests). */
export interface AppRunner {
  run(request: RunRequest): Promise<RunReport>;
  stop(): void;
  /**
   * Opens a pool of warm Workers that run one program over many seeds
   * (explore, compare, checks over many schedules). Without it, callers run
   * seed after seed through `run`.
   */
  openPool?(request: PoolRequest): Promise<PoolOpened>;
}

/** A file the user picked: its name and its text. */
export interface PickedFile {
  name: string;
  text: string;
}

/** The outside world of "Download as project". */
export interface ProjectExportDeps {
  /** The prebuilt real-mode runtime: a file of the site (kept by the service worker for offline use). */
  loadRuntime(): Promise<RealRuntime>;
  /** Checks that the code transpiles as a run would; resolves to the problem, or undefined. */
  check(code: string): Promise<ProgramProblem | undefined>;
}

/**
 * Everything the app needs from the outside world. `main.ts` passes the real
 * browser facilities; tests pass fakes.
 */
export interface AppDeps {
  /** Every example's picker entry, in course order. */
  catalog: ExampleMeta[];
  /** Loads an example's content (code, lesson, exercises). */
  loadExample(id: string): Promise<Example>;
  runner: AppRunner;
  /** Loads Monaco into the code editor; without it the code is shown read-only (tests, where Monaco cannot load). */
  loadEditor?: EditorLoader;
  storage: StorageLike;
  /** The page's URL at load (share links live in its hash). */
  initialUrl: string;
  /** Replaces the hash of the address bar without reloading. */
  replaceHash(hash: string): void;
  copyText(text: string): Promise<void>;
  /** Saves a file: text, or bytes (a zip). */
  download(fileName: string, content: string | Uint8Array, mimeType: string): void;
  /** What "Download as project" needs; without it the page says it is not available. */
  projectExport?: ProjectExportDeps;
  /** Reads a file the user picks; undefined when cancelled. */
  pickFile(accept: string): Promise<PickedFile | undefined>;
  /** Wall-clock time, for timestamps of drafts and progress. */
  now(): number;
  /** Sets the document theme ('system' follows the OS). */
  applyTheme(theme: 'system' | 'light' | 'dark'): void;
  /** True when the OS prefers dark. */
  prefersDark(): boolean;
}
