import type { TranspileResult } from '../transpiler/transpile.js';
import type { SandboxFrame } from './sandbox-frame.js';

/** What happened to the sandbox under a pool's Workers. */
export type PoolHostEvent =
  /** The frame was removed (a stuck run of `run()` was killed, say): its Workers are gone with it. */
  | { kind: 'frame-lost'; frame: SandboxFrame }
  /** A pool Worker failed outside any run. */
  | { kind: 'worker-failed'; workerId: string; message: string }
  /** The sandbox was disposed for good. */
  | { kind: 'disposed' };

/** A pool Worker as the frame started it: its id there, and the page's end of its port. */
export interface StartedWorker {
  id: string;
  port: MessagePort;
}

/**
 * What a run pool needs from its sandbox (see `createSandbox`): the warm
 * frame, the transpiler, and Workers started and ended inside the frame. The
 * pool shares the sandbox's one iframe with `run()`.
 */
export interface PoolHost {
  /** The sandbox's current frame once it is ready; rejects with the reason it cannot start. */
  frame(): Promise<SandboxFrame>;
  /** Transpiles the user's code for `frame` (whose runtime URL its `'playground'` import points at). Rejects only if the transpiler cannot work. */
  transpile(code: string, frame: SandboxFrame): Promise<TranspileResult>;
  /** Starts a Worker in `frame` that loads the runtime; rejects when the frame goes away or does not answer. */
  startWorker(frame: SandboxFrame): Promise<StartedWorker>;
  /** Ends a pool Worker at once, busy or not. */
  endWorker(frame: SandboxFrame, workerId: string): void;
  /** Calls `listener` for every {@link PoolHostEvent}; returns the function that stops it. */
  subscribe(listener: (event: PoolHostEvent) => void): () => void;
}
