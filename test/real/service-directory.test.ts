import { describe, expect, it } from 'vitest';
import { parseServiceList, ServiceDirectory, ServiceDirectoryError } from '../../src/real/service-directory.js';

describe('service directory', () => {
  it('reads SPP_SERVICES', () => {
    expect([...parseServiceList(' payment-service=10.0.0.2:8080, orders=orders:9000 ,')]).toEqual([
      ['payment-service', { host: '10.0.0.2', port: 8080 }],
      ['orders', { host: 'orders', port: 9000 }],
    ]);
    expect(() => parseServiceList('payment-service=10.0.0.2')).toThrow(ServiceDirectoryError);
    expect(() => parseServiceList('payment-service=10.0.0.2:99999')).toThrow('port number 1..65535');
    expect(() => new ServiceDirectory({ port: 'eighty' })).toThrow('SPP_PORT must be a port number');
  });

  it('finds a service hosted here, then one listed, then any name at SPP_PORT', async () => {
    const dir = new ServiceDirectory({ services: 'payment-service=10.0.0.2:8080', port: 9000 });
    dir.host('orders', Promise.resolve(41234));
    expect(await dir.resolve('orders')).toEqual({ host: '127.0.0.1', port: 41234 });
    expect(await dir.resolve('payment-service')).toEqual({ host: '10.0.0.2', port: 8080 });
    expect(await dir.resolve('stock')).toEqual({ host: 'stock', port: 9000 });
    expect(await dir.resolve('localhost', 3000)).toEqual({ host: 'localhost', port: 3000 });
  });

  it('listens on a free loopback port in one process, on SPP_PORT when split, on the listed port when there is one', () => {
    const dir = new ServiceDirectory({ services: 'payment-service=127.0.0.1:7001,orders=10.0.0.3:7002' });
    expect(dir.listenAddress('stock', false)).toEqual({ host: '127.0.0.1', port: 0 });
    expect(dir.listenAddress('stock', true)).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(dir.listenAddress('payment-service', true)).toEqual({ host: '127.0.0.1', port: 7001 });
    expect(dir.listenAddress('orders', true)).toEqual({ host: '0.0.0.0', port: 7002 });
  });
});
