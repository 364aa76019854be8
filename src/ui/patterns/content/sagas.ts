import { patternIndexEntry } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { DOCS } from './docs-links.js';

/** Sagas: choreography and orchestration. */
export const SAGA_PATTERNS: readonly PatternEntry[] = [
  {
    ...patternIndexEntry('choreography-saga'),
    aliases: ['saga', 'compensation', 'compensating transaction', 'event choreography', 'distributed transaction'],
    summary: 'Each service does its step when it sees the previous step\'s event, and undoes it when it sees a failure event: no one is in charge.',
    problem: `An order touches several services (stock, payment, shipping), each with its own database: no transaction spans them. If payment fails after stock was reserved, something has to release the stock, or the order is left half done: money taken without goods, goods held for an order that will never ship, or an order \`pending\` for ever.

A saga replaces the one big transaction with local steps and **compensations**: every step that can be undone has an undo, and the saga either completes or compensates what it did.`,
    how: `Services react to each other's events. The order service publishes \`OrderCreated\`; inventory reserves stock and publishes \`StockReserved\` (or \`OutOfStock\`); payment charges and publishes \`PaymentCompleted\` (or \`PaymentFailed\`); the order service completes the order. A failure event is the signal to compensate: on \`PaymentFailed\`, inventory releases the stock and the order service cancels the order.

Every participant must handle redelivered and out-of-order events, and every failure event must have someone who reacts to it.`,
    useWhen: [
      'Few steps (two to four) and few services.',
      'Teams own their services and should not depend on a central coordinator.',
    ],
    avoidWhen: [
      'Many steps or branches: the flow exists only as the sum of every service\'s handlers, and nobody can see where an order is.',
      'You need timeouts on the whole flow or a single place to ask "what state is this order in": an orchestrator has that.',
    ],
    parameters: [
      {
        name: 'Which events end the saga',
        start: 'List every outcome (completed, and one cancellation per failure) and the service that records it.',
        tradeOff: 'Each new failure event needs a handler everywhere it matters; a missing one leaves sagas pending.',
      },
      {
        name: 'Timeout for a pending saga',
        start: 'A few times the normal end-to-end time; then cancel and compensate.',
        tradeOff: 'Short cancels slow but healthy orders; long leaves customers waiting on a lost event.',
      },
    ],
    mistakes: [
      {
        text: 'A failure event nobody handles: the payment is declined, and the order stays pending for ever.',
        example: 'choreography-saga',
        exercise: 'handle-payment-failed',
      },
      {
        text: 'Charging for every copy of an event: the broker delivers at least once, and a duplicate charges the customer twice.',
        example: 'choreography-saga',
        exercise: 'idempotent-payment',
      },
      {
        text: 'Guarding only the consumer whose copies you have seen: in production any queue may deliver a copy. A copy of `PaymentCompleted` makes the inventory publish a second `ItemsUnavailable` (a new event with a new id), and a refund that checks `refunded` before an await and sets it after refunds the order twice.',
        example: 'choreography-saga',
        exercise: 'copies-everywhere',
        cheat: 'guard-reservations-only',
      },
      {
        text: 'Compensating from the message alone: a second cancellation, or one that arrives before the reservation, releases stock that was never held. Decide by the order\'s state.',
        example: 'durable-consumers',
        exercise: 'order-state',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: 'No saga support: each participant is a consumer on its own queue (`bindQueue` to the event types it handles) that publishes its own events.', docs: DOCS.amqplib },
      { library: 'eventstoredb', spelling: 'Participants can follow event types with catch-up or persistent subscriptions instead of a broker queue.', docs: DOCS.esdbSubscriptions },
    ],
    playground: `\`sagaParticipant(service, { key, idempotent, queue, prefetch, onError })\` is a participant on the event bus: correlation by business key (default \`data.orderId\`), idempotent by event id by default, its own queue \`<service>.saga\`, \`prefetch\` 10. \`orderChoreography(…)\` wires the reference order saga. The Sagas view shows each order's steps, and the invariant checkers flag orders left pending or charged twice. The libraries in this reference have no saga support; frameworks such as Temporal or MassTransit do.`,
    related: ['orchestration-saga', 'publish-subscribe', 'deduplication', 'outbox'],
  },
  {
    ...patternIndexEntry('orchestration-saga'),
    aliases: ['saga', 'orchestrator', 'process manager', 'saga log', 'compensation', 'pivot step', 'workflow'],
    summary: 'One orchestrator calls each step in turn, logs its progress durably, and on failure runs the compensations of the completed steps, newest first.',
    problem: `The same problem as a choreography (no transaction across services), when the flow is long or has branches: scattering it over event handlers makes it impossible to see or change. And if the coordinator keeps its progress in memory, a crash halfway leaves the order stranded with the customer's money taken.

An orchestrator with a durable **saga log** makes the flow explicit and resumable.`,
    how: `The orchestrator runs the steps in order (reserve stock, charge, ship), writing each step's start and result to its saga log before moving on. When a step fails for good, it compensates **only the steps that completed, in reverse order**. Steps before the **pivot** (the go/no-go step, often the charge) are compensatable; steps after it must be retried until they succeed.

After a restart, it reads the log and resumes every unfinished saga: a step whose outcome is unknown is retried (if idempotent) or compensated. Every action and compensation is called with an idempotency key, because it may run more than once.`,
    useWhen: [
      'Long or branching flows, timeouts on the whole flow, a place to ask "where is this order".',
      'Steps that are requests to services (commands), not reactions to events.',
    ],
    avoidWhen: [
      'Two or three steps owned by independent teams: a choreography has fewer moving parts.',
      'When the orchestrator would grow into the place where all business logic lives: keep decisions in the services.',
    ],
    parameters: [
      {
        name: 'Per-step timeout',
        start: "A little above the participant's healthy latency; its outcome is then unknown.",
        tradeOff: 'Short timeouts make more outcomes unknown (retries and compensations of work that may have happened); long ones hold the saga up.',
      },
      {
        name: 'Attempts per step (before it counts as failed)',
        start: '3, with exponential backoff and jitter.',
        tradeOff: 'More attempts ride out blips; each one delays the compensation of a saga that will fail anyway.',
      },
      {
        name: 'Pivot step',
        start: 'The step that commits the business (usually the payment).',
        tradeOff: 'Steps after it cannot be undone, only retried: put there only what will eventually succeed.',
      },
    ],
    mistakes: [
      {
        text: 'Compensating every step, in the order they ran: the customer is refunded a charge that never happened, and stock that never left goes back on the shelf.',
        example: 'orchestration-saga',
        exercise: 'compensate-completed',
      },
      {
        text: 'Keeping saga progress in memory: a crash strands the order with the money taken. Log every step durably and resume on start.',
        example: 'orchestration-saga',
        exercise: 'resume-after-crash',
      },
      {
        text: 'Cancelling an order whose items are missing without refunding its charge: the order ends `cancelled` and the customer has paid for it. Compensate the completed steps (refund by the charge\'s key) before cancelling.',
        example: 'capstone',
        exercise: 'order-system',
        cheat: 'cancel-without-refund',
      },
    ],
    libraries: [
      { library: 'polly', spelling: 'No saga support; Polly policies (`AddRetry`, `AddTimeout`) are what an orchestrator wraps each step call in.', docs: DOCS.pollyRetry },
      { library: 'cockatiel', spelling: 'No saga support; `wrap(retry, timeout)` around each step call gives per-step retries and time limits.', docs: DOCS.cockatielRetry },
    ],
    playground: `\`sagaOrchestrator({ service, definition, log, backoff })\` runs a \`{ name, steps, pivot, stepTimeoutMs, maxAttempts }\` definition: each step has \`action\`, optional \`compensate\`, \`timeoutMs\`, \`maxAttempts\` and \`onInterrupt\` (\`'retry'\` or \`'compensate'\`). Defaults: 3 attempts for compensatable and pivot steps, no step timeout, backoff exponential from 100 ms to 5 s with full jitter, the pivot is the first step without a compensation. Each step gets an \`idempotencyKey\` that is the same on every attempt. Dedicated engines (Temporal, MassTransit's state machines, AWS Step Functions) do this in production; none of the libraries in this reference does.`,
    related: ['choreography-saga', 'idempotency-key', 'retry-backoff-jitter'],
  },
];
