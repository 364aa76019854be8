/**
 * Errors of the simulated broker, worded and numbered as RabbitMQ and amqplib
 * word and number them, so that what a learner reads here is what they would
 * read against a real broker.
 */

/** AMQP 0-9-1 reply codes the broker uses. */
export const ReplyCode = {
  NO_ROUTE: 312,
  ACCESS_REFUSED: 403,
  NOT_FOUND: 404,
  RESOURCE_LOCKED: 405,
  PRECONDITION_FAILED: 406,
  CONNECTION_FORCED: 320,
  NOT_ALLOWED: 530,
  COMMAND_INVALID: 503,
  INTERNAL_ERROR: 541,
} as const;

/** One of the {@link ReplyCode} values. */
export type ReplyCodeValue = (typeof ReplyCode)[keyof typeof ReplyCode];

const CODE_NAMES: Record<number, string> = {
  312: 'NO-ROUTE',
  320: 'CONNECTION-FORCED',
  403: 'ACCESS-REFUSED',
  404: 'NOT-FOUND',
  405: 'RESOURCE-LOCKED',
  406: 'PRECONDITION-FAILED',
  503: 'COMMAND-INVALID',
  530: 'NOT-ALLOWED',
  541: 'INTERNAL-ERROR',
};

/** AMQP methods, with their class and method ids (as amqplib names them). */
export const Method = {
  ChannelOpen: [20, 10],
  ChannelClose: [20, 40],
  ExchangeDeclare: [40, 10],
  ExchangeDelete: [40, 20],
  ExchangeBind: [40, 30],
  ExchangeUnbind: [40, 40],
  QueueDeclare: [50, 10],
  QueueBind: [50, 20],
  QueuePurge: [50, 30],
  QueueDelete: [50, 40],
  QueueUnbind: [50, 50],
  BasicQos: [60, 10],
  BasicConsume: [60, 20],
  BasicCancel: [60, 30],
  BasicPublish: [60, 40],
  BasicGet: [60, 70],
  BasicAck: [60, 80],
  BasicReject: [60, 90],
  BasicRecover: [60, 110],
  BasicNack: [60, 120],
  ConfirmSelect: [85, 10],
} as const satisfies Record<string, readonly [number, number]>;

/** Name of an AMQP method, e.g. `QueueDeclare`. */
export type MethodName = keyof typeof Method;

/**
 * What the broker says when it closes a channel or connection: a reply code
 * and a text like `NOT_FOUND - no queue 'orders' in vhost '/'`. Thrown inside
 * the broker; the client turns it into an {@link AmqpError}.
 */
export class BrokerClose {
  constructor(
    readonly code: ReplyCodeValue,
    readonly text: string,
    readonly method: MethodName,
    /** What RabbitMQ closes for this: the channel, or the whole connection. */
    readonly closes: 'channel' | 'connection' = 'channel',
  ) {}

  /** `404 (NOT-FOUND) with message "NOT_FOUND - …"`, as amqplib formats a close frame. */
  describe(): string {
    return `${this.code} (${CODE_NAMES[this.code] ?? 'UNKNOWN'}) with message "${this.text}"`;
  }
}

/**
 * A channel or connection was closed by the broker. `message` is worded as
 * amqplib words it (`Channel closed by server: 406 (PRECONDITION-FAILED) with
 * message "PRECONDITION_FAILED - unknown delivery tag 1"`, or `Operation
 * failed: QueueDeclare; 404 (NOT-FOUND) …` for the call that caused it);
 * `code`, `classId` and `methodId` are set as amqplib sets them.
 *
 * @example
 * try { await channel.checkQueue('missing'); }
 * catch (e) { if (e instanceof AmqpError && e.code === 404) console.log('no such queue'); }
 */
export class AmqpError extends Error {
  /** Reply code, e.g. 404 or 406. */
  readonly code: number;
  readonly classId: number;
  readonly methodId: number;
  /** The broker's own text, e.g. `NOT_FOUND - no queue 'x' in vhost '/'`. */
  readonly replyText: string;
  constructor(message: string, close: BrokerClose) {
    super(message);
    this.name = 'AmqpError';
    this.code = close.code;
    this.replyText = close.text;
    [this.classId, this.methodId] = Method[close.method];
  }
}

/**
 * An operation the client library refuses before anything is sent, e.g. using a
 * channel after it closed (`Channel closed`), as amqplib's `IllegalOperationError`.
 */
export class IllegalOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalOperationError';
  }
}

/** Error messages of RabbitMQ, in one place so that their wording stays exact. */
export const brokerText = {
  noQueue: (q: string) => `NOT_FOUND - no queue '${q}' in vhost '/'`,
  noExchange: (x: string) => `NOT_FOUND - no exchange '${x}' in vhost '/'`,
  unknownTag: (tag: number) => `PRECONDITION_FAILED - unknown delivery tag ${tag}`,
  inequivalent: (what: 'queue' | 'exchange', name: string, arg: string, received: string, current: string) =>
    `PRECONDITION_FAILED - inequivalent arg '${arg}' for ${what} '${name}' in vhost '/': received ${received} but current is ${current}`,
  reservedQueue: (q: string) => `ACCESS_REFUSED - queue name '${q}' contains reserved prefix 'amq.*'`,
  reservedExchange: (x: string) => `ACCESS_REFUSED - exchange name '${x}' contains reserved prefix 'amq.*'`,
  defaultExchange: () => `ACCESS_REFUSED - operation not permitted on the default exchange`,
  internalExchange: (x: string) => `ACCESS_REFUSED - cannot publish to internal exchange '${x}' in vhost '/'`,
  locked: (q: string) =>
    `RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${q}' in vhost '/'. It could be originally declared on another connection or the exclusive property value does not match that of the original declaration.`,
  exclusiveConsumer: (q: string) => `ACCESS_REFUSED - queue '${q}' in vhost '/' in exclusive use`,
  unknownType: (t: string) => `COMMAND_INVALID - unknown exchange type '${t}'`,
  inUse: (q: string) => `PRECONDITION_FAILED - queue '${q}' in vhost '/' in use`,
  notEmpty: (q: string) => `PRECONDITION_FAILED - queue '${q}' in vhost '/' not empty`,
  reuseTag: (tag: string) => `NOT_ALLOWED - attempt to reuse consumer tag '${tag}'`,
  badArgument: (arg: string, detail: string) => `PRECONDITION_FAILED - invalid arg '${arg}': ${detail}`,
};
