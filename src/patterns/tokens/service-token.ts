import type { VirtualScheduler } from '../../sim/scheduler.js';
import { DEFAULT_EPOCH } from '../../sim/world.js';
import { signHs256, verifyHs256, type Hs256Failure } from './jwt-hs256.js';
import { InvalidOptionError, integerAtLeast, nonNegative } from '../options.js';

/** The claims of a service token. */
export interface ServiceClaims {
  /** The calling service. */
  service: string;
  /** What it may do (checked by {@link requireServiceToken}). */
  role: string;
  /** Issued at (seconds since 1970, wall clock of the world). */
  iat: number;
  /** Expires at (seconds since 1970). */
  exp: number;
  iss?: string;
  aud?: string | string[];
}

/** Why a token was refused. */
export type TokenFailure = 'missing' | 'malformed' | 'bad-signature' | 'expired' | 'invalid-claims' | 'forbidden';

/**
 * A service token was missing or refused. `status` is what an HTTP server
 * answers: 403 for `forbidden` (a valid token with the wrong role), 401 for
 * every other reason.
 */
export class ServiceTokenError extends Error {
  constructor(
    readonly reason: TokenFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ServiceTokenError';
  }
  /** 401 or 403. */
  get status(): 401 | 403 {
    return this.reason === 'forbidden' ? 403 : 401;
  }
}

/** Options of {@link ServiceTokens}. */
export interface ServiceTokensOptions {
  /** The shared HMAC secret (HS256), at least 32 bytes. */
  secret: string | Uint8Array;
  /** The world's scheduler: token times are read from it. */
  scheduler: Pick<VirtualScheduler, 'now'>;
  /** Wall-clock ms that virtual time 0 stands for; default the world's default epoch. */
  epoch?: number;
  /** Lifetime of a token in seconds; default 300. */
  ttlSeconds?: number;
  /** `iss` to set and require. */
  issuer?: string;
  /** `aud` to set and require. */
  audience?: string;
  /** Signs and checks the token form; default {@link plainSigner}. */
  signer?: TokenSigner;
}

const OWNER = 'serviceTokens';

/**
 * Makes and checks the HS256 form of a token: the signature only, never the
 * claims (those are checked on the run's clock by {@link ServiceTokens}).
 * The default is plain JavaScript (the sandbox has no WebCrypto); real mode
 * passes one made with jose.
 */
export interface TokenSigner {
  sign(payload: Record<string, unknown>, key: Uint8Array): Promise<string>;
  verify(token: string, key: Uint8Array): Promise<{ ok: true; payload: Record<string, unknown> } | { ok: false; reason: Hs256Failure; message: string }>;
}

/** HS256 over @noble/hashes: what the simulation signs with. */
export const plainSigner: TokenSigner = {
  sign: (payload, key) => Promise.resolve(signHs256(payload, key)),
  verify: (token, key) => Promise.resolve(verifyHs256(token, key)),
};

/**
 * Signs and verifies service-to-service JWTs (HS256, RFC 7519: tokens that
 * jose and every other JWT library accept), with every time taken from the
 * world's virtual clock: a token issued at virtual time
 * 0 with a 300 s lifetime is refused as expired from virtual time 300 000.
 *
 * @example
 * const tokens = new ServiceTokens({ secret: 'a-shared-secret-of-32-bytes-or-more!', scheduler: world.scheduler });
 * const token = await tokens.sign({ service: 'orders', role: 'payments:write' });
 * const claims = await tokens.verify(token); // { service: 'orders', role: 'payments:write', iat, exp }
 */
export class ServiceTokens {
  private readonly key: Uint8Array;
  private readonly scheduler: Pick<VirtualScheduler, 'now'>;
  readonly epoch: number;
  readonly ttlSeconds: number;
  private readonly issuer: string | undefined;
  private readonly audience: string | undefined;
  private readonly signer: TokenSigner;

  constructor(options: ServiceTokensOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    const secret = options.secret;
    const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (!(key instanceof Uint8Array) || key.length < 32) throw new InvalidOptionError(OWNER, 'secret', 'a string or bytes of at least 32 bytes (256 bits) for HS256', typeof secret === 'string' ? `${key.length} bytes` : secret);
    this.key = key;
    if (!options.scheduler || typeof options.scheduler.now !== 'function') throw new InvalidOptionError(OWNER, 'scheduler', 'the world scheduler (with now())', options.scheduler);
    this.scheduler = options.scheduler;
    this.epoch = options.epoch === undefined ? DEFAULT_EPOCH : nonNegative(OWNER, 'epoch', options.epoch);
    this.ttlSeconds = options.ttlSeconds === undefined ? 300 : integerAtLeast(OWNER, 'ttlSeconds', options.ttlSeconds, 1);
    this.issuer = options.issuer;
    this.audience = options.audience;
    this.signer = options.signer ?? plainSigner;
  }

  /** The world's wall-clock time in whole seconds since 1970. */
  nowSeconds(): number {
    return Math.floor((this.epoch + this.scheduler.now()) / 1000);
  }

  /** Signs a token for `service` acting as `role`, valid from now for `ttlSeconds`. */
  async sign(claims: { service: string; role: string }, options: { ttlSeconds?: number } = {}): Promise<string> {
    if (typeof claims?.service !== 'string' || claims.service === '') throw new InvalidOptionError(OWNER, 'claims.service', 'a non-empty string', claims?.service);
    if (typeof claims.role !== 'string' || claims.role === '') throw new InvalidOptionError(OWNER, 'claims.role', 'a non-empty string', claims.role);
    const ttl = options.ttlSeconds === undefined ? this.ttlSeconds : integerAtLeast(OWNER, 'ttlSeconds', options.ttlSeconds, 1);
    const iat = this.nowSeconds();
    const payload: Record<string, unknown> = { service: claims.service, role: claims.role, sub: claims.service, iat, exp: iat + ttl };
    if (this.issuer !== undefined) payload['iss'] = this.issuer;
    if (this.audience !== undefined) payload['aud'] = this.audience;
    return this.signer.sign(payload, this.key);
  }

  /**
   * Checks a token's signature, expiry (at the world's current time) and
   * claims. Rejects with {@link ServiceTokenError} saying why.
   */
  async verify(token: string): Promise<ServiceClaims> {
    if (typeof token !== 'string') throw new ServiceTokenError('malformed', 'the token is not a JWT (three dot-separated parts)');
    const checked = await this.signer.verify(token, this.key);
    if (!checked.ok) throw new ServiceTokenError(checked.reason, checked.message);
    const payload = checked.payload;
    const { exp, iat, iss, aud } = payload;
    if (typeof exp !== 'number' || typeof iat !== 'number') throw new ServiceTokenError('invalid-claims', 'the token claims are not valid: "exp" and "iat" are required numbers');
    if (this.nowSeconds() >= exp) throw new ServiceTokenError('expired', 'the token has expired');
    if (this.issuer !== undefined && iss !== this.issuer) throw new ServiceTokenError('invalid-claims', `the token claims are not valid: unexpected "iss" claim value`);
    if (this.audience !== undefined && !(aud === this.audience || (Array.isArray(aud) && aud.includes(this.audience))))
      throw new ServiceTokenError('invalid-claims', `the token claims are not valid: unexpected "aud" claim value`);
    const { service, role } = payload;
    if (typeof service !== 'string' || service === '' || typeof role !== 'string' || role === '')
      throw new ServiceTokenError('invalid-claims', 'the token lacks the "service" and "role" claims');
    return payload as unknown as ServiceClaims;
  }
}
