import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { VirtualScheduler } from '../sim/scheduler.js';
import { DEFAULT_EPOCH } from '../sim/world.js';
import { InvalidOptionError, integerAtLeast, nonNegative } from './options.js';

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
  /** The world's scheduler: token times are read from it, and jose's WebCrypto work goes through `external`. */
  scheduler: Pick<VirtualScheduler, 'now' | 'external'>;
  /** Wall-clock ms that virtual time 0 stands for; default the world's default epoch. */
  epoch?: number;
  /** Lifetime of a token in seconds; default 300. */
  ttlSeconds?: number;
  /** `iss` to set and require. */
  issuer?: string;
  /** `aud` to set and require. */
  audience?: string;
}

const OWNER = 'serviceTokens';

/**
 * Signs and verifies service-to-service JWTs (HS256) with `jose`, with every
 * time taken from the world's virtual clock: a token issued at virtual time
 * 0 with a 300 s lifetime is refused as expired from virtual time 300 000.
 *
 * @example
 * const tokens = new ServiceTokens({ secret: 'a-shared-secret-of-32-bytes-or-more!', scheduler: world.scheduler });
 * const token = await tokens.sign({ service: 'orders', role: 'payments:write' });
 * const claims = await tokens.verify(token); // { service: 'orders', role: 'payments:write', iat, exp }
 */
export class ServiceTokens {
  private readonly key: Uint8Array;
  private readonly scheduler: Pick<VirtualScheduler, 'now' | 'external'>;
  readonly epoch: number;
  readonly ttlSeconds: number;
  private readonly issuer: string | undefined;
  private readonly audience: string | undefined;

  constructor(options: ServiceTokensOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidOptionError(OWNER, 'options', 'an object', options);
    const secret = options.secret;
    const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
    if (!(key instanceof Uint8Array) || key.length < 32) throw new InvalidOptionError(OWNER, 'secret', 'a string or bytes of at least 32 bytes (256 bits) for HS256', typeof secret === 'string' ? `${key.length} bytes` : secret);
    this.key = key;
    if (!options.scheduler || typeof options.scheduler.external !== 'function') throw new InvalidOptionError(OWNER, 'scheduler', 'the world scheduler (with now() and external())', options.scheduler);
    this.scheduler = options.scheduler;
    this.epoch = options.epoch === undefined ? DEFAULT_EPOCH : nonNegative(OWNER, 'epoch', options.epoch);
    this.ttlSeconds = options.ttlSeconds === undefined ? 300 : integerAtLeast(OWNER, 'ttlSeconds', options.ttlSeconds, 1);
    this.issuer = options.issuer;
    this.audience = options.audience;
  }

  /** The world's wall-clock time in whole seconds since 1970. */
  nowSeconds(): number {
    return Math.floor((this.epoch + this.scheduler.now()) / 1000);
  }

  /** Signs a token for `service` acting as `role`, valid from now for `ttlSeconds`. */
  sign(claims: { service: string; role: string }, options: { ttlSeconds?: number } = {}): Promise<string> {
    if (typeof claims?.service !== 'string' || claims.service === '') throw new InvalidOptionError(OWNER, 'claims.service', 'a non-empty string', claims?.service);
    if (typeof claims.role !== 'string' || claims.role === '') throw new InvalidOptionError(OWNER, 'claims.role', 'a non-empty string', claims.role);
    const ttl = options.ttlSeconds === undefined ? this.ttlSeconds : integerAtLeast(OWNER, 'ttlSeconds', options.ttlSeconds, 1);
    const iat = this.nowSeconds();
    let jwt = new SignJWT({ service: claims.service, role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.service)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttl);
    if (this.issuer !== undefined) jwt = jwt.setIssuer(this.issuer);
    if (this.audience !== undefined) jwt = jwt.setAudience(this.audience);
    return this.scheduler.external(jwt.sign(this.key));
  }

  /**
   * Checks a token's signature, expiry (at the world's current time) and
   * claims. Rejects with {@link ServiceTokenError} saying why.
   */
  async verify(token: string): Promise<ServiceClaims> {
    if (typeof token !== 'string' || token.split('.').length !== 3) throw new ServiceTokenError('malformed', 'the token is not a JWT (three dot-separated parts)');
    let payload: Record<string, unknown>;
    try {
      const verified = await this.scheduler.external(
        jwtVerify(token, this.key, {
          algorithms: ['HS256'],
          currentDate: new Date(this.epoch + this.scheduler.now()),
          requiredClaims: ['exp', 'iat'],
          ...(this.issuer !== undefined ? { issuer: this.issuer } : {}),
          ...(this.audience !== undefined ? { audience: this.audience } : {}),
        }),
      );
      payload = verified.payload as Record<string, unknown>;
    } catch (error) {
      throw toTokenError(error);
    }
    const { service, role } = payload;
    if (typeof service !== 'string' || service === '' || typeof role !== 'string' || role === '')
      throw new ServiceTokenError('invalid-claims', 'the token lacks the "service" and "role" claims');
    return payload as unknown as ServiceClaims;
  }
}

function toTokenError(error: unknown): ServiceTokenError {
  if (error instanceof joseErrors.JWTExpired) return new ServiceTokenError('expired', 'the token has expired', { cause: error });
  if (error instanceof joseErrors.JWSSignatureVerificationFailed || error instanceof joseErrors.JOSEAlgNotAllowed)
    return new ServiceTokenError('bad-signature', 'the token signature is not valid', { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) return new ServiceTokenError('invalid-claims', `the token claims are not valid: ${error.message}`, { cause: error });
  return new ServiceTokenError('malformed', 'the token could not be read', { cause: error });
}
