/**
 * Build side (runs in Node from vite.config.ts). monaco-editor 0.57's helper that starts a language's
 * worker (`vs/internal/common/workers.js`, imported by the TypeScript mode) also imports every editor
 * contribution for its side effects, so loading the TypeScript mode brought back all that
 * src/ui/editor/monaco-core.ts leaves out (inline completions, code lenses, the colour picker, inlay
 * hints, linked editing, …): 0.3 MB more to load and run while the editor first shows. This plugin
 * drops those side-effect-only imports from that one file; what it exports (`createWebWorker`) and
 * what it imports by name stay as they are.
 */
import type { Plugin } from 'vite';

const WORKERS_HELPER = /monaco-editor\/esm\/vs\/internal\/common\/workers\.js$/;

/** Removes `import '…';` lines (imports for side effects only) from Monaco's language-worker helper. */
export function monacoLanguageWorkers(): Plugin {
  return {
    name: 'spp-monaco-language-workers',
    enforce: 'pre',
    transform(code, id) {
      if (!WORKERS_HELPER.test(id.split('\\').join('/').split('?')[0]!)) return undefined;
      const slim = code.replace(/^import '[^']+';\r?\n/gm, '');
      if (slim === code) this.warn('no side-effect imports found in Monaco\'s workers.js: has monaco-editor changed?');
      return { code: slim, map: null };
    },
  };
}
