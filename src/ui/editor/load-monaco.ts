/**
 * Loads Monaco (editor core + TypeScript) on demand, configures the
 * TypeScript language service with the `playground` module's generated types,
 * and returns the API. Called once; later calls share the same promise.
 */
import type * as MonacoApi from 'monaco-esm/editor/editor.api.js';

export type Monaco = typeof MonacoApi & { typescript: typeof import('monaco-esm/languages/features/typescript/register.js') };

let loading: Promise<Monaco> | undefined;

export function loadMonaco(): Promise<Monaco> {
  loading ??= (async () => {
    const [monaco, EditorWorker, TsWorker, types] = await Promise.all([
      import('./monaco-core.js'),
      import('monaco-editor/editor/editor.worker?worker').then((m) => m.default),
      import('monaco-editor/language/typescript/ts.worker?worker').then((m) => m.default),
      import('virtual:playground-types').then((m) => m.default),
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
    ts.typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
    for (const [path, text] of Object.entries(types)) ts.typescriptDefaults.addExtraLib(text, `file:///node_modules/playground/${path}`);
    ts.typescriptDefaults.addExtraLib("export * from './playground/index';\n", 'file:///node_modules/playground/index.d.ts');
    return monaco as unknown as Monaco;
  })();
  return loading;
}
