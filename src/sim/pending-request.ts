import { HttpCanceledError, HttpConnectionError, HttpTimeoutError, type HttpRequestConfig, type HttpResponse } from './http-errors.js';
import type { TimerHandle } from './scheduler.js';
import type { TraceRecorder } from './trace.js';

/** What a {@link PendingRequest} is made of. */
export interface PendingRequestInit {
  /** Where its end (refused, timed out, canceled) is recorded. */
  trace: TraceRecorder;
  /** Id of the request in the trace. */
  id: string;
  /** Seq of its `http.request` trace event: the cause of every event that follows. */
  seq: number;
  /** Calling service. */
  from: string;
  /** Called service (empty when the URL named none). */
  to: string;
  method: string;
  path: string;
  correlationId: string;
  /** Virtual time at which it was sent. */
  startedAt: number;
  config: HttpRequestConfig;
  resolve: (r: HttpResponse) => void;
  reject: (e: Error) => void;
}

/** Why a connection was refused, and the error code the client sees. */
export type Refusal =
  | { reason: 'unknown-service' | 'no-route'; code: 'ENOTFOUND' }
  | { reason: 'down'; code: 'ECONNREFUSED' };

/**
 * One request in flight, from the client's side: it settles once (answer,
 * refusal, timeout or cancel), and every later outcome is ignored.
 */
export class PendingRequest {
  settled = false;
  /** The client's timeout, while it runs. */
  timer: TimerHandle | undefined;
  /** The caller's signal and the listener on it, removed when the request settles. */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  readonly id: string;
  readonly seq: number;
  readonly from: string;
  readonly to: string;
  readonly method: string;
  readonly path: string;
  readonly correlationId: string;
  readonly startedAt: number;
  readonly config: HttpRequestConfig;
  readonly resolve: (r: HttpResponse) => void;
  readonly reject: (e: Error) => void;
  private readonly trace: TraceRecorder;

  constructor(init: PendingRequestInit) {
    this.trace = init.trace;
    this.id = init.id;
    this.seq = init.seq;
    this.from = init.from;
    this.to = init.to;
    this.method = init.method;
    this.path = init.path;
    this.correlationId = init.correlationId;
    this.startedAt = init.startedAt;
    this.config = init.config;
    this.resolve = init.resolve;
    this.reject = init.reject;
  }

  /** Settles the request once; later outcomes are ignored. */
  fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.reject(error);
  }

  /** Marks it settled and stops listening for its timeout and its signal. */
  settle(): void {
    this.settled = true;
    this.timer?.cancel();
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort);
  }

  /** No connection: the service is unknown or down, or the URL named none. */
  refuse(refusal: Refusal, message: string): void {
    if (this.settled) return;
    const { reason, code } = refusal;
    this.trace.record('http.refused', { source: this.from, target: this.to || '?', correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path, reason, code });
    this.fail(new HttpConnectionError(message, code, this.config, this.id));
  }

  /** The client's timeout fired before an answer came. */
  timeout(): void {
    if (this.settled) return;
    const ms = this.config.timeout!;
    this.trace.record('http.timeout', { source: this.from, target: this.to, correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path, timeoutMs: ms });
    this.fail(new HttpTimeoutError(this.config, this.id, ms));
  }

  /** The caller's signal aborted. */
  cancel(): void {
    if (this.settled) return;
    this.trace.record('http.canceled', { source: this.from, target: this.to, correlationId: this.correlationId, causationId: this.seq, requestId: this.id, method: this.method, path: this.path });
    this.fail(new HttpCanceledError(this.config, this.id));
  }
}
