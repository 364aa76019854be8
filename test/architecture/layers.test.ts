/**
 * The layer rule of ARCHITECTURE.md, checked on the source itself: each folder
 * of src/ imports only the folders it may, the simulation core reads no real
 * time or randomness, and no file imports itself through a cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAYERS, type Layer } from './layer-rules.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

interface Import {
  from: string;
  /** A repository-relative file for a relative specifier, else the bare package name. */
  to: string;
  typeOnly: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.d.mts') ? [path] : [];
  });
}

// Statements that start a line, so code inside template strings (user programs in tests) is not read.
const STATIC = /^[ \t]*(import|export)\b(\s+type\b)?[^'"`;]*?\bfrom\s*(['"])([^'"]+)\3/gm;
const BARE = /^[ \t]*import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

function importsOf(file: string): Import[] {
  // Comments go (keeping their line breaks, for line numbers): JSDoc examples are not imports.
  const text = readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^[ \t]*\/\/.*$/gm, '');
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  const target = (spec: string) => {
    if (!spec.startsWith('.')) return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
    const abs = resolve(dirname(join(root, file)), spec).replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
    return relative(root, abs).split('\\').join('/');
  };
  const found: Import[] = [];
  for (const m of text.matchAll(STATIC)) {
    const typeOnly = m[2] !== undefined || /^[ \t]*(import|export)\s+type\b/.test(m[0]);
    found.push({ from: file, to: target(m[4]!), typeOnly, line: lineAt(m.index!) });
  }
  for (const re of [BARE, DYNAMIC])
    for (const m of text.matchAll(re)) found.push({ from: file, to: target(m[2]!), typeOnly: false, line: lineAt(m.index!) });
  return found;
}

/** The layer a repository path belongs to: `src/<folder>/…`, `src/main.ts` or `examples/…`. */
function layerOf(path: string): Layer | undefined {
  const parts = path.split('/');
  if (parts[0] === 'examples') return 'examples';
  if (parts[0] !== 'src') return undefined;
  if (parts.length === 2) return parts[1]!.replace(/\.\w+$/, '') as Layer;
  return parts[1] as Layer;
}

/** What is wrong with one import under the layer rule, if anything. */
function breach(i: Import): string | undefined {
  const from = layerOf(i.from)!;
  const rule = LAYERS[from];
  const to = i.to.includes('/') ? layerOf(i.to) : undefined;
  if (to === undefined) return rule.packages.includes(i.to) ? undefined : `${i.from}:${i.line} imports package '${i.to}'`;
  if (to === from) return undefined;
  const allowed = rule.imports[to];
  const ok =
    allowed === 'all' ||
    (allowed !== undefined && i.typeOnly) ||
    (Array.isArray(allowed) && allowed.includes(i.to));
  return ok ? undefined : `${i.from}:${i.line} imports ${i.to}${i.typeOnly ? ' (type only)' : ''}: ${from} may not import ${to}`;
}

const files = [...sourceFiles('src'), ...sourceFiles('examples').filter((f) => !f.endsWith('.test.ts'))];
const imports = files.flatMap(importsOf);

describe('layers', () => {
  it('every file of src/ belongs to a known layer', () => {
    const unknown = files.filter((f) => !(layerOf(f)! in LAYERS));
    expect(unknown, 'add the folder to test/architecture/layer-rules.ts and ARCHITECTURE.md').toEqual([]);
  });

  it('each layer imports only what the layer rule allows', () => {
    expect(imports.map(breach).filter(Boolean)).toEqual([]);
  });

  it('the check itself rejects an upward import, a value import of types-only layer, and an unknown package', () => {
    const at = (from: string, to: string, typeOnly = false) => breach({ from, to, typeOnly, line: 1 });
    expect(at('src/sim/world.ts', 'src/ui/app.ts')).toMatch(/sim may not import ui/);
    expect(at('src/messaging/broker.ts', 'src/patterns/index.ts', true)).toMatch(/messaging may not import patterns/);
    expect(at('src/ui/app.ts', 'src/patterns/index.ts')).toMatch(/ui may not import patterns/);
    expect(at('src/ui/app.ts', 'src/patterns/index.ts', true)).toBeUndefined();
    expect(at('src/ui/app.ts', 'src/sim/world.ts')).toMatch(/ui may not import sim/);
    expect(at('src/ui/app.ts', 'src/sim/faults.ts')).toBeUndefined();
    expect(at('src/sim/world.ts', 'lodash')).toMatch(/package 'lodash'/);
  });

  it('the simulation core reads no real time, timers or randomness', () => {
    const real = /Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|(?<![.\w])setTimeout\(|setInterval\(|setImmediate\(/;
    const hits = files
      .filter((f) => ['sim', 'messaging', 'patterns'].includes(layerOf(f)!))
      .flatMap((f) =>
        readFileSync(join(root, f), 'utf8')
          .split('\n')
          .map((text, i) => ({ text, where: `${f}:${i + 1}` }))
          .filter(({ text }) => real.test(text) && !/^\s*(\/\/|\*)/.test(text))
          .map(({ where, text }) => `${where}: ${text.trim()}`),
      );
    expect(hits).toEqual([]);
  });

  it('no import cycle between files', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) if (i.to.includes('/')) graph.set(i.from, [...(graph.get(i.from) ?? []), i.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      path.push(f);
      for (const next of graph.get(f) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
