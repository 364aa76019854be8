import { patternIndexEntry } from '../pattern-index.js';
import type { PatternEntry } from '../pattern-types.js';
import { DOCS } from './docs-links.js';

/** Messaging: the work queue, publish/subscribe, the event store, the outbox. */
export const MESSAGING_PATTERNS: readonly PatternEntry[] = [
  {
    ...patternIndexEntry('work-queue'),
    aliases: ['competing consumers', 'task queue', 'ack', 'nack', 'prefetch', 'dead-letter queue', 'DLQ', 'DLX', 'poison message', 'delivery limit', 'quorum queue'],
    summary: 'Put jobs on a durable queue; workers take them one at a time, acknowledge what they finished, and park what can never succeed.',
    problem: `A service that must do work for every request (send a mail, charge a card) cannot keep up with bursts, and loses the work when it crashes halfway. A durable queue keeps the jobs until a worker has **acknowledged** them: a crash means redelivery, not loss; a burst means a longer queue, not refused requests.

The failure to design for is the message that fails every time (a **poison message**): requeued, it loops for ever; dropped, it disappears without a trace. A dead-letter queue keeps it for a person or a repair job.`,
    how: `Producers publish persistent messages to a durable queue. Several consumers read from it; the broker hands each message to one of them (**competing consumers**), at most *prefetch* unacknowledged messages per consumer at a time. A consumer acks a message after finishing the work; it nacks it to give it back (\`requeue: true\`) or to reject it (\`requeue: false\`), which moves it to the queue's **dead-letter exchange** if it has one and drops it otherwise.

Retry what may pass (a 503, a timeout) a few times with a backoff; dead-letter what never will (bad data). A **quorum queue** can count redeliveries itself and dead-letter a message past its **delivery limit**, which also catches messages that crash the consumer.`,
    useWhen: [
      'Work that can be done later and by any of several identical workers.',
      'Smoothing bursts: the queue grows, the workers keep their pace.',
      'Work that must survive a crash of the worker.',
    ],
    avoidWhen: [
      'Several services must each see every message: that is publish/subscribe, one queue per subscriber.',
      'The caller needs the result now.',
      'Strict global ordering with several consumers: competing consumers process in parallel, and redeliveries reorder.',
    ],
    parameters: [
      {
        name: 'Prefetch (unacknowledged messages per consumer)',
        start: '10–50 for fast handlers; 1 for slow or uneven jobs.',
        tradeOff: 'Higher keeps a consumer busy over network round trips but lets one slow consumer sit on many messages; lower spreads work evenly at some throughput cost.',
      },
      {
        name: 'Retries before dead-lettering (or the delivery limit)',
        start: '3–5 attempts with a growing pause for transient errors; none for errors that can never pass.',
        tradeOff: 'More attempts ride out longer outages but delay the poison message, and the messages behind it, for longer.',
      },
      {
        name: 'Message and queue durability',
        start: 'Durable queue, persistent messages, publisher confirms.',
        tradeOff: 'Survives a broker restart at the cost of disk writes and latency.',
      },
    ],
    mistakes: [
      {
        text: 'Nacking without requeue on a queue without a dead-letter exchange: the broker drops the message, and an order confirmation is lost with nothing but a log line.',
        example: 'message-queue',
        exercise: 'dead-letter-queue',
      },
      {
        text: 'Dead-lettering transient failures: a 503 from the mail provider would have passed a moment later. Retry those with a backoff first.',
        example: 'message-queue',
        exercise: 'retry-transient',
      },
      {
        text: "Counting attempts in the consumer only: a message that crashes the consumer never reaches the catch. Let a quorum queue's delivery limit count, and redrive the dead letters after the fix.",
        example: 'message-queue',
        exercise: 'delivery-limit-redrive',
      },
      {
        text: 'Acknowledging after a side effect that is not recorded with it: a crash between the two redelivers the message and the work is done twice.',
        example: 'durable-consumers',
        exercise: 'handled-events',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: '`assertQueue(q, { durable: true, deadLetterExchange, arguments: { "x-queue-type": "quorum", "x-delivery-limit": 5 } })`, `prefetch(count)`, `consume(q, onMessage, { noAck: false })`, `ack(msg)`, `nack(msg, false, false)`. `nack` and `reject` requeue unless told otherwise.', docs: DOCS.amqplib },
      { library: 'rabbitmq', spelling: 'Manual acknowledgements and prefetch (`basic.qos`); messages of a closed channel are requeued.', docs: DOCS.rabbitConfirms },
      { library: 'rabbitmq', spelling: 'A rejected message (requeue false), an expired one, one over a length limit or one over the delivery limit goes to the dead-letter exchange, with an `x-death` header.', docs: DOCS.rabbitDlx },
      { library: 'rabbitmq', spelling: 'Quorum queues count returns in `x-delivery-count`; since RabbitMQ 4.0 they have a default `delivery-limit` of 20.', docs: DOCS.rabbitQuorumPoison },
    ],
    playground: `\`amqp.connect()\` gives an in-memory broker behind amqplib's channel API, checked against a real RabbitMQ 3.10 (requeue keeps the position, \`x-death\` headers, quorum \`x-delivery-limit\`). One difference from RabbitMQ 4: a quorum queue here has **no** delivery limit unless you declare one (RabbitMQ 4.0+ defaults to 20). The Queues view shows depths, redeliveries and dead letters.`,
    related: ['publish-subscribe', 'retry-backoff-jitter', 'deduplication'],
  },
  {
    ...patternIndexEntry('publish-subscribe'),
    aliases: ['pub/sub', 'event bus', 'topic exchange', 'fanout', 'events', 'subscriber', 'event notification'],
    summary: 'A service announces what happened; every interested service gets its own copy through its own queue.',
    problem: `When the order service calls inventory, payment and notification itself, it has to know all of them, waits for all of them, and fails when any is down. Publishing an \`OrderCreated\` event instead lets each of them react on its own, and new subscribers join without changing the publisher.

The failure to watch for is subscribers that share a queue: the broker then deals the events out among them like cards, and each service sees only some of the orders.`,
    how: `The publisher sends events to a topic (or fanout) exchange with a routing key such as the event type. Each subscribing service declares **its own durable queue**, bound to the keys it cares about, and consumes from it: every queue gets a copy of every matching event. Instances of the *same* service share that service's queue and compete for its messages.

Delivery is at least once: subscribers must tolerate duplicates ([deduplication](#/patterns/deduplication)) and should not depend on the order of events from different publishers.`,
    useWhen: [
      'Several services react to the same fact.',
      'The publisher should not know or wait for its consumers.',
      'Integrating services owned by different teams.',
    ],
    avoidWhen: [
      'You need an answer (use a call) or a command done exactly once by one service (use a work queue).',
      'A subscriber that joins later must see the past: a queue only holds what arrived after it was bound (read the past from an event store).',
    ],
    parameters: [
      {
        name: 'Queue per subscriber',
        start: 'One durable queue per subscribing service, named after it (`inventory.OrderCreated`).',
        tradeOff: 'Each copy costs broker storage; sharing a queue saves it but splits the events among the services.',
      },
      {
        name: 'Routing keys / bindings',
        start: 'The event type as routing key; bind only what the service handles.',
        tradeOff: 'Broad bindings (`#`) deliver events the service then has to ignore; narrow ones miss new event types until bound.',
      },
    ],
    mistakes: [
      {
        text: 'Several services consuming one shared queue: each event reaches only one of them.',
        example: 'event-driven',
        exercise: 'own-queues',
      },
      {
        text: 'Expecting a new subscriber to see earlier events: its queue did not exist when they were routed.',
        example: 'event-driven',
        exercise: 'replay-store',
      },
      {
        text: 'Handling every copy as new: the broker delivers at least once, so a duplicate charges twice.',
        example: 'choreography-saga',
        exercise: 'idempotent-payment',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: '`assertExchange("events", "topic", { durable: true })`, `assertQueue("inventory.OrderCreated", { durable: true })`, `bindQueue(queue, "events", "OrderCreated")`, then `publish(exchange, routingKey, content)`.', docs: DOCS.amqplib },
      { library: 'rabbitmq', spelling: 'Exchange types: `direct`, `fanout`, `topic` (`*` one word, `#` any number), `headers`.', docs: DOCS.rabbitExchanges },
      { library: 'eventstoredb', spelling: '`subscribeToStream` / `subscribeToAll` (catch-up subscriptions from a position) and persistent subscriptions (server-side consumer groups).', docs: DOCS.esdbSubscriptions },
    ],
    playground: `\`eventBus(service)\` publishes to the topic exchange \`events\`; \`bus.subscribe(types, handler, { queue, prefetch, onError, idempotent })\` gives each service its own queue \`<service>.<types>\` unless you name a shared one. Defaults: \`prefetch\` 10, \`onError: 'park'\` (a failing event goes to \`<queue>.parked\` with the error in its headers; \`'requeue'\` and \`'drop'\` are the alternatives).`,
    related: ['work-queue', 'event-store', 'choreography-saga', 'deduplication'],
  },
  {
    ...patternIndexEntry('event-store'),
    aliases: ['event sourcing', 'append-only log', 'stream', 'replay', 'projection', 'optimistic concurrency', 'expected version'],
    summary: 'Keep every event, in order, in append-only streams: the state is what the events add up to, and anyone can replay them.',
    problem: `A queue forgets a message once it is acknowledged, and a table keeps only the latest state. A service deployed later, or a report nobody thought of, cannot get back what happened. An event store keeps the events themselves, so new readers can rebuild any view from the beginning, and the history is the audit trail.

Appends with an **expected version** prevent the lost update: two writers that both read version 3 cannot both append as version 4.`,
    how: `Events are appended to a stream per entity (\`order-42\`) and get a version in that stream and a position in the whole store. A writer reads the stream, decides, and appends with the version it read as the expected version; the store refuses the append if someone got there first, and the writer reads again and retries.

Readers rebuild state by reading a stream from the start (or a snapshot), or follow the whole store from a position they remember, catching up on the past and then receiving new events live.`,
    useWhen: [
      'The history matters: audit, disputes, "what did we know when".',
      'New read models (reports, search indexes) must be buildable from past events.',
      'Several writers compete for the same entity and lost updates would hurt.',
    ],
    avoidWhen: [
      'Simple CRUD data nobody asks the history of.',
      'As a message broker between services: it stores and replays well, but work distribution, acks and dead letters are a queue\'s job.',
      'When events will need to be erased (personal data): plan for it before, not after.',
    ],
    parameters: [
      {
        name: 'Expected version on append',
        start: "The version you read (or 'no stream' for a new entity); 'any' only for streams with a single writer.",
        tradeOff: "A precise expectation catches concurrent writes but makes the writer handle conflicts; 'any' never conflicts and never protects.",
      },
      {
        name: 'Stream granularity',
        start: 'One stream per aggregate (order, account).',
        tradeOff: 'Fine streams keep appends independent; one big stream serialises every writer.',
      },
      {
        name: 'Where a reader starts',
        start: 'From the beginning for a new read model; from its saved checkpoint after a restart.',
        tradeOff: 'Replaying from the start is always right and slow; checkpoints are fast but must be saved with the read model.',
      },
    ],
    mistakes: [
      {
        text: 'Building a late service from the bus alone: its new queue starts empty. Read the past from the event store, then follow it.',
        example: 'event-driven',
        exercise: 'replay-store',
      },
      {
        text: 'Treating a redelivered event as new while building state: keep what you handled together with the state it changed.',
        example: 'durable-consumers',
        exercise: 'handled-events',
      },
    ],
    libraries: [
      { library: 'eventstoredb', spelling: '`@eventstore/db-client`: `appendToStream(stream, events, { expectedRevision })` with `NO_STREAM`, `STREAM_EXISTS`, `ANY` (the default) or a revision; a mismatch throws `WrongExpectedVersionError`. The KurrentDB client renames the option `streamState`.', docs: DOCS.esdbAppend },
      { library: 'eventstoredb', spelling: '`readStream(stream, { fromRevision: START, direction: FORWARDS })`, `subscribeToAll({ fromPosition })`.', docs: DOCS.esdbClient },
    ],
    playground: `\`eventStore()\` keeps streams in memory for the run: \`append(streamId, events, { expectedVersion })\` with \`'any'\` (default), \`'no-stream'\`, \`'stream-exists'\` or a number, throwing \`WrongExpectedVersionError\` on a mismatch; \`readStream\`, \`readAll({ fromPosition, eventTypes })\` and \`subscribe(handler, { fromPosition, streamId, eventTypes })\`, where \`fromPosition\` is 1 (the beginning, the default) or \`'end'\`. Versions start at 1, whereas EventStoreDB's revisions start at 0.`,
    related: ['publish-subscribe', 'outbox'],
  },
  {
    ...patternIndexEntry('outbox'),
    aliases: ['transactional outbox', 'dual write', 'relay', 'publisher confirms', 'change data capture', 'CDC'],
    summary: 'Save the state change and the event in one local transaction; a relay publishes the event afterwards, at least once.',
    problem: `A service that writes to its database and then publishes to the broker makes two writes that can half-succeed. A crash in between leaves an order saved whose \`OrderPlaced\` never leaves (the warehouse never ships), or, in the other order, an event for an order that was never saved.

The outbox removes the **dual write**: there is only one write, to the database, and publishing becomes a retry-until-confirmed job.`,
    how: `In the same transaction as the business change, the service inserts the event into an outbox table. A relay reads unsent rows in order, publishes each, waits for the broker's **publisher confirm**, then marks the row sent. If the relay crashes after the confirm and before the mark, it publishes the row again when it comes back: delivery is **at least once**, so consumers must deduplicate by the event's id.`,
    useWhen: [
      'A state change must be followed by an event, reliably: sagas, integration events, cache invalidation.',
      'The database supports transactions but the broker cannot join them (almost always).',
    ],
    avoidWhen: [
      'Losing the odd event is acceptable (metrics, hints).',
      'The event store is the database: appending the event is then the state change.',
    ],
    parameters: [
      {
        name: 'Relay poll interval (or change-data-capture lag)',
        start: 'A few hundred ms, or trigger the relay on commit.',
        tradeOff: 'Shorter means fresher events and more database load; longer batches better but delays consumers.',
      },
      {
        name: 'Relay batch size',
        start: '10–100 rows per round.',
        tradeOff: 'Bigger batches publish faster; a crash then repeats more of them.',
      },
      {
        name: 'Retention of sent rows',
        start: 'Delete or archive sent rows after a day or so.',
        tradeOff: 'Keeping them helps debugging and redrives; the table grows.',
      },
    ],
    mistakes: [
      {
        text: 'Writing the database and publishing to the broker one after the other: a crash in between loses the event.',
        example: 'publisher-reliability',
        exercise: 'outbox',
      },
      {
        text: 'Assuming the relay publishes each event once: after a crash between confirm and mark it publishes again. Consumers must skip what they already handled.',
        example: 'publisher-reliability',
        exercise: 'relay-duplicates',
      },
    ],
    libraries: [
      { library: 'amqplib', spelling: '`connection.createConfirmChannel()`, then `publish(…, callback)` or `await channel.waitForConfirms()` before marking the row sent.', docs: DOCS.amqplib },
      { library: 'rabbitmq', spelling: 'Publisher confirms: the broker acks a message once it has taken responsibility for it (for a persistent message on a durable queue: once it is on disk).', docs: DOCS.rabbitConfirms },
    ],
    playground: `\`outbox(service)\` gives a transactional table store: \`await box.transaction((tx) => { tx.set('orders', id, order); tx.publish(event); })\`. \`new OutboxRelay(box, bus, { crashAfterPublishRate, restartDelay, retryDelay })\` publishes oldest first and waits for the confirm; defaults \`restartDelay\` 1000 ms and \`retryDelay\` 100 ms. It crashes (when asked to) exactly between the confirm and the mark, to show the duplicates.`,
    related: ['deduplication', 'publish-subscribe', 'async-request-reply'],
  },
];
