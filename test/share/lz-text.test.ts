import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { compressForUrl, decompressBounded } from '../../src/share/index.js';

describe('decompressBounded', () => {
  it('gives back what was compressed, including the empty string', () => {
    expect(decompressBounded('MYewdgzgLgBAHjAvDAjAbiA', 100)).toEqual({ kind: 'ok', text: 'const x = 1;' });
    expect(decompressBounded('Q', 0)).toEqual({ kind: 'ok', text: '' });
    expect(compressForUrl('const x = 1;')).toBe('MYewdgzgLgBAHjAvDAjAbiA');
  });

  it('reads a space as "+" like lz-string does (a form decoder may have turned + into space)', () => {
    const c = compressForUrl('x'.repeat(5000) + 'y'.repeat(300));
    expect(c).toContain('+');
    expect(decompressBounded(c.replace(/\+/g, ' '), 10_000)).toMatchObject({ kind: 'ok' });
  });

  it('refuses a stream that would expand past the limit without building it', () => {
    // 1.1 KB that expand to 300,000 characters: output grows with the square of the
    // stream length, so a 100 KB link of this kind would describe hundreds of megabytes.
    const bomb = compressForUrl('a'.repeat(300_000));
    expect(bomb.length).toBeLessThan(1200);
    const t0 = performance.now();
    expect(decompressBounded(bomb, 65_536)).toEqual({ kind: 'too-long' });
    expect(decompressBounded(bomb, 299_999)).toEqual({ kind: 'too-long' });
    expect(decompressBounded(bomb, 300_000)).toMatchObject({ kind: 'ok' });
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it.each([
    ['empty input', '', 'broken'],
    ['a character outside the alphabet', 'MYew/dgz', 'bad-characters'],
    ['a non-BMP character', 'MYew😀', 'bad-characters'],
    ['a stream cut short', 'MYewdgzgLgBA', 'broken'],
    ['slashes (base64, not the URL alphabet)', '////', 'bad-characters'],
    ['a code past the dictionary (lz-string gives null)', 'MYAHAA', 'broken'],
  ])('reports %s', (_name, input, kind) => {
    expect(decompressBounded(input, 1000).kind).toBe(kind);
  });

  it('agrees with lz-string on every damaged or cut stream it accepts', () => {
    const text = fc.string({ unit: 'binary', maxLength: 200 });
    fc.assert(
      fc.property(text, fc.nat(), fc.nat({ max: 63 }), (t, where, replacement) => {
        const c = compressForUrl(t);
        expect(decompressBounded(c, 1000)).toEqual({ kind: 'ok', text: t });
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
        const at = where % c.length;
        for (const damaged of [c.slice(0, at), c.slice(0, at) + alphabet[replacement] + c.slice(at + 1)]) {
          const r = decompressBounded(damaged, 100_000);
          if (r.kind === 'ok') expect(r.text).toBe(LZString.decompressFromEncodedURIComponent(damaged));
        }
      }),
      { numRuns: 300 },
    );
  });
});
