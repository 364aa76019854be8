import { describe, expect, it } from 'vitest';
import { FaultPlanError, validateFaultPlan } from '../../src/sim/faults.js';
import { createWorld } from '../../src/sim/world.js';

describe('fault plan validation', () => {
  it('accepts a full valid plan', () => {
    expect(
      validateFaultPlan({
        services: { payment: { latency: { kind: 'normal', mean: 100, sd: 20 }, errorRate: 0.2, errorStatus: 503, down: [{ from: 0, to: 10 }] } },
        routes: [{ service: 'payment', path: '/payments', method: 'post', errorRate: 1 }],
        links: [{ from: 'orders', to: 'payment', latency: { kind: 'uniform', min: 1, max: 5 } }],
        partitions: [{ a: 'orders', b: 'payment', from: 100 }],
        queues: { orders: { duplicateRate: 0.1, crashBeforeAckRate: 0.05, delay: { kind: 'fixed', ms: 3 } } },
        broker: { restarts: [1000] },
      }),
    ).toEqual([]);
  });

  it.each([
    [{ services: { payment: { latency: { kind: 'fixed', ms: -5 } } } }, 'services.payment.latency.ms', 'must not be negative (got -5)'],
    [{ services: { payment: { errorRate: 1.5 } } }, 'services.payment.errorRate', 'must be between 0 and 1 (got 1.5)'],
    [{ services: { payment: { errorStatus: 99 } } }, 'services.payment.errorStatus', 'must be an HTTP status 100..599 (got 99)'],
    [{ services: { payment: { down: [{ from: 10, to: 5 }] } } }, 'services.payment.down[0].to', 'must be after from (5 ≤ 10)'],
    [{ services: { payment: { latency: { kind: 'gaussian' } } } }, 'services.payment.latency.kind', 'must be "fixed", "uniform" or "normal" (got "gaussian")'],
    [{ links: [{ from: 'a', to: 'b', latency: { kind: 'uniform', min: 9, max: 3 } }] }, 'links[0].latency.max', 'must not be below min (3 < 9)'],
    [{ routes: [{ service: 'payment', path: 'payments' }] }, 'routes[0].path', 'must be a path starting with "/"'],
    [{ queues: { q: { duplicateRate: -0.1 } } }, 'queues.q.duplicateRate', 'must be between 0 and 1 (got -0.1)'],
    [{ partitions: 'all' }, 'partitions', 'must be an array'],
    [{ delays: {} }, 'delays', 'is not a fault plan field'],
  ])('rejects %j naming the field', (plan, path, message) => {
    expect(validateFaultPlan(plan)).toContainEqual({ path, message });
  });

  it('names unknown services when the known ones are given', () => {
    expect(validateFaultPlan({ services: { paymnt: { errorRate: 0.1 } } }, ['payment', 'orders'])).toEqual([
      { path: 'services.paymnt', message: 'unknown service "paymnt" (known: payment, orders)' },
    ]);
  });

  it('createWorld rejects a bad plan with every problem in the message', () => {
    expect(() => createWorld({ faults: { services: { p: { errorRate: 2, latency: { kind: 'fixed', ms: -1 } } } } as never })).toThrow(
      /services\.p\.latency\.ms: must not be negative.*services\.p\.errorRate: must be between 0 and 1/,
    );
  });

  it('setFaults applies nothing of an invalid plan', () => {
    const world = createWorld({ faults: { services: { payment: { errorRate: 0.5 } } } });
    world.service('payment');
    let error: unknown;
    try {
      world.setFaults({ services: { payment: { errorRate: 0.1 }, ghost: { errorRate: 0.2 } } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FaultPlanError);
    expect((error as FaultPlanError).issues).toEqual([{ path: 'services.ghost', message: 'unknown service "ghost" (known: client, payment)' }]);
    expect(world.faults).toEqual({ services: { payment: { errorRate: 0.5 } } });
  });

  it('run() refuses a plan that names a service the code never created, before anything runs', async () => {
    const world = createWorld({ faults: { services: { paymnet: { errorRate: 1 } } } });
    world.service('payment');
    let ran = false;
    world.scheduler.at(1, () => (ran = true));
    await expect(world.run()).rejects.toThrow('services.paymnet: unknown service "paymnet"');
    expect(ran).toBe(false);
  });
});
