import LZString from 'lz-string';

// lz-string 1.5 is a CommonJS module whose exports Node cannot detect by name:
// the default import is the one form that works in Node, vitest and Vite.

/** The 65 characters `compressToEncodedURIComponent` writes (`+` may arrive as a space). */
const URI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const URI_VALUE = new Map<string, number>([...URI_ALPHABET].map((ch, i) => [ch, i]));

/** What {@link decompressBounded} found. */
export type LzDecodeResult =
  | { kind: 'ok'; text: string }
  /** A character outside the URI-safe alphabet: not something lz-string wrote. */
  | { kind: 'bad-characters' }
  /** The stream ends early or refers to a dictionary entry that does not exist. */
  | { kind: 'broken' }
  /** The text would be longer than the limit; it was not decompressed. */
  | { kind: 'too-long' };

/**
 * Compresses text for a URL with lz-string's `compressToEncodedURIComponent`
 * (alphabet `A-Z a-z 0-9 + - $`, safe in a URL hash without escaping).
 *
 * @example
 * compressForUrl('const x = 1;'); // 'MYewdgzgLgBAHjAvDAjAbiA'
 */
export function compressForUrl(text: string): string {
  return LZString.compressToEncodedURIComponent(text);
}

/**
 * Decompresses what {@link compressForUrl} wrote, refusing to build a string
 * longer than `maxChars`. LZ streams can expand quadratically (a 100 KB link
 * can describe hundreds of megabytes of one repeated letter), so the output
 * length is first measured by walking the stream with entry lengths only;
 * lz-string decompresses only when the stream is complete and within bounds.
 *
 * @example
 * decompressBounded(compressForUrl('hi'), 10); // { kind: 'ok', text: 'hi' }
 * decompressBounded(compressForUrl('hi'), 1);  // { kind: 'too-long' }
 */
export function decompressBounded(compressed: string, maxChars: number): LzDecodeResult {
  const input = compressed.replace(/ /g, '+');
  if (input === '') return { kind: 'broken' };
  for (const ch of input) if (!URI_VALUE.has(ch)) return { kind: 'bad-characters' };
  const measured = measureDecompressedLength(input, maxChars);
  if (typeof measured !== 'number') return { kind: measured };
  const text = LZString.decompressFromEncodedURIComponent(input);
  // The walk above mirrors lz-string's decoder, so a mismatch means a stream
  // the two read differently: refuse it rather than guess.
  if (typeof text !== 'string' || text.length !== measured) return { kind: 'broken' };
  return { kind: 'ok', text };
}

/**
 * Walks lz-string's LZW stream (6 bits per character) the way its decoder
 * does, tracking only the length of each dictionary entry. Gives the output
 * length when the stream ends with its end marker, every code is valid, and
 * the output has at most `maxChars` characters.
 */
function measureDecompressedLength(input: string, maxChars: number): number | 'broken' | 'too-long' {
  const length = input.length;
  let val = URI_VALUE.get(input[0]!)!;
  let position = 32;
  let index = 1;
  const readBits = (count: number): number => {
    let bits = 0;
    for (let power = 1, i = 0; i < count; i++, power <<= 1) {
      const bit = val & position;
      position >>= 1;
      if (position === 0) {
        position = 32;
        val = index < length ? URI_VALUE.get(input[index]!)! : 0;
        index++;
      }
      if (bit) bits |= power;
    }
    return bits;
  };

  // Entries 0..2 are the three control codes; their lengths are never used.
  const entryLength: number[] = [0, 0, 0];
  let enlargeIn = 4;
  let numBits = 3;

  const first = readBits(2);
  if (first === 2) return 0;
  if (first === 3) return 'broken';
  readBits(first === 0 ? 8 : 16);
  entryLength.push(1);
  let previous = 1;
  let total = 1;
  if (total > maxChars) return 'too-long';
  for (;;) {
    if (index > length) return 'broken';
    let code = readBits(numBits);
    if (code === 2) return total;
    if (code === 0 || code === 1) {
      readBits(code === 0 ? 8 : 16);
      entryLength.push(1);
      code = entryLength.length - 1;
      enlargeIn--;
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let current: number;
    if (code < entryLength.length && code > 2) current = entryLength[code]!;
    else if (code === entryLength.length) current = previous + 1;
    else return 'broken';
    total += current;
    if (total > maxChars) return 'too-long';
    entryLength.push(previous + 1);
    enlargeIn--;
    previous = current;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
