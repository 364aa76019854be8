import type { HttpRequestConfig, HttpResponse } from './http-errors.js';

/** What an {@link HttpClient} sends its requests through: the simulated network. */
export interface RequestSender {
  /** Sends one request from service `from`. */
  send(from: string, config: HttpRequestConfig): Promise<HttpResponse>;
}

/**
 * The axios verbs (`get`, `post`, …) over one `request` method. Every
 * axios-shaped client here extends it and only says how a request is sent.
 */
export abstract class AxiosVerbs {
  /** Sends a request described by `config`. */
  abstract request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>>;
  get<T = any>(url: string, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'GET', url });
  }
  delete<T = any>(url: string, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'DELETE', url });
  }
  post<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'POST', url, data });
  }
  put<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'PUT', url, data });
  }
  patch<T = any>(url: string, data?: unknown, config: HttpRequestConfig = {}): Promise<HttpResponse<T>> {
    return this.request<T>({ ...config, method: 'PATCH', url, data });
  }
}

/**
 * An axios-shaped HTTP client bound to a calling service.
 *
 * @example
 * const res = await http.post('http://payment/payments', { amount: 5 }, { timeout: 5000 });
 * res.status; // 201
 */
export class HttpClient extends AxiosVerbs {
  constructor(
    private readonly network: RequestSender,
    /** Name of the calling service. */
    readonly from: string,
  ) {
    super();
  }

  /** Sends a request described by `config`. */
  request<T = any>(config: HttpRequestConfig): Promise<HttpResponse<T>> {
    return this.network.send(this.from, config) as Promise<HttpResponse<T>>;
  }
}
