import { decodeProtectedHeader, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../../src/patterns/options.js';
import { requireServiceToken, withServiceToken, type AuthenticatedRequest } from '../../../src/patterns/tokens/service-auth.js';
import { ServiceTokenError, ServiceTokens } from '../../../src/patterns/tokens/service-token.js';
import { signHs256 } from '../../../src/patterns/tokens/jwt-hs256.js';
import type { HttpResponse } from '../../../src/sim/http-errors.js';
import { createWorld, DEFAULT_EPOCH, type World } from '../../../src/sim/world.js';
import { runIn } from '../helpers.js';

const SECRET = 'playground-shared-secret-0123456789abcdef';

function setup() {
  const world = createWorld({ seed: 1 });
  const tokens = new ServiceTokens({ secret: SECRET, scheduler: world.scheduler, ttlSeconds: 60 });
  const seen: string[] = [];
  world.service('payment').post('/payments', requireServiceToken(tokens, { roles: ['payments:write'], trace: world.trace }), (req) => {
    seen.push((req as AuthenticatedRequest).auth.service);
    return { ok: true, caller: (req as AuthenticatedRequest).auth.service };
  });
  const post = (authorization?: string) =>
    world.service('orders').http.post('http://payment/payments', { amount: 5 }, { headers: authorization === undefined ? {} : { Authorization: authorization }, validateStatus: () => true });
  return { world, tokens, post, seen };
}

async function value<T>(world: World, body: () => Promise<T>): Promise<T> {
  const out = await runIn(world, body);
  if (!out.ok) throw out.error;
  return out.value;
}

describe('service tokens (jose, virtual time)', () => {
  it('signs HS256 tokens with service and role claims and times from the world clock', async () => {
    const { world, tokens } = setup();
    let token = '';
    const claims = await value(world, async () => {
      await world.sleep(90_500);
      token = await tokens.sign({ service: 'orders', role: 'payments:write' });
      return tokens.verify(token);
    });
    const iat = Math.floor((DEFAULT_EPOCH + 90_500) / 1000);
    expect(claims).toMatchObject({ service: 'orders', role: 'payments:write', sub: 'orders', iat, exp: iat + 60 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('expiry counts in virtual time: valid just before exp, expired at exp', async () => {
    const { world, tokens } = setup();
    const results = await value(world, async () => {
      const token = await tokens.sign({ service: 'orders', role: 'r' });
      await world.sleep(59_999);
      const before = await tokens.verify(token).then(() => 'valid', (e: ServiceTokenError) => e.reason);
      await world.sleep(1);
      const at = await tokens.verify(token).then(() => 'valid', (e: ServiceTokenError) => e.reason);
      return [before, at];
    });
    expect(results).toEqual(['valid', 'expired']);
  });

  it('a run with tokens is deterministic', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const { world, tokens, post } = setup();
      await value(world, async () => {
        await post(`Bearer ${await tokens.sign({ service: 'orders', role: 'payments:write' })}`);
        await post();
      });
      hashes.push(world.trace.hash());
    }
    expect(hashes[0]).toBe(hashes[1]);
  });

  it('rejects a secret shorter than 32 bytes, naming the option', () => {
    expect(() => new ServiceTokens({ secret: 'short', scheduler: createWorld().scheduler })).toThrow(InvalidOptionError);
    expect(() => new ServiceTokens({ secret: 'short', scheduler: createWorld().scheduler })).toThrow(/serviceTokens: "secret" must be/);
  });
});

describe('requireServiceToken middleware', () => {
  const cases: Array<[string, (t: ServiceTokens, w: World) => Promise<string | undefined>, number, string]> = [
    ['no header', async () => undefined, 401, 'missing'],
    ['not a bearer header', async () => 'Basic b3JkZXJzOnNlY3JldA==', 401, 'malformed'],
    ['bearer of garbage', async () => 'Bearer not-a-jwt', 401, 'malformed'],
    ['three parts of garbage', async () => 'Bearer a.b.c', 401, 'malformed'],
    [
      'signed with another secret',
      async (_t, w) => `Bearer ${await new ServiceTokens({ secret: 'another-secret-another-secret-another', scheduler: w.scheduler }).sign({ service: 'orders', role: 'payments:write' })}`,
      401,
      'bad-signature',
    ],
    ['unsigned (alg none)', async () => `Bearer ${new UnsecuredJWT({ service: 'orders', role: 'payments:write' }).setIssuedAt(1).setExpirationTime(9_999_999_999).encode()}`, 401, 'bad-signature'],
    [
      'expired',
      async (t, w) => {
        const token = await t.sign({ service: 'orders', role: 'payments:write' });
        await w.sleep(61_000);
        return `Bearer ${token}`;
      },
      401,
      'expired',
    ],
    [
      'without service and role claims',
      async () => {
        const iat = Math.floor(DEFAULT_EPOCH / 1000);
        return `Bearer ${signHs256({ who: 'orders', iat, exp: iat + 60 }, new TextEncoder().encode(SECRET))}`;
      },
      401,
      'invalid-claims',
    ],
    ['wrong role', async (t) => `Bearer ${await t.sign({ service: 'orders', role: 'reports:read' })}`, 403, 'forbidden'],
  ];

  it.each(cases)('%s → %s', async (_name, authorization, status, reason) => {
    const { world, tokens, post, seen } = setup();
    const res = await value(world, async () => post(await authorization(tokens, world)));
    expect(res.status).toBe(status);
    expect(res.data).toMatchObject({ error: status === 403 ? 'forbidden' : 'unauthorized', reason });
    expect(typeof (res.data as { message: unknown }).message).toBe('string');
    if (status === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(seen).toEqual([]);
    expect(world.events.find((e) => e.kind === 'auth.rejected')).toMatchObject({ status, reason, path: '/payments' });
  });

  it('a valid token with an allowed role gets through, with the claims on req.auth', async () => {
    const { world, tokens, post, seen } = setup();
    const res = await value(world, async () => post(`Bearer ${await tokens.sign({ service: 'orders', role: 'payments:write' })}`));
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true, caller: 'orders' });
    expect(seen).toEqual(['orders']);
  });
});

describe('withServiceToken client', () => {
  it('attaches a bearer token, reuses it while fresh and signs a new one before it expires', async () => {
    const { world, tokens } = setup();
    const http = withServiceToken(world.service('orders').http, tokens, { role: 'payments:write', refreshBeforeSeconds: 10 });
    const responses: HttpResponse[] = [];
    await value(world, async () => {
      responses.push(await http.post('http://payment/payments', { amount: 1 }));
      await world.sleep(40_000);
      responses.push(await http.post('http://payment/payments', { amount: 2 }));
      await world.sleep(15_000); // 55 s after signing: less than 10 s left
      responses.push(await http.post('http://payment/payments', { amount: 3 }));
      await world.sleep(120_000);
      responses.push(await http.post('http://payment/payments', { amount: 4 }));
    });
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const auth = world.events.filter((e) => e.kind === 'http.request').map((e) => e.kind === 'http.request' && e.headers?.['authorization']);
    expect(auth.every((a) => typeof a === 'string' && a.startsWith('Bearer '))).toBe(true);
    expect(auth[1]).toBe(auth[0]);
    expect(auth[2]).not.toBe(auth[1]);
    expect(auth[3]).not.toBe(auth[2]);
  });

  it('concurrent first requests share one signing', async () => {
    const { world, tokens } = setup();
    const http = withServiceToken(world.service('orders').http, tokens, { role: 'payments:write' });
    await value(world, () => Promise.all([http.post('http://payment/payments', {}), http.post('http://payment/payments', {})]));
    const auth = world.events.filter((e) => e.kind === 'http.request').map((e) => e.kind === 'http.request' && e.headers?.['authorization']);
    expect(auth).toHaveLength(2);
    expect(auth[0]).toBe(auth[1]);
  });
});
