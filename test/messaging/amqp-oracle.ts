/**
 * Helpers for the tests that hold the in-memory broker to what a real
 * RabbitMQ 3.10.8 did (amqp-options.test.ts, rabbitmq-features.test.ts): open
 * channels whose errors are collected, and spell errors exactly as amqplib
 * reports them.
 */
import { Buffer, connect, type Channel, type ConfirmChannel, type Connection, type Options } from '../../src/messaging/index.js';
import type { World } from '../../src/sim/index.js';

/** amqplib 2.3.1 also takes these `assertQueue` options (api_args.js maps them to x-overflow and x-queue-mode). */
export type QueueOptions = Options.AssertQueue & { overflow?: string; queueMode?: string };

/** A channel on its own connection, with the messages of its 'error' events. */
export interface Opened<C extends Channel> {
  conn: Connection;
  ch: C;
  errors: string[];
}

async function opened<C extends Channel>(w: World, service: string, create: (conn: Connection) => Promise<C>): Promise<Opened<C>> {
  const conn = await connect(w, service);
  const ch = await create(conn);
  const errors: string[] = [];
  ch.on('error', (e: Error) => errors.push(e.message));
  return { conn, ch, errors };
}

/** A channel on a fresh connection of `service`, its errors collected (so they do not take the connection down). */
export function open(w: World, service = 'svc'): Promise<Opened<Channel>> {
  return opened(w, service, (conn) => conn.createChannel());
}

/** Same as {@link open}, with publisher confirms. */
export function openConfirm(w: World, service = 'svc'): Promise<Opened<ConfirmChannel>> {
  return opened(w, service, (conn) => conn.createConfirmChannel());
}

/** How a call ended: 'ok', or the code and message it was rejected with. */
export type Outcome = 'ok' | { code: number | undefined; message: string };

/** Waits for `p` and says how it ended. */
export async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    const err = e as Error & { code?: number };
    return { code: err.code, message: err.message };
  }
}

const CODE_NAMES: Record<number, string> = { 403: 'ACCESS-REFUSED', 404: 'NOT-FOUND', 405: 'RESOURCE-LOCKED', 406: 'PRECONDITION-FAILED', 530: 'NOT-ALLOWED' };

/** What amqplib rejects a call with when that call made the broker close the channel. */
export function failed(method: string, code: number, text: string): { code: number; message: string } {
  return { code, message: `Operation failed: ${method}; ${code} (${CODE_NAMES[code]}) with message "${text}"` };
}

/** A QueueDeclare refused with 406; `text` comes after `PRECONDITION_FAILED - `. */
export function declareFailed(text: string): { code: number; message: string } {
  return failed('QueueDeclare', 406, `PRECONDITION_FAILED - ${text}`);
}

/** What amqplib emits as the channel's 'error' when the broker closes it. */
export function closedByServer(code: number, text: string): string {
  return `Channel closed by server: ${code} (${CODE_NAMES[code]}) with message "${text}"`;
}

/** The message a `get` returned; fails the test when the queue had none. */
export function taken<M>(m: M | false): M {
  if (m === false) throw new Error('expected a message, but the queue had none ready');
  return m;
}

/** Takes every ready message of `queue` (auto-ack) and returns their contents. */
export async function drain(ch: Channel, queue: string): Promise<string[]> {
  const out: string[] = [];
  for (let m = await ch.get(queue, { noAck: true }); m; m = await ch.get(queue, { noAck: true })) out.push(m.content.toString());
  return out;
}

/** Publishes `contents` to `queue` on a confirm channel and records each confirm as `<content>:ack` or `<content>:nack`. */
export function sendAll(ch: ConfirmChannel, queue: string, contents: readonly string[], confirms: string[]): void {
  for (const c of contents) ch.sendToQueue(queue, Buffer.from(c), {}, (err) => confirms.push(`${c}:${err ? 'nack' : 'ack'}`));
}
