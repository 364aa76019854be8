import { base64url, compactVerify, errors, SignJWT } from 'jose';
import type { TokenSigner } from '../patterns/index.js';

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A part of a token read as a JSON object; undefined when it is not one. */
function readPart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(fromUtf8.decode(base64url.decode(part)));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const unreadable = { ok: false, reason: 'malformed', message: 'the token could not be read' } as const;

/**
 * Service tokens in real mode, signed and checked by jose on Node's
 * WebCrypto. The token form is the simulation's (header `{"alg":"HS256","typ":"JWT"}`,
 * the payload as given), so a token signed in either mode verifies in the
 * other. Only the signature is checked here: expiry and the other claims are
 * checked by `ServiceTokens` on the run's clock, as in the simulation, and
 * failures carry the simulation's reasons and messages.
 *
 * @example
 * const tokens = new ServiceTokens({ secret, scheduler: clock, signer: joseSigner });
 */
export const joseSigner: TokenSigner = {
  sign(payload, key) {
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  },
  async verify(token, key) {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'malformed', message: 'the token is not a JWT (three dot-separated parts)' };
    // Read before checking, as the simulation does: an unreadable token is malformed, not badly signed.
    if (!readPart(parts[0]!)) return unreadable;
    const payload = readPart(parts[1]!);
    if (!payload) return unreadable;
    try {
      await compactVerify(token, key, { algorithms: ['HS256'] });
    } catch (e) {
      if (e instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'bad-signature', message: `the token's algorithm is not HS256` };
      if (e instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'bad-signature', message: 'the token signature is not valid' };
      return unreadable;
    }
    return { ok: true, payload };
  },
};
