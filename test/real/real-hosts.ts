/**
 * Real hosts for in-process tests: each made current for the test that asks
 * for it, and all shut down (servers, connections, timers) after each test.
 */
import { afterEach } from 'vitest';
import { setCurrentHost } from '../../src/playground/host.js';
import { RealHost, type RealHostOptions } from '../../src/real/real-host.js';
import { ServiceDirectory } from '../../src/real/service-directory.js';

const hosts: RealHost[] = [];

afterEach(async () => {
  setCurrentHost(undefined);
  await Promise.all(hosts.splice(0).map((h) => h.shutdown()));
});

/** A real host on `amqpUrl` (nothing listens there unless the test says so), made current. */
export function useRealHost(options: Partial<RealHostOptions> & { seed?: string | number } = {}): RealHost {
  const host = new RealHost({ amqpUrl: 'amqp://127.0.0.1:1', directory: new ServiceDirectory(), ...options });
  hosts.push(host);
  setCurrentHost(host);
  return host;
}
