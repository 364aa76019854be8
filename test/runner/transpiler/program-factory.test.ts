import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPositionMapper } from '../../../src/runner/source-map.js';
import { programEntryName, toProgramFactory } from '../../../src/runner/transpiler/program-factory.js';
import { transpile } from '../../../src/runner/transpiler/transpile.js';

const dir = join(tmpdir(), `spp-program-factory-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Stands in for the runtime: what `'playground'` imports point at.
const PLAYGROUND = join(dir, 'playground.mjs');
writeFileSync(PLAYGROUND, `export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\nexport const twice = (n) => n * 2;\n`);

let files = 0;
/** Transpiles `ts` as a program, imports it once, and returns its per-run function. */
async function programOf(ts: string): Promise<{ code: string; mappings: string; run: () => Promise<{ default?: unknown }> }> {
  const out = transpile(ts, { playgroundUrl: PLAYGROUND, program: true });
  if (!out.ok) throw new Error(out.error.message);
  const file = join(dir, `program-${++files}.mjs`);
  writeFileSync(file, out.code);
  const module = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { default: () => Promise<{ default?: unknown }> };
  return { ...out, run: module.default };
}

describe('toProgramFactory', () => {
  it('runs the top-level code anew on every call: each run gets fresh top-level state', async () => {
    const p = await programOf(`import { twice } from 'playground';
const seen: number[] = [];
let count = 0;
count++;
seen.push(twice(count));
export default function main() { return { count, seen }; }`);
    const first = await p.run();
    const second = await p.run();
    expect((first.default as () => unknown)()).toEqual({ count: 1, seen: [2] });
    expect((second.default as () => unknown)()).toEqual({ count: 1, seen: [2] });
    expect(first.default).not.toBe(second.default);
  });

  it('finishes only when the top-level awaits have, as importing a module does', async () => {
    const p = await programOf(`import { sleep } from 'playground';
const steps: string[] = [];
await sleep(1);
steps.push('after the await');
export default async function main() { return steps; }`);
    const module = await p.run();
    expect(await (module.default as () => Promise<string[]>)()).toEqual(['after the await']);
  });

  it.each([
    ['export default async function main() { return 1; }', 'main', 1],
    ['export default function () { return 2; }', null, 2],
    ['export default () => 3;', null, 3],
    ['const run = () => 4;\nexport { run as default };', null, 4],
    ['export const x = 5;\nexport function helper() { return x; }\nexport default function main() { return helper(); }', 'main', 5],
  ])('gives the default export of %j', async (ts, entry, result) => {
    const p = await programOf(ts);
    expect(programEntryName(p.code)).toBe(entry);
    expect(await ((await p.run()).default as () => unknown)()).toBe(result);
  });

  it('gives no default when the module exports none', async () => {
    const p = await programOf(`let n = 0;\nn++;`);
    expect((await p.run()).default).toBeUndefined();
    expect(programEntryName(p.code)).toBeNull();
    expect(programEntryName('export default function main() {}')).toBeUndefined();
  });

  it('keeps every line and column of the program one line down, so positions map back to the TypeScript', async () => {
    const ts = `import { twice } from 'playground';
type N = number;
const limit: N = twice(2);
export default function main(): N {
  if (limit > 1) throw new Error('over the limit');
  return limit;
}`;
    const p = await programOf(ts);
    const main = (await p.run()).default as () => unknown;
    let stack = '';
    try {
      main();
    } catch (e) {
      stack = (e as Error).stack ?? '';
    }
    const at = /program-\d+\.mjs:(\d+):(\d+)/.exec(stack);
    expect(at).not.toBeNull();
    const position = createPositionMapper(p.mappings)({ line: Number(at![1]), column: Number(at![2]) });
    expect(position).toEqual({ line: 5, column: ts.split('\n')[4]!.indexOf('new Error') + 1 });
  });

  it('moves imports after the function, where their bindings are the same', () => {
    const out = toProgramFactory(`import { a } from "x";\nconst b = a;\nexport { b };\n`, 'AAAA');
    const lines = out.code.split('\n');
    expect(lines[1]!.trim()).toBe('');
    expect(lines[2]).toBe('const b = a;');
    expect(lines[3]!.trim()).toBe('');
    expect(out.code.trimEnd().endsWith('import { a } from "x";')).toBe(true);
    expect(out.mappings).toBe(';AAAA');
  });
});
