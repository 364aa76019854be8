/**
 * A channel's requests to the broker, one at a time as AMQP requires: each
 * waits for the previous one's reply. A request that makes the broker close
 * the channel fails with the broker's reason; the ones queued behind it fail
 * when the channel closes.
 */
import { BrokerClose, type MethodName } from './amqp-errors.js';
import type { BrokerChannelState } from './broker/broker-state.js';
import type { BrokerEndpoint } from './broker/endpoint.js';
import type { Link } from './link.js';

/** One request: `run` executes at the broker, `onReply` turns its result into what the caller gets. */
export interface RpcCall {
  method: MethodName;
  run: () => unknown;
  onReply?: (result: unknown) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** The requests of one channel: the one in flight and those waiting behind it. */
export class ChannelRpc {
  private inflight: RpcCall | undefined;
  private waiting: RpcCall[] = [];

  constructor(
    private readonly broker: BrokerEndpoint,
    private readonly link: Link,
    /** The broker's side of the channel (known once the channel is open). */
    private readonly channelAtBroker: () => BrokerChannelState,
    /** True while replies may still be delivered. */
    private readonly usable: () => boolean,
  ) {}

  /** Sends a request now, or after the ones before it have their replies. */
  call<T>(method: MethodName, run: () => T, onReply?: (result: unknown) => unknown): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const call: RpcCall = { method, run, resolve: resolve as (v: unknown) => void, reject };
      if (onReply) call.onReply = onReply;
      if (this.inflight) this.waiting.push(call);
      else this.send(call);
    });
  }

  /** Takes the request in flight, if any (the broker closed the channel or its connection while it was out). */
  takeInflight(): RpcCall | undefined {
    const call = this.inflight;
    this.inflight = undefined;
    return call;
  }

  /** Puts a request back at the front of the line (it did not cause the close and fails with the others). */
  putBack(call: RpcCall): void {
    this.waiting.unshift(call);
  }

  /** The channel closed: every request still out or waiting fails. */
  failAll(error: () => Error): void {
    if (this.inflight) this.inflight.reject(error());
    this.inflight = undefined;
    for (const c of this.waiting) c.reject(error());
    this.waiting = [];
  }

  private send(call: RpcCall): void {
    this.inflight = call;
    this.link.toBroker(() => {
      const bch = this.channelAtBroker();
      if (!bch.open) return; // the broker closed this channel; its close frame is on the way
      let result: unknown;
      try {
        result = call.run();
      } catch (e) {
        if (e instanceof BrokerClose) {
          this.broker.fail(bch, e);
          this.broker.runDeferred();
          return;
        }
        throw e;
      }
      this.link.toClient(() => this.reply(call, result));
      this.broker.runDeferred();
    });
  }

  private reply(call: RpcCall, result: unknown): void {
    if (this.inflight !== call || !this.usable()) return;
    this.inflight = undefined;
    let value = result;
    try {
      if (call.onReply) value = call.onReply(result);
      call.resolve(value);
    } catch (e) {
      call.reject(e);
    }
    const next = this.waiting.shift();
    if (next) this.send(next);
  }
}
