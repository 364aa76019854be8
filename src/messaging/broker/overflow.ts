/**
 * Length limits of a queue (`x-max-length`, `x-max-length-bytes`) and what
 * `x-overflow` does about them. Only ready messages count: unacknowledged
 * ones are not in the queue any more.
 */
import type { QueueState } from './broker-state.js';

/**
 * True when `reject-publish` / `reject-publish-dlx` refuses a message of
 * `size` bytes at the door: a classic queue refuses the message that would
 * take it over a limit (even when a consumer waits), a quorum queue only once
 * it is over already (RabbitMQ 3.10 checks after the fact, so it lets the
 * queue go one over).
 */
export function refusesPublish(q: QueueState, size: number): boolean {
  const { overflow, maxLength, maxLengthBytes } = q.args;
  if (overflow === 'drop-head') return false;
  const ready = q.ready;
  if (q.args.type === 'quorum') return (maxLength !== undefined && ready.length > maxLength) || (maxLengthBytes !== undefined && ready.bytes > maxLengthBytes);
  return (maxLength !== undefined && ready.length >= maxLength) || (maxLengthBytes !== undefined && ready.bytes + size > maxLengthBytes);
}

/** True while a drop-head queue holds more than its limits allow (its head then goes). */
export function overLimit(q: QueueState): boolean {
  const { overflow, maxLength, maxLengthBytes } = q.args;
  if (overflow !== 'drop-head') return false;
  return (maxLength !== undefined && q.ready.length > maxLength) || (maxLengthBytes !== undefined && q.ready.bytes > maxLengthBytes);
}
