import { patternIndexEntry } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { DOCS } from './docs-links.js';

/** Doing things once: idempotency keys for requests, deduplication for messages. */
export const IDEMPOTENCY_PATTERNS: readonly PatternEntry[] = [
  {
    ...patternIndexEntry('idempotency-key'),
    aliases: ['Idempotency-Key header', 'safe retry', 'exactly once effect', 'request id', 'double charge'],
    summary: 'The client sends the same key with every attempt of one operation; the server does the work for the first and replays its answer for the rest.',
    problem: `After a timeout the client cannot tell whether the server did the work. Retrying may do it twice (two charges); not retrying may not do it at all. An idempotency key makes the retry safe: the server recognises a repeat and returns the first outcome instead of acting again. It prevents **duplicate side effects** from retries, double clicks and resubmitted forms.`,
    how: `The client makes one key per logical operation (a UUID, or a business id such as \`charge:order-42\`) and sends it in an \`Idempotency-Key\` header on every attempt. The server stores the key with a fingerprint of the request and, once done, the response. A repeat with the same key and body gets the stored response; with a different body, an error (422); while the first is still running, a wait or a 409.

Store the key and the effect **atomically** (same transaction), and do not keep keys of attempts that failed on the server's side, so they can be retried.`,
    useWhen: [
      'Any non-idempotent request that may be retried: payments, orders, emails.',
      'Steps of a saga, which an orchestrator may repeat after a crash.',
    ],
    avoidWhen: [
      'Naturally idempotent operations (`PUT` of a whole resource, `DELETE` by id): they need no key.',
      'A new key per attempt: that defeats the purpose.',
    ],
    parameters: [
      {
        name: 'Key retention',
        start: '24 hours (longer than any client retries).',
        tradeOff: 'Longer protects late retries and costs storage; shorter forgets keys a slow client may still reuse.',
      },
      {
        name: 'Scope of a key',
        start: 'Per caller and endpoint.',
        tradeOff: 'A global scope lets two callers collide on the same key; a narrow one is safe.',
      },
      {
        name: 'Concurrent duplicate',
        start: 'Wait for the first attempt (bounded) and replay its answer.',
        tradeOff: 'Waiting gives the client the real answer; answering 409 at once is simpler and makes the client retry.',
      },
    ],
    mistakes: [
      {
        text: 'Retrying a timed-out payment without a key: the first attempt succeeded late, and the retry charges again.',
        example: 'idempotency',
        exercise: 'idempotency-key',
      },
      {
        text: 'Storing a key only when its answer is ready: a retry that overtakes its slow first attempt looks the key up while the first is still charging, finds nothing and charges again. Record the key as running in the same step as the lookup, before any await, and let a repeat wait for the first answer.',
        example: 'idempotency',
        exercise: 'overtaking-retry',
        cheat: 'mark-after-charge',
      },
      {
        text: 'Deduplicating messages by a fresh id per copy: a second cancellation has its own id, so the guard lets it through. Decide on the business state too.',
        example: 'durable-consumers',
        exercise: 'order-state',
      },
    ],
    libraries: [
      { library: 'polly', spelling: 'No idempotency support: a retry strategy repeats the call as it is, so the key must be created once, outside the pipeline, and sent on every attempt.', docs: DOCS.pollyRetry },
      { library: 'cockatiel', spelling: 'The same: create the key before `retry(…).execute(({ attempt }) => …)`, not inside it.', docs: DOCS.cockatielRetry },
    ],
    playground: `\`idempotencyKeys({ header, required, concurrent, maxWaitMs, storeServerErrors, scope, store })\` is middleware for a service route. Defaults: header \`idempotency-key\`, keys kept 24 h, requests without a key pass unprotected (\`required: false\`), a concurrent duplicate waits up to 10 s for the first and gets its answer (\`concurrent: 'wait'\`), a 5xx is not stored so the retry runs again, scope caller + method + path. A key is recorded as running in the same step as its lookup, before the route runs, so a retry that overtakes its first attempt waits for it instead of charging again. A replayed answer carries \`idempotent-replayed: true\`; a reused key with another body gets 422.`,
    related: ['deduplication', 'retry-backoff-jitter', 'orchestration-saga'],
  },
  {
    ...patternIndexEntry('deduplication'),
    aliases: ['idempotent consumer', 'inbox', 'processed messages table', 'at-least-once', 'redelivery', 'message id'],
    summary: 'A consumer remembers which messages it has handled, in the same transaction as their effect, and acknowledges repeats without acting again.',
    problem: `Brokers deliver **at least once**: a consumer that crashes after doing the work but before its ack gets the message again, and an outbox relay republishes after a crash. Without deduplication every redelivery repeats the effect: stock reserved twice, a renewal charged twice.`,
    how: `Each message carries a stable id (the event id, \`messageId\`). Before handling it, the consumer checks a table of handled ids; a known id is acknowledged and skipped. Otherwise it does the work and inserts the id **in the same transaction** as the work, then acks. If it crashes before the commit, neither happened and the redelivery is processed; after the commit, the redelivery is skipped.

Where the effect is outside your database (an email, a payment API), pass the message id on as an idempotency key instead.`,
    useWhen: [
      'Every consumer of an at-least-once broker whose effect is not naturally idempotent.',
      'Consumers behind an outbox relay.',
    ],
    avoidWhen: [
      'Effects that are idempotent already (setting a status to a value, upserting by key).',
      'As the only guard against business duplicates (two distinct cancellations): those have different ids; check the entity\'s state.',
    ],
    parameters: [
      {
        name: 'How long ids are remembered',
        start: 'Longer than the longest redelivery (days), or for ever for low volumes.',
        tradeOff: 'Longer catches late duplicates and grows the table; a short TTL lets a late redelivery through.',
      },
      {
        name: 'Where the table lives',
        start: 'In the same database as the effect, written in the same transaction.',
        tradeOff: 'Anywhere else (memory, another store) reopens the gap between effect and record: a crash in between duplicates again.',
      },
    ],
    mistakes: [
      {
        text: 'Charging a redelivered renewal again: the consumer crashed after charging and before its ack.',
        example: 'idempotency',
        exercise: 'deduplicate',
      },
      {
        text: 'Keeping the handled ids apart from the effect: the crash between the database commit and the ack reserves the stock twice. Write both in one transaction.',
        example: 'durable-consumers',
        exercise: 'handled-events',
      },
      {
        text: 'Shipping every copy the outbox relay publishes: a relay crash between confirm and mark publishes the event again.',
        example: 'publisher-reliability',
        exercise: 'relay-duplicates',
      },
      {
        text: 'Charging for every delivered copy of an event in a choreography.',
        example: 'choreography-saga',
        exercise: 'idempotent-payment',
      },
      {
        text: 'Marking a message handled only after an await: a copy delivered alongside the first (with a prefetch above 1) checks before the first has recorded anything, and acts again. Claim the id before the first await; the playground\'s `deduplicate` does, and a copy that arrives while the first is running waits for its outcome.',
        example: 'choreography-saga',
        exercise: 'copies-everywhere',
        cheat: 'remember-after-publish',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: 'Publish with a `messageId` (`publish(ex, key, content, { messageId })`); the consumer reads `msg.properties.messageId`, and `msg.fields.redelivered` says the broker delivered it before (a hint only: a first delivery can also be a duplicate).', docs: DOCS.amqplib },
      { library: 'rabbitmq', spelling: 'Consumer acknowledgements: messages unacknowledged when a channel or connection closes are requeued and delivered again, flagged `redelivered`.', docs: DOCS.rabbitConfirms },
      { library: 'eventstoredb', spelling: 'Persistent subscriptions redeliver events that were not acked; catch-up subscriptions resume from the checkpoint you stored, so store it with the read model.', docs: DOCS.esdbSubscriptions },
    ],
    playground: `\`deduplicate(handler, { key, store, onDuplicate })\` wraps a message handler: an id is recorded only after the handler succeeded, and a duplicate that arrives while the first copy is still running waits for it. The default \`MemoryProcessedStore\` keeps ids without limit (options \`ttlMs\`, \`maxEntries\`); give it a durable store to survive restarts. The event bus's \`subscribe(…, { idempotent: true })\` does the same by \`eventId\`.`,
    related: ['idempotency-key', 'work-queue', 'outbox', 'publish-subscribe'],
  },
];
