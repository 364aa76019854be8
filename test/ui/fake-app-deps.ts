// Fake outside world for the app and its controllers: two small examples, a
// runner that answers from a script, memory storage, and records of what the
// app asked for (hash changes, clipboard, downloads). Usable in Node and in the browser.
import type { Example, ExampleMeta } from '../../examples/types.js';
import type { RunReport, RunRequest } from '../../src/runner/protocol.js';
import type { TraceEvent } from '../../src/sim/trace.js';
import { createMemoryStorage } from '../../src/share/storage-like.js';
import type { StorageLike } from '../../src/share/storage-like.js';
import type { AppDeps, AppRunner } from '../../src/ui/app-deps.js';

/** The code both examples start from, and what the first exercise's solution returns. */
export const ALPHA_CODE = "import { log } from 'playground';\nexport default async function main() {\n  log.info('alpha');\n  return 1;\n}\n";
export const ALPHA_SOLUTION = ALPHA_CODE.replace('return 1', 'return 2');
export const BETA_CODE = "export default async function main() {\n  return 'beta';\n}\n";

/** Two examples in course order: `alpha-calls` (with one exercise) and `beta-queues`. */
export function fakeExamples(): Example[] {
  return [
    {
      id: 'alpha-calls',
      title: 'Alpha calls',
      topic: 'Basics',
      order: 1,
      summary: 'A first call.',
      objectives: ['See one call'],
      lesson: '## Why alpha\nA *call* takes time.',
      code: ALPHA_CODE,
      seed: 7,
      faults: { services: { payment: { errorRate: 0.5 } } },
      expected: [{ id: 'ends', title: 'the run ends well', check: (r) => ({ passed: r.status === 'ok', message: `status ${r.status}` }) }],
      exercises: [
        {
          id: 'return-two',
          title: 'Return two',
          task: 'Make `main` return 2.',
          hint: 'Change the number.',
          solution: ALPHA_SOLUTION,
          checks: [{ id: 'two', title: 'main returns 2', check: (r) => ({ passed: r.result === 2, message: `main returned ${String(r.result)}` }) }],
        },
      ],
    },
    {
      id: 'beta-queues',
      title: 'Beta queues',
      topic: 'Messaging',
      order: 2,
      summary: 'A queue.',
      objectives: ['See a queue'],
      lesson: '## Why beta\nQueues decouple.',
      code: BETA_CODE,
      seed: 3,
      expected: [],
      exercises: [],
    },
  ];
}

/** How the fake runner answers one request (defaults: an ok run that returns 1). */
export type FakeAnswer = Partial<Omit<RunReport, 'runId'>>;

/** A runner that records requests and answers each with `answer(request)`; `hold` keeps answers back until `release`. */
export class FakeRunner implements AppRunner {
  readonly requests: RunRequest[] = [];
  stops = 0;
  answer: (request: RunRequest) => FakeAnswer = () => ({});
  private held: Array<() => void> = [];
  hold = false;

  run(request: RunRequest): Promise<RunReport> {
    this.requests.push(request);
    const n = this.requests.length;
    const report = (): RunReport => ({
      runId: request.runId,
      status: 'ok',
      result: 1,
      events: [{ seq: 0, time: 5, kind: 'log', source: 'orders', level: 'info', message: `run ${n}` } as TraceEvent],
      traceHash: `hash-${n}`,
      eventsRun: 3,
      virtualTime: 1500,
      droppedLogs: 0,
      wallMs: 2,
      ...this.answer(request),
    });
    if (!this.hold) return Promise.resolve(report());
    return new Promise((resolve) => this.held.push(() => resolve(report())));
  }

  stop(): void {
    this.stops++;
  }

  /** Answers every held request. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const answer of held) answer();
  }
}

/** What the app did to the outside world. */
export interface FakeWorld {
  hashes: string[];
  copied: string[];
  /** Files saved: `text` for text, `bytes` for binary content (then `text` is empty). */
  downloads: Array<{ fileName: string; text: string; bytes?: Uint8Array; mimeType: string }>;
  themes: string[];
  /** What the next file pick returns (undefined: cancelled). */
  nextFile: string | undefined;
  /** The name of the next picked file. */
  nextFileName: string;
  clipboardFails: boolean;
}

/** Fake `AppDeps` over `storage` (fresh by default), with the records in `world`. */
export function fakeDeps(options: { storage?: StorageLike; url?: string; runner?: FakeRunner; examples?: Example[] } = {}): { deps: AppDeps; runner: FakeRunner; storage: StorageLike; world: FakeWorld } {
  const examples = options.examples ?? fakeExamples();
  const runner = options.runner ?? new FakeRunner();
  const storage = options.storage ?? createMemoryStorage();
  const world: FakeWorld = { hashes: [], copied: [], downloads: [], themes: [], nextFile: undefined, nextFileName: 'picked.json', clipboardFails: false };
  const catalog: ExampleMeta[] = examples.map(({ id, title, topic, order }) => ({ id, title, topic, order }));
  const deps: AppDeps = {
    catalog,
    loadExample: (id) => {
      const found = examples.find((e) => e.id === id);
      return found ? Promise.resolve(found) : Promise.reject(new Error(`no example ${id}`));
    },
    runner,
    storage,
    initialUrl: options.url ?? 'https://play.test/course/',
    replaceHash: (hash) => void world.hashes.push(hash),
    copyText: (text) => {
      if (world.clipboardFails) return Promise.reject(new Error('denied'));
      world.copied.push(text);
      return Promise.resolve();
    },
    download: (fileName, content, mimeType) =>
      void world.downloads.push(typeof content === 'string' ? { fileName, text: content, mimeType } : { fileName, text: '', bytes: content, mimeType }),
    pickFile: () => Promise.resolve(world.nextFile === undefined ? undefined : { name: world.nextFileName, text: world.nextFile }),
    now: () => 1_700_000_000_000,
    applyTheme: (theme) => void world.themes.push(theme),
    prefersDark: () => false,
  };
  return { deps, runner, storage, world };
}
