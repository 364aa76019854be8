import { describe, expect, it } from 'vitest';
import { findAwaitSites } from '../../../src/runner/worker/await-sites.js';

const sites = (code: string) => findAwaitSites(code).map((s) => [code.slice(s.offset, s.offset + 5), s.fn, s.callee]);

describe('findAwaitSites', () => {
  it('names the function each await is in, and the top level', () => {
    const code = [
      'async function main() { await first(); if (ok) { await second(); } }',
      'const helper = async (x) => { for (const y of x) { await third(y); } };',
      'const obj = { load: async function () { await fourth(); } };',
      'class Repo { async save(order) { await fifth(order); } }',
      'export default async () => { await sixth(); };',
      'await main();',
      'await Promise.all([]);',
    ].join('\n');
    expect(sites(code)).toEqual([
      ['await', 'main', 'first'],
      ['await', 'main', 'second'],
      ['await', 'helper', 'third'],
      ['await', 'load', 'fourth'],
      ['await', 'save', 'fifth'],
      ['await', '', 'sixth'],
      ['await', undefined, 'main'],
      ['await', undefined, undefined],
    ]);
  });

  it('ignores awaits in strings, comments, templates and property names', () => {
    const code = "const s = 'await a()'; // await b()\n/* await c() */ const t = `await ${x.await}`; x.await(1);\nasync function f() { return `${await g()}`; }";
    expect(sites(code)).toEqual([['await', 'f', 'g']]);
  });
});
