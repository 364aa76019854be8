/**
 * The programs the pool bench runs to measure the kernel inside a sandbox
 * Worker, the same text in Chromium and in Node.
 */

/** Events of the hop-bound kernel figure. */
export const KERNEL_EVENTS = 200_000;

/**
 * 64 chains of timers, each callback scheduling the next (as
 * bench/kernel.bench.ts does with the scheduler directly): every callback is
 * user code, so the kernel pays one real-task hop per event.
 */
export const KERNEL_PROGRAM = `let count = 0;
const tick = () => { if (++count < ${KERNEL_EVENTS}) setTimeout(tick, 1 + (count % 7)); };
for (let i = 0; i < 64; i++) setTimeout(tick, i);
export default function main() { return 'scheduled'; }
`;

/**
 * The floor under that figure: bare real-task hops in a Worker of its own,
 * awaited one after another, through `scheduler.postTask` (the hop the kernel
 * uses in a browser Worker) or a `MessageChannel` (the fallback). A classic
 * Worker script that posts its hops per second.
 */
export function bareHopsWorker(kind: 'postTask' | 'channel', hops: number): string {
  const hop =
    kind === 'postTask'
      ? 'const hop = () => scheduler.postTask(() => undefined);'
      : 'const ch = new MessageChannel(); let wake = () => undefined; ch.port1.onmessage = () => wake(); const hop = () => new Promise((r) => { wake = r; ch.port2.postMessage(0); });';
  return `${hop}
(async () => {
  for (let i = 0; i < 1000; i++) await hop();
  const t0 = performance.now();
  for (let i = 0; i < ${hops}; i++) await hop();
  postMessage((${hops} / (performance.now() - t0)) * 1000);
})();`;
}
