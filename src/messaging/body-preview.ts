import { decodeUtf8 } from './bytes.js';

/**
 * Shortens content for the trace: UTF-8, at most 200 characters, and three ASCII dots when cut.
 * (Not `…`: one character above U+00FF makes the whole trace's JSON two bytes per character,
 * which doubles what every explore run sends to the page.)
 */
export function bodyPreview(content: Uint8Array): string {
  const s = decodeUtf8(content.length > 800 ? content.subarray(0, 800) : content);
  return s.length > 200 ? `${s.slice(0, 200)}...` : s;
}

/**
 * {@link bodyPreview} of content published as text, without decoding its bytes again. Gives the
 * same preview: text that a UTF-8 round trip would change (a leading byte-order mark, surrogates)
 * takes the bytes path.
 */
export function textPreview(text: string, bytes: Uint8Array): string {
  const head = text.length > 201 ? text.slice(0, 201) : text;
  if (head.charCodeAt(0) === 0xfeff || SURROGATE.test(head)) return bodyPreview(bytes);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

const SURROGATE = /[\uD800-\uDFFF]/;
