import { describe, expect, it } from 'vitest';
import { findModuleSpecifiers } from '../../../src/runner/transpiler/module-specifiers.js';
import { createPositionMapper } from '../../../src/runner/source-map.js';
import { transpile } from '../../../src/runner/transpiler/transpile.js';

const TS = `import { service, type Service, http } from 'playground';
import type { HttpError } from 'playground';

interface Order {
  id: number;
  total: number;
}
enum Stage { New, Paid }

const orders: Service = service('orders');
function total(items: Array<{ price: number }>): number {
  return items.reduce((sum: number, i) => sum + i.price, 0 as number);
}
export default async function main(): Promise<Order> {
  const e = null as HttpError | null;
  return { id: Stage.Paid, total: total([{ price: 2 }]) + (http ? 0 : 1) };
}
`;

describe('transpile', () => {
  it('strips types but keeps every statement on its TypeScript line', () => {
    const out = transpile(TS);
    if (!out.ok) throw new Error(out.error.message);
    const js = out.code.split('\n');
    expect(js.length).toBe(TS.split('\n').length);
    expect(js[9]).toMatch(/^const orders = service\('orders'\);/);
    expect(js[11]).toMatch(/return items\.reduce\(\(sum, i\) => sum \+ i\.price, 0 \);/);
    expect(js[13]).toMatch(/^export default async function main\(\) \{/);
    expect(js[15]).toMatch(/return \{ id: Stage\.Paid/);
    expect(out.code).not.toMatch(/interface|: number|HttpError/);
  });

  it('keeps ES imports and points playground imports at the given URL', () => {
    const out = transpile(TS, { playgroundUrl: 'blob:null/1234' });
    if (!out.ok) throw new Error(out.error.message);
    expect(out.code.split('\n')[0]).toBe(`import { service, http } from "blob:null/1234";`);
    expect(out.code).not.toContain("'playground'");
  });

  it('maps columns of the JavaScript back to the TypeScript', () => {
    const out = transpile(TS);
    if (!out.ok) throw new Error(out.error.message);
    const toSource = createPositionMapper(out.mappings);
    const jsLine = out.code.split('\n')[15]!;
    const col = jsLine.indexOf('total(') + 1;
    const tsLine = TS.split('\n')[15]!;
    expect(toSource({ line: 16, column: col })).toEqual({ line: 16, column: tsLine.indexOf('total(') + 1 });
    const jsReturn = out.code.split('\n')[11]!.indexOf('0 )') + 1;
    expect(toSource({ line: 12, column: jsReturn })).toEqual({ line: 12, column: TS.split('\n')[11]!.indexOf('0 as') + 1 });
  });

  it('reports a syntax error at its line and column', () => {
    const out = transpile('const a = 1;\nconst b: number = ;\n');
    expect(out).toEqual({ ok: false, error: { kind: 'syntax', message: 'SyntaxError: Unexpected token', line: 2, column: 19 } });
    const unterminated = transpile('log(`abc');
    expect(unterminated.ok).toBe(false);
    if (!unterminated.ok) expect(unterminated.error).toMatchObject({ message: 'SyntaxError: Unterminated template', line: 1 });
  });

  it('refuses any import other than playground, at its position', () => {
    const out = transpile("import { log } from 'playground';\n\nimport axios from 'axios';\nlog.info(String(axios));\n");
    expect(out).toMatchObject({ ok: false, error: { kind: 'import', line: 3, column: 19 } });
    if (!out.ok) expect(out.error.message).toMatch(/^Cannot import 'axios': .*only import from 'playground'\. Remove this import/);
  });
});

describe('findModuleSpecifiers', () => {
  it('finds static, side-effect, re-export and dynamic imports', () => {
    const code = `import a from 'x1';\nimport "x2";\nexport * from 'x3';\nexport { b } from "x4";\nconst m = await import('x5');\nimport {\n  c,\n} from 'x6';`;
    expect(findModuleSpecifiers(code).map((s) => s.value)).toEqual(['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
  });

  it('ignores look-alikes in strings, templates, comments, regexes and properties', () => {
    const code = [
      `const s = "import x from 'no1'";`,
      "const t = `from 'no2' ${ `nested from 'no3'` } import('no4')`;",
      `// import 'no5'`,
      `/* from 'no6' */`,
      `const r = /from 'no7'/g.test(s);`,
      `const o = { from: 'no8', import: 'no9' };`,
      `o.import('no10'); x.from 'no11';`,
      `const q = 4 / 2; const z = 'ok' /* after division */;`,
      `import real from 'yes';`,
    ].join('\n');
    expect(findModuleSpecifiers(code).map((s) => s.value)).toEqual(['yes']);
  });
});
