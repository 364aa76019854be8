/** A deep copy through JSON, as a real network would give; `undefined` stays `undefined`. */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const t = typeof value;
  if (t === 'string' || t === 'boolean') return value;
  if (t === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Error) return { name: value.name, message: value.message };
  // Small plain objects of primitives (most bodies) are copied directly: the same result as a
  // JSON round trip, without building and parsing a string on every request.
  const flat = flatPlainCopy(value);
  if (flat !== undefined) return flat;
  try {
    const s = JSON.stringify(value);
    return s === undefined ? undefined : JSON.parse(s);
  } catch {
    return String(value);
  }
}

/** Copies a plain object whose values are all strings, booleans, finite numbers or null; else undefined. */
function flatPlainCopy(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (key === 'toJSON') return undefined;
    const v = (value as Record<string, unknown>)[key];
    const t = typeof v;
    if (t === 'string' || t === 'boolean' || v === null) out[key] = v;
    else if (t === 'number') out[key] = Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
    else if (t === 'undefined' || t === 'function' || t === 'symbol') continue;
    else return undefined;
  }
  return out;
}
