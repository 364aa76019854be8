import { checkOrderSaga, orderSagaFacts, type InvariantId, type InvariantViolation } from 'playground';
import type { CheckResult, Example, RunOutcome } from '../types.js';
import { eventsOf, fail, pass, runFailed } from '../check-helpers.js';
import code from './main.ts?raw';
import lesson from './lesson.md?raw';
import compensateCompleted from './solution-compensate-completed.ts?raw';
import resumeFromLog from './solution-resume-from-log.ts?raw';
import meta from './meta.js';

const ORCHESTRATOR = 'order-orchestrator';
const ORDERS = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5'];
/** The orders whose saga fails with the default seed: a declined card and a missing lamp. */
const FAILING = ['order-2', 'order-4'];

/** A check result from invariant violations (their events listed). */
function fromViolations(violations: InvariantViolation[], ok: string): CheckResult {
  if (violations.length === 0) return pass(ok);
  const shown = violations.slice(0, 4).map((v) => v.message);
  return {
    passed: false,
    message: `${shown.join('; ')}${violations.length > shown.length ? `; and ${violations.length - shown.length} more` : ''}.`,
    eventSeqs: [...new Set(violations.flatMap((v) => v.eventSeqs))].sort((a, b) => a - b).slice(0, 50),
  };
}

const invariants = (run: RunOutcome, only?: InvariantId[]) => checkOrderSaga(run.events, only ? { only } : {}).violations;

/** Fails when the run broke or the orders were not all placed. */
function placedAll(run: RunOutcome): CheckResult | undefined {
  const failed = runFailed(run);
  if (failed) return failed;
  const placed = [...orderSagaFacts(run.events).orders.values()].filter((o) => o.placed).map((o) => o.orderId);
  const missing = ORDERS.filter((id) => !placed.includes(id));
  return missing.length > 0 ? fail(`Orders never placed: ${missing.join(', ')} (keep the order service and its effects.place call).`) : undefined;
}

/** The orchestrator's crash and restart, from the trace. */
function crash(run: RunOutcome) {
  const crashed = eventsOf(run, 'fault', (e) => e.fault === 'crash' && e.source === ORCHESTRATOR)[0];
  const restarted = crashed ? eventsOf(run, 'log', (e) => e.source === ORCHESTRATOR && e.seq > crashed.seq && /restarted/.test(e.message))[0] : undefined;
  return { crashed, restarted };
}

const example: Example = {
  ...meta,
  summary: 'One orchestrator runs each order\'s steps and compensates on failure. But it undoes steps that never happened, in the wrong order, and it forgets a saga in flight when it crashes.',
  objectives: [
    'Run a saga from an orchestrator: ordered steps, each with its compensation',
    'Compensate only the steps that completed, newest first, each once',
    'Keep the saga log in durable storage and write it before going on',
    'Resume unfinished sagas after a crash without running completed steps again',
  ],
  lesson,
  code,
  seed: 'orch-1',
  faults: { services: { [ORCHESTRATOR]: { down: [{ from: 230, to: 1200 }] } } },
  expected: [
    {
      id: 'happy-path',
      title: 'order-1 runs every step and is completed',
      check: (run) => {
        const o = orderSagaFacts(run.events).orders.get('order-1');
        const steps = eventsOf(run, 'saga.step-done', (e) => e.sagaId === 'saga-order-1').map((e) => e.step);
        return o?.status === 'completed' && steps.length === 4 ? pass(`order-1: ${steps.join(' → ')}, completed.`) : fail(`order-1 ended "${o?.status ?? 'unplaced'}" after ${steps.join(', ') || 'no steps'}.`);
      },
    },
    {
      id: 'over-compensates',
      title: 'the declined order-2 is "compensated" for steps that never happened',
      check: (run) => {
        const o = orderSagaFacts(run.events).orders.get('order-2');
        if (!o) return fail('order-2 was never placed.');
        return o.refunds.length > 0 && o.charges.length === 0 ? pass('order-2 was refunded without ever being charged.') : fail(`order-2: ${o.charges.length} charge(s), ${o.refunds.length} refund(s).`);
      },
    },
    {
      id: 'crash-strands-order',
      title: 'the crash leaves order-3 charged and pending for ever',
      check: (run) => {
        const o = orderSagaFacts(run.events).orders.get('order-3');
        const { crashed } = crash(run);
        if (!crashed) return fail('The orchestrator did not crash: keep the fault plan.');
        return o?.status === 'pending' && o.charges.length === 1 ? pass('order-3 is pending with its payment taken.') : fail(`order-3 ended "${o?.status ?? 'unplaced'}".`);
      },
    },
  ],
  exercises: [
    {
      id: 'compensate-completed',
      title: 'Undo only what was done, newest first',
      task: [
        'When a step fails, `compensate` undoes **every** step, in the order they run: the declined `order-2` gets a refund it never paid and two mugs go back on the shelf that never left it; `order-4` (no lamps) gets lamps put back it never took.',
        '',
        'Change `compensate` so that it undoes **only the steps that completed**, **in reverse order** (newest first). The orchestrator already records the completed steps of each saga in `sagaState`. Keep the `saga.compensation(…)` and `saga.compensationDone(…)` calls: the Sequence view and the checks read them.',
      ].join('\n'),
      hint: [
        '1. A compensation undoes a step that *completed*. The orchestrator already records which steps completed for each saga: that record says what to undo.',
        '2. Undo in reverse order: the newest completed step first, since later steps may depend on earlier ones.',
        '3. Map each step to its compensation (create-order → cancel, charge-payment → refund, reserve-items → release); `complete-order` needs none, as no step after it can fail.',
        '4. In code: `for (const step of [...this.sagaState.get(sagaId)!].reverse()) await undoFor[step]?.();`, keeping the `saga.compensation` / `saga.compensationDone` calls around each.',
      ].join('\n'),
      solution: compensateCompleted,
      checks: [
        {
          id: 'undo-what-was-done',
          title: 'a failed saga undoes exactly what it did: no refund without a charge, no release without a reservation',
          check: (run) => {
            const failed = placedAll(run);
            if (failed) return failed;
            const facts = orderSagaFacts(run.events).orders;
            const notCancelled = FAILING.filter((id) => facts.get(id)?.status !== 'cancelled');
            if (notCancelled.length > 0) return fail(`These orders failed and should end cancelled: ${notCancelled.map((id) => `${id} is "${facts.get(id)?.status}"`).join(', ')}.`);
            return fromViolations(invariants(run, ['saga-compensates-started-steps-only', 'stock-conserved', 'cancelled-order-refunded-and-released']), `${FAILING.join(' and ')} are cancelled with their money and stock exactly restored.`);
          },
        },
        {
          id: 'reverse-order',
          title: 'compensations run newest first',
          check: (run) => {
            const comps = eventsOf(run, 'saga.compensation');
            const perSaga = new Map<string, number>();
            for (const c of comps) perSaga.set(c.sagaId, (perSaga.get(c.sagaId) ?? 0) + 1);
            if (![...perSaga.values()].some((n) => n >= 2)) return fail('No saga compensated two steps or more, so the order cannot be judged: order-4 should undo its payment and then its order.', comps);
            return fromViolations(invariants(run, ['saga-compensation-reverse-order']), 'Every saga undid its steps newest first.');
          },
        },
      ],
    },
    {
      id: 'resume-after-crash',
      title: 'Keep a saga log that survives the crash, and resume from it',
      task: [
        `The fault plan crashes \`${ORCHESTRATOR}\` at 230 ms, while \`order-3\` is being charged, and restarts it at 1,200 ms. The saga's state lived in the process's memory, so nobody finishes \`order-3\`: it stays \`pending\` with the customer's money taken.`,
        '',
        'Keep each saga\'s progress in a **durable saga log** (`durableStore(\'saga-log\')` survives the crash) and write it after every step. When the process starts, **resume every unfinished saga** from the log: skip the steps that completed, run the interrupted one again, keep compensating a saga that was compensating. No order may be left half-done, and every invariant must hold, so keep your fix of the first exercise.',
      ].join('\n'),
      hint: [
        '1. The crash takes everything the process holds in variables. What must survive is where each saga stands: write it to durable storage after every change, and read it back at start.',
        "2. Keep per saga id a record such as `{ order, phase: 'forward' | 'compensating' | 'done', completed: string[], compensated: string[] }` in `durableStore('saga-log')`, saved after each step and each compensation.",
        '3. Make the saga runner start from the record: skip completed steps, run the interrupted one again (the participants answer a repeated request for the same order with the first result), keep compensating a saga that was compensating.',
        '4. In `proc.onStart`, after making the new orchestrator, loop over `sagaLog.entries()` and resume every record not `done`, calling `saga.resumed(…)` so the trace shows it.',
      ].join('\n'),
      solution: resumeFromLog,
      checks: [
        {
          id: 'no-order-half-done',
          title: 'every order and every saga ends (completed or cancelled)',
          check: (run) => {
            const failed = placedAll(run);
            if (failed) return failed;
            if (!crash(run).crashed) return fail('The orchestrator did not crash in this run: keep the fault plan (a down window of order-orchestrator).');
            return fromViolations(invariants(run, ['order-finished', 'saga-finished']), 'Every order and every saga ended.');
          },
        },
        {
          id: 'resumed-after-crash',
          title: 'a saga interrupted by the crash is finished after the restart, without running its completed steps again',
          check: (run) => {
            const { crashed, restarted } = crash(run);
            if (!crashed || !restarted) return fail('The orchestrator did not crash and restart in this run: keep the fault plan.');
            const started = eventsOf(run, 'saga.start', (e) => e.seq < crashed.seq).map((e) => e.sagaId);
            const endedBefore = new Set(eventsOf(run, 'saga.end', (e) => e.seq < crashed.seq).map((e) => e.sagaId));
            const inFlight = started.filter((id) => !endedBefore.has(id));
            if (inFlight.length === 0) return fail('No saga was in flight when the orchestrator crashed.');
            const finishedLater = new Set(eventsOf(run, 'saga.end', (e) => e.seq > restarted.seq).map((e) => e.sagaId));
            const stranded = inFlight.filter((id) => !finishedLater.has(id));
            if (stranded.length > 0) return fail(`Interrupted by the crash and never finished: ${stranded.join(', ')}.`, [crashed, restarted]);
            return fromViolations(invariants(run, ['saga-completed-step-not-redone']), `${inFlight.join(', ')} resumed after the restart and finished.`);
          },
        },
        {
          id: 'all-invariants',
          title: 'every invariant of the order saga holds (money, stock, statuses, the saga log)',
          check: (run) => placedAll(run) ?? fromViolations(invariants(run), 'Every invariant of the order saga holds.'),
        },
      ],
    },
  ],
};

export default example;
