/**
 * The service named by a connect target: a plain name, or the user of an amqp URL (`amqp://orders@host`).
 *
 * @example
 * serviceFromTarget('amqp://orders:secret@rabbitmq'); // 'orders'
 * serviceFromTarget('payments');                      // 'payments'
 */
export function serviceFromTarget(target: string): string {
  if (typeof target !== 'string' || target === '') return 'client';
  const m = /^amqps?:\/\/(?:([^:@/]+)(?::[^@/]*)?@)?/i.exec(target);
  if (m) return m[1] ? decodeURIComponent(m[1]) : 'client';
  return target;
}
