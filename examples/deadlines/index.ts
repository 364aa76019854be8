import type { TraceEvent, TraceEventOf } from 'playground';
import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import deadline from './solution-deadline.ts?raw';
import correlationId from './solution-correlation-id.ts?raw';
import meta from './meta.js';

type Via = 'checkout' | 'backoffice';
/** The orders the callers place, how, and whether they fit the caller's budget. */
const ORDERS: { orderId: string; via: Via; fits: boolean }[] = [
  { orderId: 'order-1', via: 'checkout', fits: true },
  { orderId: 'order-2', via: 'checkout', fits: false },
  { orderId: 'order-3', via: 'backoffice', fits: true },
  { orderId: 'order-4', via: 'checkout', fits: true },
];
/** The gateway's budget per kind of caller, in ms. */
const BUDGET_MS: Record<Via, number> = { checkout: 1000, backoffice: 5000 };
/** Network hops between the caller and the work are a millisecond each; allow a few. */
const SLACK_MS = 20;
/** How long one step of the payment service's risk model takes (RISK_STEP_MS in the code). */
const RISK_STEP_MS = 300;

type Req = TraceEventOf<'http.request'>;
type Log = TraceEventOf<'log'>;

/** The order an HTTP request or a message is about. */
const orderIdIn = (value: unknown): string | undefined => /order-\d+/.exec(typeof value === 'string' ? value : JSON.stringify(value ?? ''))?.[0];

/** The caller's request for an order (web shop or back office to the gateway). */
const callerRequest = (run: RunOutcome, orderId: string): Req | undefined =>
  eventsOf(run, 'http.request', (e) => e.target === 'api-gateway' && orderIdIn(e.body) === orderId)[0];

/** The status the caller was given for its request (undefined: no answer it read). */
function toldStatus(run: RunOutcome, request: Req): number | undefined {
  return eventsOf(run, 'http.response', (e) => e.requestId === request.requestId && !e.late)[0]?.status;
}

/** The payment service's log lines about an order: each step of the risk model, and the authorisation. */
function paymentWork(run: RunOutcome, orderId: string) {
  const lines = eventsOf(run, 'log', (e) => e.source === 'payment-service' && (e.data as { orderId?: unknown } | undefined)?.orderId === orderId);
  return {
    steps: lines.filter((e) => e.message.startsWith('risk model step')),
    authorised: lines.filter((e) => e.message.startsWith('authorised')),
  };
}

/** OrderPlaced messages published for an order. */
const placedMessages = (run: RunOutcome, orderId: string) => eventsOf(run, 'mq.publish', (e) => e.routingKey === 'order-placed' && orderIdIn(e.body) === orderId);

/** When the caller of an order stops waiting: its request to the gateway plus the gateway's budget. */
function deadlineOf(run: RunOutcome, order: (typeof ORDERS)[number]): { request: Req; at: number } | undefined {
  const request = callerRequest(run, order.orderId);
  return request && { request, at: request.time + BUDGET_MS[order.via] };
}

/**
 * Work done for an order after its caller's deadline (beyond the slack): risk
 * model steps still running then (a step is logged as it starts and lasts
 * RISK_STEP_MS), authorisations, calls to the payment service, OrderPlaced
 * messages.
 */
function workAfterDeadline(run: RunOutcome, orderId: string, at: number): TraceEvent[] {
  const { steps, authorised } = paymentWork(run, orderId);
  const calls = eventsOf(run, 'http.request', (e) => e.target === 'payment-service' && orderIdIn(e.body) === orderId);
  return [
    ...steps.filter((e) => e.time + RISK_STEP_MS > at + SLACK_MS),
    ...[...authorised, ...calls, ...placedMessages(run, orderId)].filter((e) => e.time > at + SLACK_MS),
  ].sort((a, b) => a.seq - b.seq);
}

/** Was the order placed: authorised by the payment service, or announced as placed? */
const wasPlaced = (run: RunOutcome, orderId: string) => paymentWork(run, orderId).authorised.length > 0 || placedMessages(run, orderId).length > 0;

/** Every event of an order's chain that carries a correlation id, by hop. */
function chainOf(run: RunOutcome, orderId: string) {
  const hop = (from: string, to: string) => eventsOf(run, 'http.request', (e) => e.source === from && e.target === to && orderIdIn(e.body) === orderId);
  return [
    { hop: 'api-gateway → order-service', events: hop('api-gateway', 'order-service') as TraceEvent[] },
    { hop: 'order-service → payment-service', events: hop('order-service', 'payment-service') as TraceEvent[] },
    { hop: 'the OrderPlaced message', events: placedMessages(run, orderId) as TraceEvent[] },
    { hop: 'notification-service → email-provider', events: hop('notification-service', 'email-provider') as TraceEvent[] },
  ];
}

/** The one correlation id of an order's chain, or why there is none. */
function chainId(run: RunOutcome, orderId: string): { id: string } | { problem: string; events: TraceEvent[] } {
  const chain = chainOf(run, orderId).filter((h) => h.events.length > 0);
  if (chain.length === 0) return { problem: `nothing reached order-service for ${orderId}`, events: [] };
  const first = chain[0]!.events[0]!;
  for (const { hop, events } of chain)
    for (const e of events) {
      if (e.correlationId === undefined) return { problem: `${hop} of ${orderId} carries no correlation id (for a message: its correlationId property)`, events: [e] };
      if (e.correlationId !== first.correlationId)
        return { problem: `${orderId}: ${chain[0]!.hop} carries '${first.correlationId}' but ${hop} carries '${e.correlationId}'`, events: [first, e] };
    }
  return { id: first.correlationId! };
}

/** Checks for the correlation id exercise that need each order's chain id first. */
function withChainIds(run: RunOutcome, then: (ids: Map<string, string>) => CheckResult): CheckResult {
  const failed = runFailed(run);
  if (failed) return failed;
  const ids = new Map<string, string>();
  for (const { orderId } of ORDERS) {
    const c = chainId(run, orderId);
    if ('problem' in c) return fail(`${c.problem}.`, c.events);
    ids.set(orderId, c.id);
  }
  return then(ids);
}

const example: Example = {
  ...meta,
  summary: 'The gateway gives up on a checkout after 1 s; behind it the payment service works on for two more seconds and the order is placed after all. Pass the deadline down the chain, and one correlation id through every hop.',
  objectives: [
    'Explain why a timeout at the edge does not stop the work behind it',
    'Propagate a deadline as the time left, deducting each hop\'s own work, and stop work once it has passed',
    'Choose a correlation id at the edge and carry it through HTTP headers, message properties and log lines',
  ],
  lesson,
  code,
  seed: 'deadlines-1',
  expected: [
    {
      id: 'wasted-work',
      title: 'the payment service works on order-2 after the customer was told 504',
      check: (run) => {
        const failed = runFailed(run);
        if (failed) return failed;
        const order = ORDERS[1]!;
        const d = deadlineOf(run, order);
        if (!d) return fail('order-2 was never sent.');
        const late = workAfterDeadline(run, order.orderId, d.at);
        return late.length > 0 ? pass(`${late.length} pieces of work for order-2 after its deadline, the last at ${Math.round(late[late.length - 1]!.time)} ms.`) : fail('Expected work for order-2 after its deadline.');
      },
    },
    {
      id: 'placed-behind-back',
      title: 'order-2 is placed although the customer was told it failed',
      check: (run) => {
        const request = callerRequest(run, 'order-2');
        if (!request) return fail('order-2 was never sent.');
        return toldStatus(run, request) === 504 && wasPlaced(run, 'order-2') ? pass('order-2: 504 for the customer, authorised and announced behind the scenes.') : fail('Expected order-2 to be answered 504 and placed anyway.');
      },
    },
    {
      id: 'one-id-per-request',
      title: 'every hop of a checkout has its own correlation id',
      check: (run) => {
        const ids = new Set(chainOf(run, 'order-1').flatMap((h) => h.events.map((e) => e.correlationId)));
        return ids.size > 1 ? pass(`order-1's hops carry ${ids.size} different ids.`) : fail('Expected the hops of order-1 to carry different ids.');
      },
    },
  ],
  exercises: [
    {
      id: 'propagate-deadline',
      title: 'Pass the deadline down the chain',
      task: [
        'The gateway gives the shop\'s checkout 1 s and the back office 5 s, but only the gateway knows. When it gives up on `order-2`, the order service keeps waiting for the payment service, whose risk model runs for another 1.6 s, authorises the payment, and the order is placed: the customer was told 504 and gets a confirmation email.',
        '',
        'Make the budget travel with the request. The gateway sends it along; every service works out its own deadline from it, gives each outgoing call only what is left (as the timeout and passed on), and stops working at the deadline. The payment service should check before each step of its risk model, and not start a step that cannot end before the deadline.',
        '',
        `No work may happen for an order after its caller's deadline (its request to the gateway + 1000 ms for the checkout, + 5000 ms for the back office). \`order-2\` must be refused (504) and not placed; \`order-1\`, \`order-3\` (back office) and \`order-4\` must still be placed. Keep the budgets and the payment service's log lines: the checks read them.`,
      ].join('\n'),
      hint: [
        '1. A deadline is the moment after which the first caller no longer cares. Each hop must know it, so it has to travel with the request, like the body does.',
        "2. Send the time left, not a clock time (two machines' clocks disagree): a header such as `x-timeout-ms: 1000`. On arrival, a service turns it into a deadline on its own clock: `now() + Number(req.headers['x-timeout-ms'])`.",
        '3. Before calling on, deduct what you already spent: the order service reads its database for 200 ms, so it has less left than it was given. Use what is left both as the call\'s `timeout` and as the header you send.',
        '4. Timeouts only free the caller. The payment service must stop itself: before each step, `if (now() + RISK_STEP_MS > deadline) return res.status(504).json(…)`. The order service answers 504 when the payment service does (or times out).',
      ].join('\n'),
      solution: deadline,
      checks: [
        {
          id: 'no-work-after-deadline',
          title: "no risk model step still running, no authorisation, payment call or OrderPlaced message after the caller's deadline",
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            for (const order of ORDERS) {
              const d = deadlineOf(run, order);
              if (!d) return fail(`${order.orderId} was never sent to the gateway.`);
              const late = workAfterDeadline(run, order.orderId, d.at);
              if (late.length > 0) {
                const first = late[0]!;
                const what = first.kind === 'log' ? `"${(first as Log).message}" (from ${Math.round(first.time)} ms)` : first.kind === 'mq.publish' ? `an OrderPlaced message at ${Math.round(first.time)} ms` : `a call to the payment service at ${Math.round(first.time)} ms`;
                return fail(`${order.orderId}: ${what} goes on after its caller's deadline (${Math.round(d.at)} ms). Nobody is waiting for that work any more: stop before a step that cannot end in time.`, [d.request, ...late]);
              }
            }
            return pass(`No work after any caller's deadline.`);
          },
        },
        {
          id: 'callers-told-the-truth',
          title: 'order-2 is refused (504) and not placed; order-1, order-3 and order-4 are placed and answered 201',
          check: (run) => {
            const failed = runFailed(run);
            if (failed) return failed;
            for (const order of ORDERS) {
              const request = callerRequest(run, order.orderId);
              if (!request) return fail(`${order.orderId} was never sent to the gateway.`);
              const status = toldStatus(run, request);
              const placed = wasPlaced(run, order.orderId);
              const evidence = [request, ...paymentWork(run, order.orderId).authorised, ...placedMessages(run, order.orderId)];
              if (order.fits && (status !== 201 || !placed))
                return fail(`${order.orderId} fits its ${BUDGET_MS[order.via]} ms budget and should be placed, but its caller got ${status ?? 'no answer'}${placed ? '' : ' and it was not placed'}. Stop work only when the deadline the caller set has passed, not at a limit of your own.`, evidence);
              if (!order.fits && (status !== 504 || placed))
                return fail(`${order.orderId} cannot be done within ${BUDGET_MS[order.via]} ms: its caller should get 504 and it should not be placed, but the caller got ${status ?? 'no answer'}${placed ? ' and it was placed behind their back' : ''}.`, evidence);
            }
            return pass('order-2 refused and not placed; the other three placed.');
          },
        },
      ],
    },
    {
      id: 'correlation-id',
      title: 'One correlation id through every hop',
      task: [
        'A customer of `order-2` calls support. Which log lines, requests and messages belong to their checkout? Today each request has its own id (look at the `correlationId` of the events in the trace: an HTTP request\'s is its `x-correlation-id` header, or its own request id when it has none; a message\'s is its `correlationId` property).',
        '',
        'Give every order one correlation id, chosen at the edge: the gateway keeps the id the web shop sends in `x-correlation-id`, and makes one for a caller that sends none (the back office). Carry it on every hop: the calls to the order and payment services, the OrderPlaced message, and the notification service\'s call to the email provider. And put it in the data of the payment and notification services\' log lines, so that typing it into the Logs filter shows the whole checkout.',
        '',
        'Start from your deadline solution (or from the starting code; this exercise is checked on its own).',
      ].join('\n'),
      hint: [
        '1. A correlation id is not made per request: it is made once, where the flow enters the system, and every hop passes on the one it received.',
        "2. At the gateway: `const correlationId = req.headers['x-correlation-id'] ?? uuid()` (`uuid` from 'playground'), then send it as the `x-correlation-id` header of the call to the order service.",
        "3. In the order and payment services, `req.correlationId` is the id the request came with. Send it on in the call's headers, and give the message the AMQP property: `sendToQueue(queue, content, { persistent: true, correlationId })`.",
        "4. In the notification service, `msg.properties.correlationId` is the id: send it in the email request's headers. In the log lines, add it to the data: `log.info(message, { orderId, correlationId })`.",
      ].join('\n'),
      solution: correlationId,
      checks: [
        {
          id: 'one-id-per-order',
          title: 'each order has one correlation id on every hop (calls, message, email), and no two orders share one',
          check: (run) =>
            withChainIds(run, (ids) => {
              const owners = new Map<string, string>();
              for (const [orderId, id] of ids) {
                const other = owners.get(id);
                if (other) return fail(`${other} and ${orderId} share the correlation id '${id}': it must tell one checkout from another.`);
                owners.set(id, orderId);
              }
              return pass(`${ids.size} orders, one id each: ${[...ids.values()].join(', ')}.`);
            }),
        },
        {
          id: 'callers-id-kept',
          title: "a checkout keeps the id the web shop sent with it",
          check: (run) =>
            withChainIds(run, (ids) => {
              for (const order of ORDERS.filter((o) => o.via === 'checkout')) {
                const sent = callerRequest(run, order.orderId)?.headers?.['x-correlation-id'];
                if (sent === undefined) return fail(`The web shop sent no x-correlation-id with ${order.orderId}; keep main() as it is.`);
                if (ids.get(order.orderId) !== sent)
                  return fail(`The web shop sent '${sent}' with ${order.orderId}, but its chain carries '${ids.get(order.orderId)}'. Keep the caller's id: their logs and support tickets know it.`, [callerRequest(run, order.orderId)!]);
              }
              return pass("Every checkout carries the web shop's id.");
            }),
        },
        {
          id: 'logs-carry-id',
          title: "the payment and notification services' log lines about an order carry its correlation id in their data",
          check: (run) =>
            withChainIds(run, (ids) => {
              const lines = eventsOf(run, 'log', (e) => (e.source === 'payment-service' || e.source === 'notification-service') && typeof (e.data as { orderId?: unknown } | undefined)?.orderId === 'string');
              if (lines.length === 0) return fail('No log lines of the payment or notification service name an order (data.orderId).');
              for (const line of lines) {
                const data = line.data as { orderId: string; correlationId?: unknown };
                const want = ids.get(data.orderId);
                if (want !== undefined && data.correlationId !== want)
                  return fail(`${line.source}: "${line.message}" has ${data.correlationId === undefined ? 'no correlationId in its data' : `correlationId '${String(data.correlationId)}'`}; expected '${want}'.`, [line]);
              }
              return pass(`${lines.length} log lines, each with its order's correlation id.`);
            }),
        },
      ],
    },
  ],
};

export default example;
