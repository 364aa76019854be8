/**
 * A 64-bit checksum of a string as 16 lowercase hex digits: two independent
 * 32-bit multiplicative hashes over the UTF-16 code units, each finished with
 * an avalanche step. It detects accidental damage (a link cut off, a
 * character changed); it is not a cryptographic signature.
 *
 * @example
 * checksum('hello').length; // 16
 */
export function checksum(text: string): string {
  let a = 0x811c9dc5 ^ text.length;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return hex8(finish(a)) + hex8(finish(b ^ text.length));
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
