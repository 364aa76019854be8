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
 * The floor under that figure in a browser Worker: as many bare real-task hops
 * (`scheduler.postTask`, the hop the kernel uses there, which a run leaves
 * unbound), awaited one after another by top-level code.
 */
export const BARE_HOPS_PROGRAM = `const sched = (globalThis as any).scheduler;
for (let i = 0; i < ${KERNEL_EVENTS}; i++) await sched.postTask(() => undefined);
export default function main() { return ${KERNEL_EVENTS}; }
`;
