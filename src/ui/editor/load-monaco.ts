/**
 * Loads Monaco (editor core + TypeScript) on demand, configures the
 * TypeScript language service with the `playground` module's generated types,
 * and returns the API. Called once; later calls share the same promise.
 *
 * The editor does not wait for the types (a chunk of their own, about 85 KB
 * gzip): they are asked for only after the frame that follows Monaco's load
 * (the one that draws the editor), so that parsing them does not compete with
 * Monaco's own chunks on a machine with few cores. Type checking starts when
 * they arrive, so that the code is never marked with errors about a
 * `playground` module that is not there yet.
 */
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';

export type Monaco = typeof MonacoApi & { typescript: typeof import('monaco-esm/languages/features/typescript/register.js') };

let loading: Promise<Monaco> | undefined;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    const [monaco, EditorWorker, TsWorker] = await Promise.all([
      import('./monaco-core.js'),
      import('monaco-editor/editor/editor.worker?worker').then((m) => m.default),
      import('monaco-editor/language/typescript/ts.worker?worker').then((m) => m.default),
    ]);
    (self as unknown as { MonacoEnvironment: unknown }).MonacoEnvironment = {
      getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
    };
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
    ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
    const types = afterNextFrame().then(() => import('virtual:playground-types').then((m) => m.default));
    void types.then(
      (files) => {
        for (const [path, text] of Object.entries(files)) ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/playground/${path}`);
        ts.typescriptDefaults.addExtraLib("export * from './playground/index';\n", 'file:///node_modules/playground/index.d.ts');
        ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
      },
      // Without its types the editor still edits and checks syntax; runs are not affected.
      () => undefined,
    );
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
