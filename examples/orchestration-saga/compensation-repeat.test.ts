/**
 * The lesson says compensations must be safe to repeat. The reference solution
 * records a compensation as done after its call returns, so a crash between
 * the two makes the resumed saga ask for the same refund again. The payment
 * and inventory services refund and release once per order, so the repeat
 * must leave the books as they were; with a refund endpoint that pays out on
 * every call, the same run refunds twice.
 */
import { describe, expect, it } from 'vitest';
import { runSource } from '../../test/runner/node-run.js';
import { loadExample } from '../index.js';
import type { RunOutcome } from '../types.js';

const example = await loadExample('orchestration-saga');
const resume = example.exercises.find((x) => x.id === 'resume-after-crash')!;

/** The example's crash, plus a second one right after the refund for order-4 left the orchestrator (1387 ms) and before its answer came back. */
const faults = { services: { 'order-orchestrator': { down: [{ from: 230, to: 1200 }, { from: 1388, to: 1600 }] } } };

const run = async (code: string) => (await runSource(code, { seed: example.seed, faults })) as RunOutcome;
const refundRequests = (outcome: RunOutcome) =>
  outcome.events.filter((e) => e.kind === 'http.request' && e.target === 'payment-service' && e.path === '/payments/order-4/refund');

/** The refund endpoint as it was: every call pays out. */
const payOutEveryTime = (code: string) => {
  const start = code.indexOf("paymentService.post('/payments/:orderId/refund'");
  const end = code.indexOf('\n});', start) + '\n});'.length;
  expect(start).toBeGreaterThan(0);
  return (
    code.slice(0, start) +
    `paymentService.post('/payments/:orderId/refund', (req, res) => {
  const { amount } = req.body as { amount: number };
  paymentEffects.refund(req.params.orderId!, amount);
  res.json({ refunded: amount });
});` +
    code.slice(end)
  );
};

describe('orchestration saga: a compensation asked for twice', () => {
  it('is harmless: the reference solution still keeps every invariant when it refunds order-4 again after a crash', async () => {
    const outcome = await run(resume.solution);
    expect(outcome.status).toBe('ok');
    expect(refundRequests(outcome).length, 'the crash must fall between the refund and its record').toBe(2);
    for (const check of resume.checks) expect(check.check(outcome), check.id).toMatchObject({ passed: true });
  });

  it('would refund twice with a refund endpoint that pays out on every call', async () => {
    const outcome = await run(payOutEveryTime(resume.solution));
    expect(refundRequests(outcome).length).toBe(2);
    expect(resume.checks.some((check) => !check.check(outcome).passed)).toBe(true);
  });
});
