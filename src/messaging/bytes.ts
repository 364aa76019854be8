/**
 * Message content is bytes, as in amqplib. This file gives a tiny stand-in for
 * Node's `Buffer` that works the same in the browser, so code written for
 * amqplib (`Buffer.from(JSON.stringify(x))`, `msg.content.toString()`) runs
 * unchanged. A real Node `Buffer` is accepted as input too (it is a
 * `Uint8Array`).
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

// Small contents are cut from shared 64 KiB slabs, as Node's Buffer pool does: a typed array with
// its own memory costs about 0.5 µs to make (a backing store outside the heap, freed by the GC),
// a view on a slab about 25 ns. Slab space is never reused, so a fresh view reads as zeros; a slab
// is freed once no view on it is left. The price is Node's: `bytes.buffer` may be larger than the
// bytes (use `byteOffset` and `byteLength`).
const SLAB_SIZE = 64 * 1024;
const MAX_POOLED = 4 * 1024;
let slab = new ArrayBuffer(SLAB_SIZE);
let slabBytes = new Uint8Array(slab);
let slabUsed = 0;

/** Reserves `n` bytes of the current slab (a fresh slab when they do not fit) and returns their offset. */
function reserve(n: number): number {
  if (slabUsed + n > SLAB_SIZE) newSlab();
  const at = slabUsed;
  slabUsed = (at + n + 7) & ~7;
  return at;
}

function newSlab(): void {
  slab = new ArrayBuffer(SLAB_SIZE);
  slabBytes = new Uint8Array(slab);
  slabUsed = 0;
}

type ByteArrayClass<T> = new (buffer: ArrayBuffer, byteOffset: number, length: number) => T;

/** `n` zero bytes as a `kind` (Uint8Array or Bytes), on a slab when small. */
function allocate<T extends Uint8Array>(kind: ByteArrayClass<T> & (new (length: number) => T), n: number): T {
  // Only whole, in-range sizes touch the slab; anything else is the typed array's own business (and error).
  if (!(Number.isInteger(n) && n >= 0 && n <= MAX_POOLED)) return new kind(n);
  const at = reserve(n); // first: it may start a new slab
  return new kind(slab, at, n);
}

/** A copy of `bytes` as a `kind`, on a slab when small. */
function copyAs<T extends Uint8Array>(kind: ByteArrayClass<T> & (new (length: number) => T), bytes: Uint8Array): T {
  const out = allocate(kind, bytes.length);
  out.set(bytes);
  return out;
}

/** The UTF-8 bytes of `text` as a `kind`, encoded straight into a slab when small. */
function encodeAs<T extends Uint8Array>(kind: ByteArrayClass<T> & (new (length: number) => T), text: string): T {
  const most = text.length * 3;
  if (most > MAX_POOLED) return copyAs(kind, encoder.encode(text));
  if (slabUsed + most > SLAB_SIZE) newSlab();
  const at = slabUsed;
  const { written } = encoder.encodeInto(text, slabBytes.subarray(at, at + most));
  const out = new kind(slab, at, written);
  slabUsed = (at + written + 7) & ~7;
  return out;
}

/** Encodings that {@link Bytes.toString} and {@link Buffer.from} understand. */
export type BytesEncoding = 'utf8' | 'utf-8' | 'hex' | 'base64' | 'base64url' | 'latin1' | 'binary' | 'ascii';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of `bytes` (`url`: the URL-safe alphabet without padding). */
export function toBase64(bytes: Uint8Array, url: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[n >>> 18]! + B64[(n >>> 12) & 63]! + B64[(n >>> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[n >>> 18]! + B64[(n >>> 12) & 63]! + (url ? '' : '==');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[n >>> 18]! + B64[(n >>> 12) & 63]! + B64[(n >>> 6) & 63]! + (url ? '' : '=');
  }
  return url ? out.replace(/\+/g, '-').replace(/\//g, '_') : out;
}

/** Decodes base64 or base64url, skipping characters outside both alphabets (as Node's Buffer does). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/[^A-Za-z0-9+/\-_]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of clean) {
    acc = (acc << 6) | B64.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

function normaliseEncoding(encoding: string | undefined, where: string): BytesEncoding {
  const e = (encoding ?? 'utf8').toLowerCase();
  if (['utf8', 'utf-8', 'hex', 'base64', 'base64url', 'latin1', 'binary', 'ascii'].includes(e)) return e as BytesEncoding;
  throw new TypeError(`${where}: unknown encoding ${JSON.stringify(encoding)} (use utf8, hex, base64, base64url or latin1)`);
}

/**
 * Bytes with a Node-`Buffer`-like face: `toString()` decodes UTF-8 (or the
 * given encoding), `toJSON()` gives `{ type: 'Buffer', data }`, `equals`
 * compares contents. Message contents delivered by the broker are `Bytes`.
 *
 * @example
 * const b = Buffer.from(JSON.stringify({ orderId: 7 }));
 * JSON.parse(b.toString()).orderId; // 7
 */
export class Bytes extends Uint8Array {
  /** Decodes the bytes; UTF-8 by default, like `Buffer#toString`. */
  override toString(encoding?: BytesEncoding, start = 0, end = this.length): string {
    const enc = normaliseEncoding(encoding, 'Bytes.toString');
    const view = start === 0 && end >= this.length ? this : this.subarray(start, end);
    switch (enc) {
      case 'utf8':
      case 'utf-8':
        return decoder.decode(view);
      case 'hex': {
        let s = '';
        for (const b of view) s += b.toString(16).padStart(2, '0');
        return s;
      }
      case 'base64':
        return toBase64(view, false);
      case 'base64url':
        return toBase64(view, true);
      case 'ascii':
        return String.fromCharCode(...Array.from(view, (b) => b & 0x7f));
      case 'latin1':
      case 'binary':
        return String.fromCharCode(...view);
    }
  }

  /** `{ type: 'Buffer', data: [...] }`, as `JSON.stringify(buffer)` gives in Node. */
  toJSON(): { type: 'Buffer'; data: number[] } {
    return { type: 'Buffer', data: Array.from(this) };
  }

  /** True when `other` holds the same bytes. */
  equals(other: Uint8Array): boolean {
    if (other.length !== this.length) return false;
    for (let i = 0; i < this.length; i++) if (this[i] !== other[i]) return false;
    return true;
  }

  /** A copy of a part, as `Bytes` (Node's `slice` shares memory; this copies, which is safe either way for reading). */
  override slice(start?: number, end?: number): Bytes {
    return Bytes.copyOf(super.subarray(start, end));
  }

  /** A `Bytes` copy of `bytes`. */
  static copyOf(bytes: Uint8Array): Bytes {
    return copyAs(Bytes, bytes);
  }
}

/** What {@link Buffer.from} accepts. */
export type BytesSource = string | Uint8Array | ArrayBuffer | readonly number[] | { type: 'Buffer'; data: readonly number[] };

/**
 * A small `Buffer` stand-in: `Buffer.from(string | bytes | array)`,
 * `Buffer.alloc`, `Buffer.concat`, `Buffer.isBuffer`, `Buffer.byteLength`.
 * It makes {@link Bytes}.
 *
 * @example
 * channel.sendToQueue('orders', Buffer.from(JSON.stringify(order)), { persistent: true });
 */
export const Buffer = {
  /** Bytes of a string (UTF-8 unless `encoding` says otherwise), or a copy of bytes or an array of numbers. */
  from(source: BytesSource, encoding?: BytesEncoding): Bytes {
    if (typeof source === 'string') {
      const enc = normaliseEncoding(encoding, 'Buffer.from');
      if (enc === 'utf8' || enc === 'utf-8') return encodeAs(Bytes, source);
      if (enc === 'hex') {
        const n = Math.floor(source.length / 2);
        const b = new Bytes(n);
        for (let i = 0; i < n; i++) b[i] = parseInt(source.slice(2 * i, 2 * i + 2), 16) || 0;
        return b;
      }
      if (enc === 'base64' || enc === 'base64url') return Bytes.copyOf(fromBase64(source));
      return Bytes.from(Array.from(source, (c) => c.charCodeAt(0) & 0xff)) as Bytes;
    }
    if (source instanceof Uint8Array) return Bytes.copyOf(source);
    if (source instanceof ArrayBuffer) return Bytes.copyOf(new Uint8Array(source));
    if (Array.isArray(source)) return Bytes.copyOf(Uint8Array.from(source as number[]));
    if (source && typeof source === 'object' && (source as { type?: unknown }).type === 'Buffer' && Array.isArray((source as { data?: unknown }).data))
      return Bytes.copyOf(Uint8Array.from((source as unknown as { data: number[] }).data));
    throw new TypeError(`Buffer.from: expected a string, bytes or an array of numbers (got ${describeValue(source)})`);
  },
  /** `size` zero bytes. */
  alloc(size: number): Bytes {
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
      throw new RangeError(`Buffer.alloc: the size must be a whole number of bytes, 0 or more (got ${describeValue(size)})`);
    return allocate(Bytes, size);
  },
  /** One `Bytes` holding all of `list` in order. */
  concat(list: readonly Uint8Array[]): Bytes {
    const total = list.reduce((n, b) => n + b.length, 0);
    const out = allocate(Bytes, total);
    let at = 0;
    for (const b of list) {
      out.set(b, at);
      at += b.length;
    }
    return out;
  },
  /** True for `Bytes` and any other `Uint8Array` (a Node `Buffer` included). */
  isBuffer(value: unknown): value is Uint8Array {
    return value instanceof Uint8Array;
  },
  /** Length in bytes of a string's UTF-8 encoding, or of bytes. */
  byteLength(value: string | Uint8Array): number {
    return typeof value === 'string' ? encoder.encode(value).length : value.length;
  },
};

/** A short human description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `a ${name}` : 'a plain object';
  }
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * Checks message content and returns its bytes (a fresh copy). Accepts bytes
 * (a `Uint8Array`, so also a Node `Buffer` or {@link Bytes}) or a string
 * (encoded as UTF-8); anything else throws a `TypeError` that says what to do.
 */
export function contentBytes(content: unknown, where: string | (() => string)): Uint8Array {
  // A copy: the publisher may reuse its buffer.
  if (content instanceof Uint8Array) return copyAs(Uint8Array, content);
  if (typeof content === 'string') return encodeAs(Uint8Array, content);
  if (content instanceof ArrayBuffer) return copyAs(Uint8Array, new Uint8Array(content));
  throw new TypeError(
    `${typeof where === 'function' ? where() : where}: content must be bytes (a Buffer or Uint8Array) or a string, but got ${describeValue(content)}. ` +
      'Wrap objects like this: Buffer.from(JSON.stringify(value)).',
  );
}

/**
 * A deep copy of stored data (outbox tables, event store data), as
 * `structuredClone` makes, except that bytes are copied compactly into
 * memory of their own: a structured clone of a small message content would
 * copy its whole 64 KiB slab, and a slab view kept in a store would keep the
 * slab alive. Plain objects and arrays are walked (cycles kept); other
 * objects (Date, Map, …) are structured-cloned; functions throw as they do
 * there.
 *
 * @example
 * stored.set('o-1', cloneData({ content: msg.content, receivedAt: world.now() }));
 */
export function cloneData<T>(value: T): T {
  return cloneInner(value, new Map()) as T;
}

function cloneInner(v: unknown, seen: Map<object, unknown>): unknown {
  if (typeof v === 'function' || typeof v === 'symbol') return structuredClone(v); // throws DataCloneError, as before
  if (v === null || typeof v !== 'object') return v;
  const known = seen.get(v);
  if (known !== undefined) return known;
  let out: unknown;
  if (v instanceof Uint8Array) {
    // Memory of its own, not a slab view: stored data may outlive every message cut from that slab.
    const own = v instanceof Bytes ? new Bytes(v.length) : new Uint8Array(v.length);
    own.set(v);
    out = own;
  }
  else if (Array.isArray(v)) {
    const list: unknown[] = [];
    seen.set(v, list);
    for (let i = 0; i < v.length; i++) list.push(cloneInner(v[i], seen));
    return list;
  } else {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) out = structuredClone(v);
    else {
      const obj: Record<string, unknown> = {};
      seen.set(v, obj);
      for (const k of Object.keys(v)) obj[k] = cloneInner((v as Record<string, unknown>)[k], seen);
      return obj;
    }
  }
  seen.set(v, out);
  return out;
}

/** Decodes bytes as UTF-8 (for trace previews and the event bus). */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Encodes a string as UTF-8 bytes. */
export function encodeUtf8(text: string): Uint8Array {
  return encodeAs(Uint8Array, text);
}
