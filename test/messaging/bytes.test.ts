import { describe, expect, it } from 'vitest';
import { Buffer, Bytes, contentBytes, decodeUtf8, encodeUtf8 } from '../../src/messaging/bytes.js';

describe('bytes', () => {
  it('small contents cut from shared slabs never overlap, also across slab boundaries', () => {
    // Enough allocations of awkward sizes to fill several 64 KiB slabs, with every way of making bytes.
    const made: Array<{ bytes: Uint8Array; text: string }> = [];
    for (let i = 0; i < 3000; i++) {
      const text = `${i}:${'é€x'.repeat(i % 97)}`;
      const way = i % 5;
      const bytes =
        way === 0
          ? Buffer.from(text)
          : way === 1
            ? encodeUtf8(text)
            : way === 2
              ? contentBytes(text, 'test')
              : way === 3
                ? Bytes.copyOf(encodeUtf8(text))
                : contentBytes(Buffer.from(text), 'test');
      made.push({ bytes, text });
    }
    for (const { bytes, text } of made) expect(decodeUtf8(bytes)).toBe(text);
  });

  it('a copy does not change when the original is overwritten, and fresh bytes are zero', () => {
    const original = Buffer.from('hello');
    const copy = contentBytes(original, 'test');
    original.fill(0x21);
    expect(decodeUtf8(copy)).toBe('hello');
    expect([...Buffer.alloc(16)]).toEqual(new Array(16).fill(0));
    const big = Buffer.alloc(10_000);
    expect(big.length).toBe(10_000);
    expect(big.every((b) => b === 0)).toBe(true);
  });

  it('large contents get their own memory and round-trip', () => {
    const text = 'ü'.repeat(5000);
    const b = Buffer.from(text);
    expect(b.byteLength).toBe(10_000);
    expect(b.toString()).toBe(text);
    expect(Buffer.concat([b, Buffer.from('!')]).toString()).toBe(`${text}!`);
  });
});
