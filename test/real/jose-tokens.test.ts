/**
 * Service tokens in real mode are signed and checked by jose; the simulation
 * signs them in plain JavaScript. A token from either verifies in the other,
 * refusals keep the simulation's reasons, and a program under `spp run`
 * really goes through jose.
 */
import { describe, expect, it } from 'vitest';
import { ServiceTokenError, ServiceTokens, plainSigner, type TokenSigner } from '../../src/patterns/index.js';
import { joseSigner } from '../../src/real/jose-signer.js';
import { mainResult, runSpp, scratch } from './spp.js';
import { join } from 'node:path';

const SECRET = 'playground-shared-secret-0123456789abcdef';
const at = (ms: number) => ({ now: () => ms });
/** Tokens on a clock that stands at `ms` after `epoch`, with the given signer. */
const tokensWith = (signer: TokenSigner, ms = 0, epoch = Date.UTC(2030, 0, 1)) => new ServiceTokens({ secret: SECRET, scheduler: at(ms), epoch, ttlSeconds: 60, issuer: 'shop', signer });
const reason = (p: Promise<unknown>) => p.then(() => 'valid', (e: ServiceTokenError) => e.reason);

describe('service tokens across modes', () => {
  it('a token signed by the simulation verifies in real mode, and the other way round, byte for byte the same', async () => {
    const simulated = await tokensWith(plainSigner).sign({ service: 'order-service', role: 'payments:write' });
    const real = await tokensWith(joseSigner).sign({ service: 'order-service', role: 'payments:write' });
    expect(real).toBe(simulated);
    expect(await tokensWith(joseSigner, 30_000).verify(simulated)).toMatchObject({ service: 'order-service', role: 'payments:write', iss: 'shop' });
    const fromReal = await tokensWith(joseSigner).sign({ service: 'billing', role: 'refunds' }, { ttlSeconds: 5 });
    expect(await tokensWith(plainSigner, 4_999).verify(fromReal)).toMatchObject({ service: 'billing', role: 'refunds' });
  });

  it('real mode refuses what the simulation refuses, for the same reasons', async () => {
    const token = await tokensWith(plainSigner).sign({ service: 'order-service', role: 'r' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = `${h}.${Buffer.from(JSON.stringify({ service: 'order-service', role: 'admin', iat: 1, exp: 9e9 })).toString('base64url')}.${s}`;
    const otherKey = await new ServiceTokens({ secret: 'another-secret-of-at-least-32-bytes!!', scheduler: at(0), epoch: Date.UTC(2030, 0, 1), signer: plainSigner }).sign({ service: 'x', role: 'r' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    for (const [bad, expected] of [
      [forged, 'bad-signature'],
      [otherKey, 'bad-signature'],
      [none, 'bad-signature'],
      ['not-a-token', 'malformed'],
      [`${h}.%%%.${s}`, 'malformed'],
    ] as const) {
      expect(await reason(tokensWith(plainSigner).verify(bad)), bad).toBe(expected);
      expect(await reason(tokensWith(joseSigner).verify(bad)), bad).toBe(expected);
    }
    // Expiry is the run's clock in both modes.
    expect(await reason(tokensWith(joseSigner, 59_999).verify(token))).toBe('valid');
    expect(await reason(tokensWith(joseSigner, 60_000).verify(token))).toBe('expired');
    const messages = await Promise.all([plainSigner, joseSigner].map((signer) => tokensWith(signer).verify(forged).catch((e: Error) => e.message)));
    expect(messages[1]).toBe(messages[0]);
  });

  it('a program under spp run signs with jose and accepts a token the simulation signed', async () => {
    // Signed now, on the wall clock, as the program's clock will read it.
    const fromSimulation = await new ServiceTokens({ secret: SECRET, scheduler: at(0), epoch: Date.now(), signer: plainSigner }).sign({ service: 'order-service', role: 'payments:write' });
    const program = `import { serviceTokens } from 'playground';
const tokens = serviceTokens({ secret: '${SECRET}' });
export default async function main() {
  const claims = await tokens.verify('${fromSimulation}');
  const own = await tokens.sign({ service: 'payment-service', role: 'refunds' });
  return { caller: claims.service, own };
}
`;
    const dir = scratch({ 'tokens.ts': program });
    const run = await runSpp(['run', join(dir, 'tokens.ts')]);
    expect(run.code, run.stderr).toBe(0);
    const { caller, own } = mainResult(run.stdout) as { caller: string; own: string };
    expect(caller).toBe('order-service');
    expect(await new ServiceTokens({ secret: SECRET, scheduler: at(0), epoch: Date.now(), signer: plainSigner }).verify(own)).toMatchObject({ service: 'payment-service', role: 'refunds' });
  });
});
