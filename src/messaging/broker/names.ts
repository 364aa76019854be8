import type { Rng } from '../../sim/rng.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Names the broker makes up, as RabbitMQ makes them (`amq.gen-…`, `amq.ctag-…`), from the world's seeded generator. */
export class BrokerNames {
  constructor(private readonly rng: Rng) {}

  /** A server-named queue, e.g. `amq.gen-JzTY20BRgKO-HjmUJj0wLg`. */
  queueName(): string {
    return `amq.gen-${this.base64url(22)}`;
  }

  /** A consumer tag the client did not choose, e.g. `amq.ctag-…`. */
  consumerTag(): string {
    return `amq.ctag-${this.base64url(22)}`;
  }

  private base64url(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += ALPHABET[this.rng.nextUint32() & 63];
    return s;
  }
}
