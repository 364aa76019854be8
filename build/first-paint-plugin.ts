/**
 * Build side of the page's first load; runs in Node from vite.config.ts, never in the page.
 *
 * The built index.html paints the first example without any script: its list, lesson and code are
 * rendered into the HTML at build time (src/ui/first-paint/render-first-paint.ts, with the page's own
 * markdown renderer), and the page's stylesheet is inlined, so the first paint needs the HTML alone.
 * The app replaces the snapshot when it has rendered (src/ui/first-paint/hand-over.ts). The HTML also
 * asks early for what comes next: the app's first example, and (after the first paint) Monaco with its styles.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runnerImport, type AliasOptions, type Plugin, type Rolldown } from 'vite';
import type * as Examples from '../examples/index.js';
import type { Example } from '../examples/types.js';
import { renderFirstPaint } from '../src/ui/first-paint/render-first-paint.js';
import { markdownToHtml } from '../src/ui/markdown-to-html.js';

/** The head script that decides whether the snapshot stays on screen, and its CSP hash (`sha256-…`). */
export function firstPaintCheck(root: string): { source: string; hash: string } {
  // Inlined without its leading comment (the file explains itself; the page need not carry that).
  const source = readFileSync(join(root, 'src/ui/first-paint/first-paint-check.js'), 'utf8').replace(/^(\/\/.*\n)+/, '');
  return { source, hash: `sha256-${createHash('sha256').update(source).digest('base64')}` };
}

/** CSS without comments and runs of white space (the snapshot's styles go inline). */
function compactCss(css: string): string {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .trim();
}

/** A chunk and the chunks it imports statically, depth first, each once. */
function withStaticImports(bundle: Rolldown.OutputBundle, chunk: Rolldown.OutputChunk, seen = new Set<string>()): Rolldown.OutputChunk[] {
  if (seen.has(chunk.fileName)) return [];
  seen.add(chunk.fileName);
  const out: Rolldown.OutputChunk[] = [chunk];
  for (const f of chunk.imports) {
    const c = bundle[f];
    if (c?.type === 'chunk') out.push(...withStaticImports(bundle, c, seen));
  }
  return out;
}

/** The chunk built from the module whose path ends with `suffix`. */
function chunkOf(bundle: Rolldown.OutputBundle, suffix: string): Rolldown.OutputChunk {
  const found = Object.values(bundle).find((c): c is Rolldown.OutputChunk => c.type === 'chunk' && (c.facadeModuleId ?? '').split('\\').join('/').endsWith(suffix));
  if (!found) throw new Error(`first paint: no chunk for ${suffix}`);
  return found;
}

const cssOf = (c: Rolldown.OutputChunk): string[] => [...((c as Rolldown.OutputChunk & { viteMetadata?: { importedCss: Set<string> } }).viteMetadata?.importedCss ?? [])];

export interface FirstPaintOptions {
  root: string;
  /** The build's aliases, to load the examples the way the page does. */
  alias: AliasOptions;
}

/**
 * Renders the first example into index.html, inlines the page's stylesheet
 * and the snapshot's, adds the head script (whose hash the CSP lists) and
 * preloads the first example's chunks.
 */
export function firstPaintPlugin({ root, alias }: FirstPaintOptions): Plugin {
  const check = firstPaintCheck(root);
  return {
    name: 'spp-first-paint',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      async handler(html, ctx) {
        // Only the page itself: other HTML entries (the bench's pool page) have no app to paint.
        if (ctx.path !== '/index.html') return html;
        const { bundle, chunk: entry } = ctx;
        if (!bundle || !entry) throw new Error('first paint: index.html has no entry chunk');
        // Each import gets a module runner of its own, closed once the module has loaded.
        const load = async <T>(path: string) => (await runnerImport<T>(join(root, path), { configFile: false, root, logLevel: 'error', resolve: { alias } })).module;
        const examples = await load<typeof Examples>('examples/index.ts');
        const first = examples.catalog[0]!;
        const example = (await load<{ default: Example }>(`examples/${first.id}/index.ts`)).default;

        const snapshot = renderFirstPaint({ catalog: examples.catalog, example, markdown: markdownToHtml });
        const app = /<spp-app>[\s\S]*?<\/spp-app>/;
        if (!app.test(html)) throw new Error('first paint: index.html must contain <spp-app>…</spp-app>');
        html = html.replace(app, () => `<spp-app>${snapshot}</spp-app>`);

        // The page's own stylesheet goes inline (it has no url() to rebase), then the snapshot's. Its link stays,
        // disabled (neither fetched nor applied): Vite's preloader looks for it when a lazy chunk that shares
        // the entry's modules loads (Monaco's TypeScript mode does), and would otherwise add it again.
        for (const file of cssOf(entry)) {
          const asset = bundle[file];
          if (asset?.type !== 'asset' || String(asset.source).includes('url(')) continue;
          const link = new RegExp(`<link rel="stylesheet"([^>]*href="[^"]*${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*)>`);
          if (!link.test(html)) continue;
          html = html.replace(link, (_, attrs: string) => `<style>${String(asset.source)}</style>\n    <link rel="stylesheet"${attrs} disabled>`);
        }
        const css = compactCss(readFileSync(join(root, 'src/ui/first-paint/first-paint.css'), 'utf8'));

        // What the app needs next, asked for while the browser paints: the first example's chunks. Not Monaco's:
        // measured with `npm run bench:web`, preload links for them in the HTML delayed the first frame (288 ms
        // against 162 ms): its 3.6 MB download and compile competed with the first layout.
        const entryFiles = new Set(withStaticImports(bundle, entry).map((c) => c.fileName));
        const exampleChunks = withStaticImports(bundle, chunkOf(bundle, `examples/${first.id}/index.ts`)).filter((c) => !entryFiles.has(c.fileName));
        const preloads = [
          ...exampleChunks.map((c) => `<link rel="modulepreload" crossorigin href="./${c.fileName}">`),
        ];
        // Monaco's chunks and styles (the very files load-monaco.ts imports), which the head script asks for
        // right after the first paint: they then download and compile while the app's own chunk starts.
        // With them, the chunks Monaco imports as soon as the editor holds TypeScript: its tokenizer (so that the
        // first drawing has colours) and its TypeScript mode.
        const editorEntries = ['src/ui/editor/monaco-core.ts', 'languages/definitions/typescript/typescript.js', 'languages/features/typescript/tsMode.js'];
        const seen = new Set(entryFiles);
        const editorChunks = editorEntries.flatMap((suffix) => withStaticImports(bundle, chunkOf(bundle, suffix), seen));
        const editorFiles = [...editorChunks.map((c) => c.fileName), ...new Set(editorChunks.flatMap(cssOf))].map((f) => `./${f}`);

        const head = `<meta name="spp-first-example" content="${first.id}" />\n    <meta name="spp-editor-files" content="${editorFiles.join(' ')}" />\n    <script>${check.source}</script>\n    `;
        html = html.replace(/<title>/, () => `${head}<title>`);
        html = html.replace('</head>', () => `  <style>${css}</style>\n    ${preloads.join('\n    ')}\n  </head>`);
        return html;
      },
    },
  };
}
