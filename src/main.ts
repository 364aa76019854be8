/**
 * The page's entry point: the only module that touches real browser globals
 * (location, storage, clipboard, the theme) and wires them into the app.
 */
import './ui/page.css';
import './ui/app.css';
import { catalog, loadExample } from '../examples/index.js';
import bootSource from '../public/sandbox/boot.js?raw';
import realRuntime from 'virtual:spp-real-runtime';
import { createWorkerTranspiler, type Transpiler } from './runner/page/transpiler-client.js';
import { createSandbox } from './runner/page/sandbox.js';
import { createMemoryStorage, type StorageLike } from './share/index.js';
import { loadMonaco } from './ui/editor/load-monaco.js';
import { handOverFirstPaint } from './ui/first-paint/hand-over.js';
import { loadMarkdown } from './ui/markdown.js';
import './ui/app.js';

function pickStorage(): StorageLike {
  try {
    const s = window.localStorage;
    const probe = 'spp.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return createMemoryStorage();
  }
}

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

const app = document.querySelector('spp-app');
if (!app) throw new Error('index.html must contain <spp-app>');

// First load, in order of need: the page's own chunk and the first example (first paint), then the
// editor, which starts loading at once (the built page's HTML asks for its chunks after its first
// paint: build/first-paint-plugin.ts). The sandbox (its iframe, runtime and Workers), the other
// examples and the service worker's copy of the site wait until the editor is on screen, or two
// seconds on a slow network: on a machine with few cores, starting everything together slowed the
// first paint and the editor alike.
const editorLoading = loadMonaco();
const afterEditor = settledOrAfter(editorShown(app, editorLoading), 2_000);

const sandbox = createSandbox({
  runtime: () => import('virtual:playground-runtime').then((m) => m.default),
  startAfter: afterEditor,
  // Inline (its hash is in the page's CSP): works offline, where a sandboxed frame's own requests are not served by the service worker.
  boot: { source: bootSource, hash: __SANDBOX_BOOT_HASH__ },
});

/** Resolves when `p` settles or after `ms`, whichever is first. */
function settledOrAfter(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
    p.then(
      () => resolve(),
      () => resolve(),
    );
  });
}

/** Resolves after the frame that draws the app's editor (its `editor-ready` event, then one frame), or when the editor failed to load. */
function editorShown(app: HTMLElement, loading: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    app.addEventListener('editor-ready', () => requestAnimationFrame(() => setTimeout(resolve, 0)), { once: true });
    loading.catch(() => resolve());
  });
}

/** Loads the first example asked for at once, and later ones only after `after`. */
function firstThenAfter(load: typeof loadExample, after: Promise<void>): typeof loadExample {
  let first = true;
  return (id) => {
    if (!first) return after.then(() => load(id));
    first = false;
    return load(id);
  };
}

let exportTranspiler: Transpiler | undefined;

// The built page's HTML shows the first example already; the app takes over when it has rendered.
const firstPaint = handOverFirstPaint(app);
const lendingLesson: typeof loadExample = (id) => loadExample(id).then((example) => (firstPaint.lendLesson(example), example));
// The markdown parser, for the next lesson, once the editor is there.
void afterEditor.then(() => loadMarkdown()).catch(() => undefined);
app.start({
  catalog,
  loadExample: firstThenAfter(lendingLesson, afterEditor),
  runner: sandbox,
  loadEditor: loadMonaco,
  storage: pickStorage(),
  initialUrl: window.location.href,
  replaceHash(hash) {
    const url = new URL(window.location.href);
    url.hash = hash;
    window.history.replaceState(null, '', url.href);
  },
  async copyText(text) {
    await navigator.clipboard.writeText(text);
  },
  download(fileName, content, mimeType) {
    // A copy of bytes is backed by a plain ArrayBuffer, as a Blob wants.
    const url = URL.createObjectURL(new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type: mimeType }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
  projectExport: {
    async loadRuntime() {
      const response = await fetch(new URL(realRuntime.file, document.baseURI));
      if (!response.ok) throw new Error(`${realRuntime.file}: HTTP ${response.status}`);
      return { source: await response.text(), dependencies: realRuntime.dependencies };
    },
    // A transpiler of its own, started on the first download (the sandbox keeps its own busy with runs).
    async check(code) {
      exportTranspiler ??= createWorkerTranspiler();
      const out = await exportTranspiler.transpile(code, { playgroundUrl: 'playground' });
      return out.ok ? undefined : out.error;
    },
  },
  pickFile(accept) {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = accept;
      input.addEventListener('change', () => {
        const file = input.files?.[0];
        if (!file) return resolve(undefined);
        file.text().then((text) => resolve({ name: file.name, text }), () => resolve(undefined));
      });
      input.addEventListener('cancel', () => resolve(undefined));
      input.click();
    });
  },
  now: () => Date.now(),
  applyTheme(theme) {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
  },
  prefersDark: () => darkQuery.matches,
});
darkQuery.addEventListener('change', () => app.requestUpdate());

// Offline support: the built site's service worker keeps every file once the page has loaded.
// Registered once the editor is on screen: installing it fetches every file of the site.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void afterEditor.then(() => navigator.serviceWorker.register('./sw.js')).catch(() => undefined);
}
