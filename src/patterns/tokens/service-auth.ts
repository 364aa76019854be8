import { AxiosVerbs, type HttpClient, type Handler, type Request } from '../../sim/network.js';
import type { HttpRequestConfig, HttpResponse } from '../../sim/http-errors.js';
import type { TraceRecorder } from '../../sim/trace.js';
import { InvalidOptionError, nonNegative } from '../options.js';
import { ServiceTokenError, type ServiceClaims, type ServiceTokens } from './service-token.js';

/** A request that passed {@link requireServiceToken}: `auth` holds the verified claims. */
export type AuthenticatedRequest<B = any> = Request<B> & { auth: ServiceClaims };

/** Options of {@link requireServiceToken}. */
export interface RequireServiceTokenOptions {
  /** Roles allowed on this route; a valid token with another role gets 403. Default: any role. */
  roles?: readonly string[];
  /** Trace to record `auth.rejected` in. */
  trace?: TraceRecorder;
}

/** The JSON body of a refusal. */
export interface AuthErrorBody {
  error: 'unauthorized' | 'forbidden';
  reason: ServiceTokenError['reason'];
  message: string;
}

/**
 * Route middleware for the simulated HTTP server: lets a request through
 * only with a valid service token in `Authorization: Bearer <token>`.
 * No or malformed token, bad signature, expired token, claims that do not
 * check out → 401; a valid token whose role is not allowed → 403. Each
 * refusal has a JSON body `{ error, reason, message }`. On success the
 * claims are on `req.auth`.
 *
 * @example
 * payments.post('/payments', requireServiceToken(tokens, { roles: ['payments:write'] }), (req) => {
 *   const caller = (req as AuthenticatedRequest).auth.service;
 *   return { ok: true, caller };
 * });
 */
export function requireServiceToken(tokens: ServiceTokens, options: RequireServiceTokenOptions = {}): Handler {
  if (typeof tokens !== 'object' || tokens === null || typeof tokens.verify !== 'function') throw new InvalidOptionError('requireServiceToken', 'tokens', 'a ServiceTokens', tokens);
  const roles = options.roles;
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')))
    throw new InvalidOptionError('requireServiceToken', 'roles', 'an array of role names', roles);
  const trace = options.trace;
  return async (req, res, next) => {
    let claims: ServiceClaims;
    try {
      claims = await tokens.verify(bearerToken(req.headers['authorization']));
      if (roles !== undefined && !roles.includes(claims.role))
        throw new ServiceTokenError('forbidden', `role "${claims.role}" may not ${req.method} ${req.path} (allowed: ${roles.join(', ')})`);
    } catch (error) {
      if (!(error instanceof ServiceTokenError)) throw error;
      trace?.record('auth.rejected', { target: req.from, correlationId: req.correlationId, path: req.path, status: error.status, reason: error.reason });
      const body: AuthErrorBody = { error: error.status === 403 ? 'forbidden' : 'unauthorized', reason: error.reason, message: error.message };
      if (error.status === 401) res.set('www-authenticate', error.reason === 'missing' ? 'Bearer' : `Bearer error="invalid_token"`);
      res.status(error.status).json(body);
      return;
    }
    (req as AuthenticatedRequest).auth = claims;
    next();
  };
}

/** The token of an `Authorization: Bearer <token>` header; throws a 401 {@link ServiceTokenError} otherwise. */
export function bearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw new ServiceTokenError('missing', 'no Authorization header with a bearer token');
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new ServiceTokenError('malformed', 'the Authorization header is not "Bearer <token>"');
  return match[1]!;
}

/** Options of {@link withServiceToken}. */
export interface ServiceTokenClientOptions {
  /** The `service` claim; default the client's own service name. */
  service?: string;
  /** The `role` claim. */
  role: string;
  /** Sign a new token when the cached one has less than this many seconds left; default 30. */
  refreshBeforeSeconds?: number;
}

/** The request methods of an HTTP client (what {@link withServiceToken} returns). */
export type RequestMethods = Pick<HttpClient, 'request' | 'get' | 'post' | 'put' | 'patch' | 'delete'>;

/**
 * An HTTP client that adds `Authorization: Bearer <token>` to every request,
 * signing a new token when the one it holds is about to expire (in virtual
 * time).
 *
 * @example
 * const http = withServiceToken(world.service('orders').http, tokens, { role: 'payments:write' });
 * await http.post('http://payment/payments', { amount: 5 });
 */
export function withServiceToken(http: HttpClient, tokens: ServiceTokens, options: ServiceTokenClientOptions): RequestMethods {
  return new TokenClient(http, tokens, options);
}

class TokenClient extends AxiosVerbs implements RequestMethods {
  private readonly service: string;
  private readonly role: string;
  private readonly refreshBefore: number;
  private token: { value: string; exp: number } | undefined;
  private signing: Promise<string> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly tokens: ServiceTokens,
    options: ServiceTokenClientOptions,
  ) {
    super();
    this.service = options.service ?? http.from;
    if (typeof options.role !== 'string' || options.role === '') throw new InvalidOptionError('withServiceToken', 'role', 'a non-empty string', options.role);
    this.role = options.role;
    this.refreshBefore = options.refreshBeforeSeconds === undefined ? 30 : nonNegative('withServiceToken', 'refreshBeforeSeconds', options.refreshBeforeSeconds);
  }

  /** A token with more than `refreshBefore` seconds to live, signing one when needed. */
  private currentToken(): Promise<string> {
    if (this.token !== undefined && this.token.exp - this.tokens.nowSeconds() > this.refreshBefore) return Promise.resolve(this.token.value);
    if (this.signing === undefined) {
      const exp = this.tokens.nowSeconds() + this.tokens.ttlSeconds;
      this.signing = this.tokens.sign({ service: this.service, role: this.role }).then(
        (value) => {
          this.token = { value, exp };
          this.signing = undefined;
          return value;
        },
        (error: unknown) => {
          this.signing = undefined;
          throw error;
        },
      );
    }
    return this.signing;
  }

  async request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    const token = await this.currentToken();
    return this.http.request<T>({ ...config, headers: { ...config.headers, Authorization: `Bearer ${token}` } });
  }
}
