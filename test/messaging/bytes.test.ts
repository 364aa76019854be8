import { describe, expect, it } from 'vitest';
import { bodyPreview, textPreview } from '../../src/messaging/body-preview.js';
import { Buffer, Bytes, cloneData, contentBytes, decodeUtf8, encodeUtf8 } from '../../src/messaging/bytes.js';

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

  it('Buffer.alloc refuses a size that is not a whole number of bytes, and leaves the slab alone', () => {
    const before = Buffer.from('order o-3 paid');
    for (const bad of [NaN, -16, 2.5, undefined, '8']) expect(() => Buffer.alloc(bad as number), String(bad)).toThrow(RangeError);
    const after = Buffer.from('CLOBBERED!!!!!');
    expect(before.toString()).toBe('order o-3 paid');
    expect(after.toString()).toBe('CLOBBERED!!!!!');
    expect([...Buffer.alloc(8)]).toEqual(new Array(8).fill(0));
  });

  it('cloneData copies bytes compactly (not their slab) and keeps everything else as a structured clone would', () => {
    const content = Buffer.from('{"orderId":"o-1"}');
    const plain = contentBytes('abc', 'test');
    const when = new Date(0);
    const value: Record<string, unknown> = { content, plain, when, list: [1, 'two', { three: 3 }], nothing: undefined, map: new Map([['k', 1]]) };
    value['self'] = value;
    const copy = cloneData(value);
    expect(copy['content']).toBeInstanceOf(Bytes);
    expect((copy['content'] as Bytes).toString()).toBe('{"orderId":"o-1"}');
    expect((copy['content'] as Bytes).buffer.byteLength).toBeLessThan(1024);
    expect((copy['plain'] as Uint8Array).buffer.byteLength).toBeLessThan(1024);
    content.fill(0);
    expect((copy['content'] as Bytes).toString()).toBe('{"orderId":"o-1"}');
    expect(copy['when']).toEqual(when);
    expect(copy['when']).not.toBe(when);
    expect(copy['list']).toEqual([1, 'two', { three: 3 }]);
    expect('nothing' in copy).toBe(true);
    expect(copy['map']).toEqual(new Map([['k', 1]]));
    expect(copy['self']).toBe(copy);
    expect(() => cloneData({ f: () => 1 })).toThrow();
  });

  it('the preview of text is the preview of its bytes', () => {
    const texts = ['', 'plain', 'é€x'.repeat(100), 'a'.repeat(200), 'a'.repeat(201), '\uFEFFwith a byte-order mark', 'lone \uD800 surrogate', 'astral 😀'.repeat(40), 'x'.repeat(199) + '😀'];
    for (const t of texts) expect(textPreview(t, encodeUtf8(t)), JSON.stringify(t.slice(0, 20))).toBe(bodyPreview(encodeUtf8(t)));
  });

  it('large contents get their own memory and round-trip', () => {
    const text = 'ü'.repeat(5000);
    const b = Buffer.from(text);
    expect(b.byteLength).toBe(10_000);
    expect(b.toString()).toBe(text);
    expect(Buffer.concat([b, Buffer.from('!')]).toString()).toBe(`${text}!`);
  });
});
