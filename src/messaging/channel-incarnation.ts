/**
 * Which incarnation of its owning process a client channel is in. When the
 * process crashes (a crash-before-ack fault) or the broker restarts, the
 * channel reconnects as a new incarnation: acknowledgements for deliveries of
 * an earlier one are lost with it, as they would be with a real connection.
 */
import type { TraceRecorder } from '../sim/trace.js';
import type { Message } from './amqp-types.js';
import type { AckFrame } from './broker/endpoint.js';

/** A delivery picked by a crash-before-ack fault: its process dies right after the handler. */
interface Doomed {
  messageId: string;
  queue: string;
  /** Its ack (or nack) was sent, and is lost with the process. */
  swallowed: boolean;
}

/** The incarnation of a channel and the deliveries whose acknowledgements it would lose. */
export class ChannelIncarnation {
  /** Bumped when the owning process crashes or the broker restarts; frames carry it. */
  epoch = 0;
  /** Highest delivery tag handed to user code so far. */
  private maxTagSeen = 0;
  /** Deliveries up to this tag belong to an earlier incarnation: their acks are lost with it. */
  private staleUpTo = 0;
  /** Delivery tags marked by a crash-before-ack fault. */
  private readonly doomed = new Map<number, Doomed>();

  constructor(
    private readonly trace: TraceRecorder,
    /** The service owning the channel. */
    private readonly service: string,
  ) {}

  /** A delivery reached user code; `doomed` when a crash-before-ack fault picked it. */
  received(deliveryTag: number, doomed?: { messageId: string; queue: string }): void {
    if (deliveryTag > this.maxTagSeen) this.maxTagSeen = deliveryTag;
    if (doomed) this.doomed.set(deliveryTag, { ...doomed, swallowed: false });
  }

  /**
   * True when an ack/nack must not reach the broker: it answers a delivery of
   * an earlier incarnation (the process crashed since), or a delivery whose
   * handler is about to crash (crash-before-ack fault).
   */
  swallowed(message: Message | undefined, frame: AckFrame, what: string): boolean {
    const tag = frame.deliveryTag;
    if (message !== undefined && tag <= this.staleUpTo) {
      this.trace.record('fault', {
        source: this.service,
        target: 'broker',
        fault: 'ack-lost',
        detail: `${what} of delivery ${tag} lost: the process that received it crashed before acknowledging; the message was requeued`,
      });
      return true;
    }
    if (this.doomed.size === 0) return false;
    let hit = false;
    for (const [t, d] of this.doomed) {
      if (t === tag || (frame.multiple && (tag === 0 || t <= tag))) {
        d.swallowed = true;
        hit = true;
      }
    }
    return hit;
  }

  /**
   * The handler of a doomed delivery finished: the process dies now, before
   * its ack leaves. Returns the incarnation the channel reconnects as, or
   * undefined when the delivery was not doomed (or belongs to an older incarnation).
   */
  crashAfterHandler(deliveryTag: number, epoch: number): number | undefined {
    const d = this.doomed.get(deliveryTag);
    if (d === undefined || epoch !== this.epoch) return undefined;
    this.doomed.clear();
    this.trace.record('fault', {
      source: this.service,
      target: d.queue,
      queue: d.queue,
      fault: 'crash-before-ack',
      detail: `${this.service} crashed after handling delivery ${deliveryTag} from '${d.queue}'${d.swallowed ? ', before its ack reached the broker' : ' (it had not acked)'}; it reconnects and its unacked messages are redelivered`,
      messageId: d.messageId,
    });
    this.epoch++;
    this.staleUpTo = this.maxTagSeen;
    return this.epoch;
  }

  /** The channel reconnected as incarnation `epoch` (broker restart, crash): older deliveries are void. */
  reincarnated(epoch: number): void {
    if (epoch > this.epoch) {
      this.epoch = epoch;
      this.staleUpTo = this.maxTagSeen;
      this.doomed.clear();
    }
  }

  /** The channel closed: no crash is pending any more. */
  closed(): void {
    this.doomed.clear();
  }
}
