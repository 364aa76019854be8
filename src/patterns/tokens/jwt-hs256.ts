/**
 * HS256 JSON Web Tokens (RFC 7519 / RFC 7515) in plain, synchronous
 * JavaScript. The playground's sandbox is an opaque origin, where WebCrypto
 * (`crypto.subtle`) does not exist, so HMAC-SHA256 comes from @noble/hashes
 * (audited, pure JavaScript, no dependencies); this file adds the token form
 * around it. The tests check that jose accepts these tokens and that these
 * functions accept jose's.
 */

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { fromBase64, toBase64 } from '../../messaging/bytes.js';

/** HMAC-SHA256 of `message` under `key` (RFC 2104). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  return hmac(sha256, key, message);
}

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  return toBase64(bytes, true);
}

/** Decodes base64url (no padding); undefined when it is not base64url. */
export function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return fromBase64(text);
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Signs `payload` as an HS256 JWT. */
export function signHs256(payload: Record<string, unknown>, key: Uint8Array): string {
  const header = base64url(utf8.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const body = base64url(utf8.encode(JSON.stringify(payload)));
  const signature = base64url(hmacSha256(key, utf8.encode(`${header}.${body}`)));
  return `${header}.${body}.${signature}`;
}

/** Why {@link verifyHs256} refused a token. */
export type Hs256Failure = 'malformed' | 'bad-signature';

/**
 * Checks an HS256 JWT's form, algorithm and signature (in constant time) and
 * returns its payload; claims such as `exp` are the caller's to check.
 */
export function verifyHs256(token: string, key: Uint8Array): { ok: true; payload: Record<string, unknown> } | { ok: false; reason: Hs256Failure; message: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed', message: 'the token is not a JWT (three dot-separated parts)' };
  const [h, p, s] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(fromUtf8.decode(fromBase64url(h) ?? new Uint8Array([0xff])));
    payload = JSON.parse(fromUtf8.decode(fromBase64url(p) ?? new Uint8Array([0xff])));
  } catch {
    return { ok: false, reason: 'malformed', message: 'the token could not be read' };
  }
  if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { ok: false, reason: 'malformed', message: 'the token could not be read' };
  if ((header as { alg?: unknown }).alg !== 'HS256') return { ok: false, reason: 'bad-signature', message: `the token's algorithm is not HS256` };
  const given = fromBase64url(s);
  const expected = hmacSha256(key, utf8.encode(`${h}.${p}`));
  let diff = given && given.length === expected.length ? 0 : 1;
  for (let i = 0; i < expected.length; i++) diff |= (given?.[i] ?? 0) ^ expected[i]!;
  if (diff !== 0) return { ok: false, reason: 'bad-signature', message: 'the token signature is not valid' };
  return { ok: true, payload: payload as Record<string, unknown> };
}
