import { describe, expect, it } from 'vitest';
import { SLICE_CHARS, slicesOf } from '../../src/ui/editor/paste-in-slices.js';

describe('slicesOf', () => {
  it('cuts long text at line ends into slices of about the given size that join back into the text', () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const slices = slicesOf(text, 100);
    expect(slices.join('')).toBe(text);
    expect(slices.length).toBeGreaterThan(30);
    for (const slice of slices.slice(0, -1)) {
      expect(slice.endsWith('\n')).toBe(true);
      expect(slice.length).toBeGreaterThanOrEqual(100);
      expect(slice.length).toBeLessThan(100 + 'line 499\n'.length);
    }
  });

  it('keeps a line longer than a slice whole, and text shorter than a slice in one piece', () => {
    const long = 'x'.repeat(250);
    expect(slicesOf(`a\n${long}\nb`, 100)).toEqual([`a\n${long}\n`, 'b']);
    expect(slicesOf('short\ntext\n', 100)).toEqual(['short\ntext\n']);
    expect(slicesOf('', 100)).toEqual([]);
  });

  it('cuts a 20,000-line program into slices of about 100,000 characters', () => {
    const program = Array.from({ length: 20_000 }, (_, i) => `export function step${i}(x: number): number { return x + ${i % 7}; }`).join('\n');
    const slices = slicesOf(program);
    expect(slices.join('')).toBe(program);
    expect(slices.length).toBe(Math.ceil(program.length / SLICE_CHARS));
  });
});
