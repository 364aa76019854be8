/**
 * Loads Monaco (editor core + TypeScript) on demand, configures the
 * TypeScript language service with the `playground` module's generated types,
 * and returns the API. Called once; later calls share the same promise.
 *
 * The editor does not wait for the types (a chunk of their own, about 85 KB
 * gzip) nor for the TypeScript worker: both are asked for only after the
 * frame that follows Monaco's load (the one that draws the editor), so that
 * loading them does not compete with drawing it on a machine with few cores.
 * The worker starts once the types are in, so that the code is never marked
 * with errors about a `playground` module that is not there yet.
 */
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';

export type Monaco = typeof MonacoApi & { typescript: typeof import('monaco-esm/languages/features/typescript/register.js') };

let loading: Promise<Monaco> | undefined;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    // Marks for `npm run bench:web`, which times the editor's first load by phase.
    performance.mark('spp:editor-import');
    const [monaco, EditorWorker, TsWorker] = await Promise.all([
      import('./monaco-core.js'),
      import('monaco-editor/editor/editor.worker?worker').then((m) => m.default),
      import('monaco-editor/language/typescript/ts.worker?worker').then((m) => m.default),
    ]);
    performance.mark('spp:editor-loaded');
    const ts = monaco.typescript;
    ts.typescriptDefaults.setCompilerOptions({
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.NodeJs,
      strict: true,
      noImplicitAny: false,
      allowNonTsExtensions: true,
      esModuleInterop: true,
      lib: ['es2022', 'dom'],
    });
    // The editor is created as soon as this resolves, and drawn in the next frame. What only checks and
    // completes code starts after that frame: the types, then the TypeScript worker (its script is the
    // site's largest; Monaco takes a promised worker for a language). The types go in before the worker
    // starts: it then never checks the code without them, and no change of options restarts it.
    const typesIn = afterNextFrame()
      .then(() => import('virtual:playground-types'))
      .then(
        ({ default: files }) => {
          for (const [path, text] of Object.entries(files)) ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/playground/${path}`);
          ts.typescriptDefaults.addExtraLib("export * from './playground/index';\n", 'file:///node_modules/playground/index.d.ts');
        },
        // Without its types the editor still edits and checks the code; `playground` is then untyped rather than missing.
        () => void ts.typescriptDefaults.addExtraLib("declare module 'playground';\n", 'file:///node_modules/playground/index.d.ts'),
      );
    (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
      getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? typesIn.then(() => new TsWorker()) : new EditorWorker()),
    };
    return monaco as unknown as Monaco;
  })();
  return loading;
}

/** Resolves in the task after the next frame has been drawn (a task queued from an animation frame runs after its paint). */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    }),
  );
}
