/** What a client sees from a request that got an answer. */
export interface HttpResponse<T = unknown> {
  status: number;
  statusText: string;
  data: T;
  headers: Record<string, string>;
  /** The request's configuration, as in axios. */
  config: HttpRequestConfig;
  /** Id of the request in the trace. */
  requestId: string;
}

/** Per-request options, axios-shaped. */
export interface HttpRequestConfig {
  method?: string;
  url?: string;
  data?: unknown;
  headers?: Record<string, string>;
  /** Milliseconds of virtual time to wait for the response; 0 (the default) waits forever. */
  timeout?: number;
  /** Aborting rejects the request with {@link HttpCanceledError}. */
  signal?: AbortSignal;
  /** Which statuses resolve; default: 2xx. */
  validateStatus?: (status: number) => boolean;
}

/**
 * Base class of every failed simulated request. Shaped like an AxiosError:
 * `code`, `config`, `isAxiosError`, and `response` when the server answered.
 */
export class HttpError extends Error {
  readonly isAxiosError = true;
  constructor(
    message: string,
    readonly code: string,
    readonly config: HttpRequestConfig,
    readonly requestId: string,
    readonly response?: HttpResponse,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The server answered with a status that `validateStatus` rejects (by default: not 2xx). */
export class HttpStatusError extends HttpError {
  declare readonly response: HttpResponse;
  constructor(config: HttpRequestConfig, requestId: string, response: HttpResponse) {
    super(
      `Request failed with status code ${response.status}`,
      response.status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
      config,
      requestId,
      response,
    );
    this.name = 'HttpStatusError';
  }
  /** The response status. */
  get status(): number {
    return this.response.status;
  }
}

/** No response within the client's timeout. The server may still be working on it. */
export class HttpTimeoutError extends HttpError {
  constructor(
    config: HttpRequestConfig,
    requestId: string,
    readonly timeoutMs: number,
  ) {
    super(`timeout of ${timeoutMs}ms exceeded`, 'ECONNABORTED', config, requestId);
    this.name = 'HttpTimeoutError';
  }
}

/** The request could not reach a server: unknown host (ENOTFOUND) or refused (ECONNREFUSED). */
export class HttpConnectionError extends HttpError {
  constructor(message: string, code: 'ENOTFOUND' | 'ECONNREFUSED', config: HttpRequestConfig, requestId: string) {
    super(message, code, config, requestId);
    this.name = 'HttpConnectionError';
  }
}

/** The caller aborted the request through its AbortSignal. */
export class HttpCanceledError extends HttpError {
  constructor(config: HttpRequestConfig, requestId: string) {
    super('canceled', 'ERR_CANCELED', config, requestId);
    this.name = 'HttpCanceledError';
  }
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase of an HTTP status. */
export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}
