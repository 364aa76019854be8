import type { VirtualScheduler } from '../sim/scheduler.js';

/** Work that happens when a frame arrives. */
export type Frame = () => void;

class Batch {
  readonly frames: Frame[] = [];
  ran = false;
  constructor(readonly time: number) {}
}

/**
 * The wire between one client connection and the broker: frames take the
 * broker latency to cross and arrive in the order they were sent (as over one
 * TCP connection). Frames that arrive at the same virtual time are handled in
 * one scheduler callback, as a socket read of several frames is in amqplib.
 * Frames towards the broker run as synchronous kernel bookkeeping; frames
 * towards the client may call user code, so they run as normal callbacks.
 */
export class Link {
  private lastUp = 0;
  private lastDown = 0;
  private up: Batch | undefined;
  private down: Batch | undefined;

  constructor(
    private readonly scheduler: VirtualScheduler,
    private readonly latency: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Sends a frame from the client to the broker; `extra` ms are added to its latency. */
  toBroker(frame: Frame, extra = 0): void {
    const t = Math.max(this.scheduler.now() + this.latency() + extra, this.lastUp);
    this.lastUp = t;
    const b = this.up;
    if (b !== undefined && !b.ran && b.time === t) {
      b.frames.push(frame);
      return;
    }
    const batch = new Batch(t);
    batch.frames.push(frame);
    this.up = batch;
    this.scheduler.at(t, () => this.run(batch), { sync: true });
  }

  /** Sends a frame from the broker to the client; `extra` ms are added to its latency. */
  toClient(frame: Frame, extra = 0): void {
    const t = Math.max(this.scheduler.now() + this.latency() + extra, this.lastDown);
    this.lastDown = t;
    const b = this.down;
    if (b !== undefined && !b.ran && b.time === t) {
      b.frames.push(frame);
      return;
    }
    const batch = new Batch(t);
    batch.frames.push(frame);
    this.down = batch;
    this.scheduler.at(t, () => this.run(batch));
  }

  private run(batch: Batch): void {
    batch.ran = true;
    const frames = batch.frames;
    for (let i = 0; i < frames.length; i++) {
      try {
        frames[i]!();
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
