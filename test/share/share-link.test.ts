import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_CODE_CHARS,
  MAX_LINK_CHARS,
  decodeShareLink,
  encodeShareLink,
  type ShareDecodeErrorKind,
  type ShareDecodeResult,
  type ShareState,
} from '../../src/share/index.js';

const BASE = 'https://example.org/play/';

/** A real link made by this version: edited code and a fault plan. */
const FULL =
  '#v=1&ex=circuit-breaker&seed=demo_1&faults=N4IgzgpgTgbglgYwmEAuUAHAhgTwLYQB2ALmqNFAPZQBKWxEaADAHQCsAvl0A&code=MYewdgziA2CmB00QHMAUByAFgS3QSgG4AoIA&sum=21b324a1ede44e6f';
const FULL_CODE = "console.log('hi');\n";
const SIMPLE = '#v=1&ex=retry&seed=7&sum=a91435c46d1526ee';

function decodeOk(link: string) {
  const r = decodeShareLink(link);
  if (!r.ok) throw new Error(`expected a valid link, got ${r.error.kind}: ${r.error.message}`);
  return r.link;
}

describe('encodeShareLink', () => {
  it('writes the documented format (pinned: old links must keep opening)', () => {
    expect(encodeShareLink({ exampleId: 'retry', seed: 7 }, BASE)).toEqual({
      ok: true,
      url: `${BASE}${SIMPLE}`,
      hash: SIMPLE,
    });
    const full = encodeShareLink(
      { exampleId: 'circuit-breaker', seed: 'demo_1', code: FULL_CODE, faults: { services: { payment: { errorRate: 0.5 } } } },
      BASE,
    );
    expect(full).toEqual({ ok: true, url: `${BASE}${FULL}`, hash: FULL });
  });

  it('replaces the hash of the base URL and keeps its query', () => {
    const r = encodeShareLink({ exampleId: 'retry', seed: 7 }, 'https://example.org/play/?lang=en#v=1&ex=old');
    expect(r).toMatchObject({ ok: true, url: `https://example.org/play/?lang=en${SIMPLE}` });
  });

  it.each<[string, ShareState, string, string]>([
    ['bad example id', { exampleId: '../etc', seed: 1 }, 'invalid', 'exampleId'],
    ['seed with a space', { exampleId: 'retry', seed: 'a b' }, 'invalid', 'seed'],
    ['fractional seed', { exampleId: 'retry', seed: 1.5 }, 'invalid', 'seed'],
    ['33-character seed', { exampleId: 'retry', seed: 'x'.repeat(33) }, 'invalid', 'seed'],
    ['array as fault plan', { exampleId: 'retry', seed: 1, faults: [] as never }, 'invalid', 'faults'],
    ['code over 64 KB', { exampleId: 'retry', seed: 1, code: 'a'.repeat(MAX_CODE_CHARS + 1) }, 'oversized', 'code'],
    ['huge fault plan', { exampleId: 'retry', seed: 1, faults: { x: 'b'.repeat(20_000) } }, 'oversized', 'faults'],
  ])('refuses a %s with a message', (_name, state, kind, field) => {
    const r = encodeShareLink(state, BASE);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ kind, field });
      expect(r.error.message).toMatch(/\.$/);
    }
  });

  it('refuses code that fits 64 KB but does not compress below the link limit', () => {
    // Pseudo-random CJK text compresses badly: 64K characters become far more than 100K link characters.
    let x = 12345;
    const code = Array.from({ length: MAX_CODE_CHARS }, () => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return String.fromCharCode(0x4e00 + (x >>> 16) % 20000);
    }).join('');
    const r = encodeShareLink({ exampleId: 'retry', seed: 1, code }, BASE);
    expect(r).toMatchObject({ ok: false, error: { kind: 'oversized', field: 'link' } });
  });
});

describe('round trips', () => {
  it.each<[string, ShareState]>([
    ['original code, no faults', { exampleId: 'retry', seed: 7 }],
    ['edited code and a plan', { exampleId: 'saga', seed: 'Run-2_b', code: 'await x();\n', faults: { broker: { restarts: [1000] } } }],
    ['code edited to nothing', { exampleId: 'retry', seed: 0, code: '' }],
    ['unicode, emoji, CRLF', { exampleId: 'retry', seed: -42, code: 'const π = "ünïcødé 🚀";\r\n// ok\n' }],
    ['string seed that looks like a padded number', { exampleId: 'retry', seed: '007' }],
    ['largest safe integer seed', { exampleId: 'retry', seed: Number.MAX_SAFE_INTEGER }],
    ['empty fault plan', { exampleId: 'retry', seed: 1, faults: {} }],
    ['code of exactly 64 KB', { exampleId: 'retry', seed: 1, code: 'let a = 1;\n'.repeat(6000).slice(0, MAX_CODE_CHARS) }],
  ])('%s', (_name, state) => {
    const r = encodeShareLink(state, BASE);
    if (!r.ok) throw new Error(r.error.message);
    expect(decodeOk(r.url)).toEqual({ version: 1, ...state });
    expect(decodeOk(r.hash)).toEqual({ version: 1, ...state });
    expect(decodeOk(r.hash.slice(1))).toEqual({ version: 1, ...state });
  });

  it('a numeric-looking string seed comes back as the number (same run: the kernel hashes String(seed))', () => {
    const r = encodeShareLink({ exampleId: 'retry', seed: '42' }, BASE);
    expect(r.ok && decodeOk(r.url).seed).toBe(42);
  });

  it('reads values that a chat app percent-encoded once', () => {
    // 'M' -> %4D, 'Y' -> %59 in the code part of FULL.
    const escaped = FULL.replace('&code=MY', '&code=%4D%59');
    expect(decodeOk(escaped).code).toBe(FULL_CODE);
  });

  it('holds for arbitrary states', () => {
    const seed = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/));
    const json: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });
    const state = fc.record(
      {
        exampleId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
        seed,
        code: fc.string({ unit: 'grapheme', maxLength: 300 }),
        faults: fc.dictionary(fc.string({ maxLength: 8 }), json, { maxKeys: 4 }),
      },
      { requiredKeys: ['exampleId', 'seed'] },
    );
    fc.assert(
      fc.property(state, (s) => {
        const r = encodeShareLink(s as ShareState, BASE);
        if (!r.ok) return false;
        const d = decodeShareLink(r.url);
        // JSON normalises -0 to 0 in the plan, and a string seed like '12' comes back as 12.
        const expected = {
          version: 1,
          ...s,
          seed: /^-?[1-9]\d*$|^0$/.test(String(s.seed)) ? Number(s.seed) : s.seed,
          ...(s.faults ? { faults: JSON.parse(JSON.stringify(s.faults)) } : {}),
        };
        expect(d).toEqual({ ok: true, link: expected });
        return true;
      }),
      { numRuns: 150 },
    );
  });
});

/** A decode failure of the given kind that leaks no code and no fault plan. */
function expectRefused(r: ShareDecodeResult, kind: ShareDecodeErrorKind): void {
  expect(r.ok, JSON.stringify(r)).toBe(false);
  if (r.ok) return;
  expect(r.error.kind).toBe(kind);
  expect(Object.keys(r.error).sort()).toEqual(r.error.exampleId === undefined ? ['kind', 'message'] : ['exampleId', 'kind', 'message']);
  expect(r.error.message).toMatch(/^[A-Z].*\.$/s);
  expect(r.error.message).not.toContain('console.log');
}

describe('malformed links', () => {
  const sum16 = '0123456789abcdef';
  const corpus: [string, string, ShareDecodeErrorKind][] = [
    ['empty string', '', 'empty'],
    ['empty hash', '#', 'empty'],
    ['URL without hash', 'https://example.org/play/?v=1&ex=retry', 'empty'],
    ['newer format version', '#v=2&ex=retry&seed=7&newfield=xyz', 'unknown-version'],
    ['only a newer version', 'https://example.org/play/#v=99', 'unknown-version'],
    ['version that is not a number', '#v=one&ex=retry&seed=7&sum=a91435c46d1526ee', 'malformed'],
    ['version 1.0', '#v=1.0&ex=retry&seed=7&sum=a91435c46d1526ee', 'malformed'],
    ['no version', '#ex=retry&seed=7&sum=a91435c46d1526ee', 'malformed'],
    ['some other app’s hash', '#section-3', 'malformed'],
    ['missing example', `#v=1&seed=7&sum=${sum16}`, 'malformed'],
    ['missing seed', `#v=1&ex=retry&sum=${sum16}`, 'malformed'],
    ['missing checksum', '#v=1&ex=retry&seed=7', 'truncated'],
    ['invalid example id', `#v=1&ex=..%2Fadmin&seed=7&sum=${sum16}`, 'malformed'],
    ['seed with a dot', `#v=1&ex=retry&seed=1.5&sum=${sum16}`, 'malformed'],
    ['seed of 33 characters', `#v=1&ex=retry&seed=${'s'.repeat(33)}&sum=${sum16}`, 'malformed'],
    ['seed with a space', `#v=1&ex=retry&seed=a%20b&sum=${sum16}`, 'malformed'],
    ['invalid characters in the code', `#v=1&ex=retry&seed=7&code=MYew*dgz!&sum=${sum16}`, 'malformed'],
    ['base64 padding in the code', `#v=1&ex=retry&seed=7&code=MYewdg==&sum=${sum16}`, 'malformed'],
    ['invalid characters in the fault plan', `#v=1&ex=retry&seed=7&faults=N4Ig/zgp&sum=${sum16}`, 'malformed'],
    ['wrong checksum', FULL.replace('sum=21b324a1ede44e6f', 'sum=21b324a1ede44e6e'), 'corrupt'],
    ['one character of the code changed', FULL.replace('&code=MYewdgz', '&code=MYewdgy'), 'corrupt'],
    ['one character of the plan changed', FULL.replace('&faults=N4Ig', '&faults=N4Jg'), 'corrupt'],
    ['code that is not an lz stream', `#v=1&ex=retry&seed=7&code=A&sum=${sum16}`, 'corrupt'],
    ['checksum of 17 digits', `${SIMPLE}0`, 'malformed'],
    ['checksum with non-hex digits', '#v=1&ex=retry&seed=7&sum=zzzzzzzzzzzzzzzz', 'malformed'],
    ['fault plan is an array', '#v=1&ex=retry&seed=7&faults=NoRgNATAukA&sum=4f40163abcc95a2e', 'malformed'],
    ['fault plan is null', '#v=1&ex=retry&seed=7&faults=HYVwNmQ&sum=be12280f0e31cc95', 'malformed'],
    ['fault plan is a string', '#v=1&ex=retry&seed=7&faults=EQQwNmxA&sum=02fbd824a29b7c58', 'malformed'],
    ['fault plan is not JSON', '#v=1&ex=retry&seed=7&faults=N4exAcGcg&sum=f93247aeb0bac3fb', 'malformed'],
    ['whole hash percent-encoded again', `#${encodeURIComponent(FULL.slice(1))}`, 'malformed'],
    ['code percent-encoded twice', FULL.replace('&code=MY', '&code=%254D%2559'), 'malformed'],
    ['broken percent escape', FULL.replace('&code=MY', '&code=%E0%A4%A'), 'malformed'],
    ['unknown field', SIMPLE.replace('&sum=', '&debug=1&sum='), 'malformed'],
    ['field without a value', SIMPLE.replace('&sum=', '&debug&sum='), 'malformed'],
    ['duplicate seed', SIMPLE.replace('&sum=', '&seed=8&sum='), 'malformed'],
    ['empty part', SIMPLE.replace('&sum=', '&&sum='), 'malformed'],
    ['link over 100,000 characters', `#v=1&ex=retry&seed=7&code=${'A'.repeat(MAX_LINK_CHARS)}&sum=${sum16}`, 'oversized'],
    [
      'code that decompresses beyond 64 KB',
      `#v=1&ex=retry&seed=7&code=IY18ZXTt-DFOS1b0c17Pd-wYUcSaWeRZVdTbXfQ408y62+x519z73-wMFDhI0WPETJU6TNlz5CxUuUrVa9Rs1btO3Xv0HDR4ydNnzFy1es3bd+w8dPnL12-cfPX7z99--AYFBwSGhYeERkVHRMbFx8QmJSckpqWnpGZlZ2Tm5efkFhUXFJaVl5RWVVdU1tXX1DY1NzS2tbe0dnV3dPb19-QODQ8Mjo2PjE5NT0zOzc-MLi0vLK6tr6xubW9s7u3v7B4dHxyenZ+cXl1fXN7d39w+PT88vr2-vH59f3z+-f-8AwFA4Eg0Fg8EQyFQ6Ew2Fw+EIxFI5Eo1Fo9EYzFY7E43F4-EEwlE4kk0lk8kUylU6k02l0+kMxlM5ks1ls9kczlc7k83l8-kCwVC4Ui0Vi8USyVS6Uy2Vy+UKxVK5Uq1Vq9UazVa7U63V6-UGw1G40m01m80Wy1W602212+0Ox1O50u11u93fIA&sum=${sum16}`,
      'oversized',
    ],
    [
      'fault plan that decompresses beyond 16 KB',
      `#v=1&ex=retry&seed=7&faults=N4IgHiBcIEZ-DFOS1b0c17Pd-wYUcSaWeRZVdTbXfQ408y62+x519z73-wMFDhI0WPETJU6TNlz5CxUuUrVa9Rs1btO3Xv0HDR4ydNnzFy1es3bd+w8dPnL12-cfPX7z99--AYFBwSGhYeERkVHRMbFx8QmJSckpqWnpGZlZ2Tm5efkFhUXFJaVl5RWVVdU1tXX1DY1NzS2tbe0dnV3dPb19-QODQ8Mjo2PjE5NT0zOzc-MLi0vLDiAAvkA&sum=${sum16}`,
      'oversized',
    ],
  ];

  it('has a corpus of at least 20 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(corpus)('%s → %s… (%s)', (_name, link, kind) => {
    expectRefused(decodeShareLink(link), kind);
  });

  it('reports a link cut off at any position as truncated (or empty at 0), never with code', () => {
    for (const link of [FULL, SIMPLE, `${BASE}${FULL}`]) {
      const hashAt = link.indexOf('#');
      for (let cut = hashAt + 1; cut < link.length; cut++) {
        const r = decodeShareLink(link.slice(0, cut));
        expectRefused(r, cut === hashAt + 1 ? 'empty' : 'truncated');
      }
    }
  });

  it('names the example of a cut-off link only when its name is complete', () => {
    const cutInCode = FULL.slice(0, FULL.indexOf('&code=') + 12);
    expect(decodeShareLink(cutInCode)).toMatchObject({ ok: false, error: { kind: 'truncated', exampleId: 'circuit-breaker' } });
    const r = decodeShareLink(cutInCode);
    expect(!r.ok && r.error.message).toContain('"circuit-breaker" is opened with its original code instead.');
    // Cut right after the id: it may be a prefix of a longer id, so it is not trusted.
    expect(decodeShareLink('#v=1&ex=circuit')).toMatchObject({ ok: false, error: { kind: 'truncated' } });
    expect(decodeShareLink('#v=1&ex=circuit')).not.toHaveProperty('error.exampleId');
  });

  it('reports an unknown example only for an otherwise valid link', () => {
    const catalogue = (id: string) => id === 'retry';
    expect(decodeShareLink(SIMPLE, { isKnownExample: catalogue })).toMatchObject({ ok: true });
    const r = decodeShareLink(FULL, { isKnownExample: catalogue });
    expectRefused(r, 'unknown-example');
    expect(!r.ok && r.error.message).toContain('"circuit-breaker"');
    // A damaged link stays damaged even if its example is unknown too.
    expectRefused(decodeShareLink(FULL.replace('sum=2', 'sum=3'), { isKnownExample: catalogue }), 'corrupt');
  });

  it('survives random damage: any single changed character gives an error or the exact original', () => {
    const alphabet = 'ABCXYZabcxyz0189+-$%&=#_.';
    fc.assert(
      fc.property(fc.nat({ max: FULL.length - 1 }), fc.constantFrom(...alphabet), (at, ch) => {
        const damaged = FULL.slice(0, at) + ch + FULL.slice(at + 1);
        const r = decodeShareLink(damaged);
        if (r.ok) {
          // Only harmless edits can pass, e.g. a character replaced by itself.
          expect(r.link.code).toBe(FULL_CODE);
        }
      }),
      { numRuns: 300 },
    );
  });
});
