import { describe, expect, it } from 'vitest';
import { jwtVerify, SignJWT } from 'jose';
import { base64url, fromBase64url, hmacSha256, signHs256, verifyHs256 } from '../../../src/patterns/tokens/jwt-hs256.js';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
const bytes = (s: string) => new TextEncoder().encode(s);
const key = bytes('a-shared-secret-of-32-bytes-or-more!');

describe('HS256 in plain JavaScript', () => {
  it('HMAC-SHA256 matches RFC 4231', () => {
    expect(hex(hmacSha256(new Uint8Array(20).fill(0x0b), bytes('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hex(hmacSha256(bytes('Jefe'), bytes('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    // Test case 6: a key longer than the block size is hashed first.
    expect(hex(hmacSha256(new Uint8Array(131).fill(0xaa), bytes('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
    // Test case 7: a long key and a message longer than a block.
    const long = 'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.';
    expect(hex(hmacSha256(new Uint8Array(131).fill(0xaa), bytes(long)))).toBe('9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2');
  });

  it('base64url round-trips every length and rejects other alphabets', () => {
    for (let n = 0; n < 20; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64url(base64url(b))).toEqual(b);
    }
    expect(fromBase64url('ab+/')).toBeUndefined();
  });

  it('jose accepts our tokens, and we accept jose tokens', async () => {
    const now = Math.floor(Date.UTC(2024, 0, 1) / 1000);
    const ours = signHs256({ service: 'orders', role: 'service', iat: now, exp: now + 60 }, key);
    const verified = await jwtVerify(ours, key, { algorithms: ['HS256'], currentDate: new Date(now * 1000) });
    expect(verified.payload).toMatchObject({ service: 'orders', role: 'service', exp: now + 60 });
    const theirs = await new SignJWT({ service: 'billing', role: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now).setExpirationTime(now + 5).sign(key);
    expect(verifyHs256(theirs, key)).toMatchObject({ ok: true, payload: { service: 'billing', role: 'admin', exp: now + 5 } });
  });

  it('refuses a tampered payload, a wrong key, another algorithm and garbage', async () => {
    const token = signHs256({ service: 'orders', role: 'service', iat: 1, exp: 2 }, key);
    const [h, , s] = token.split('.');
    const forged = `${h}.${base64url(bytes(JSON.stringify({ service: 'orders', role: 'admin', iat: 1, exp: 2 })))}.${s}`;
    expect(verifyHs256(forged, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyHs256(token, bytes('another-secret-of-at-least-32-bytes!!'))).toMatchObject({ ok: false, reason: 'bad-signature' });
    const none = `${base64url(bytes('{"alg":"none"}'))}.${token.split('.')[1]}.`;
    expect(verifyHs256(none, key)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyHs256('not.a.jwt!', key)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyHs256('onlyonepart', key)).toMatchObject({ ok: false, reason: 'malformed' });
  });
});
