/**
 * The services of a program, read from its text: the names it passes as
 * string literals to `service`, `serviceProcess`, `eventBus`,
 * `sagaParticipant` and `sagaOrchestrator({ service })`, plus the three
 * services of the reference order sagas. These are the names `spp run --only`
 * accepts, so an exported project gets one container per name. A name built
 * at run time (a variable, a template) is not seen.
 */

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';

/** Calls whose first argument names a service (type arguments allowed: `eventBus<OrderEvent>('order-service')`). */
const NAMING_CALL = new RegExp(`\\b(?:service|serviceProcess|eventBus|sagaParticipant)\\s*(?:<[^()]*?>)?\\s*\\(\\s*(['"\`])(${NAME})\\1`, 'g');
/** `sagaOrchestrator({ … service: 'order-orchestrator' … })`: the first `service:` in the options. */
const ORCHESTRATOR = new RegExp(`\\bsagaOrchestrator\\s*(?:<[^()]*?>)?\\s*\\(\\s*\\{[^}]*?\\bservice\\s*:\\s*(['"\`])(${NAME})\\1`, 'g');
/** The reference order sagas run these services unless told otherwise. */
const ORDER_SAGA = /\b(?:orderChoreography|orderOrchestration)\s*\(/;
const ORDER_SERVICES = ['order-service', 'payment-service', 'inventory-service'];

/** Strings stay (they hold the names); comments become blanks, so a commented-out service is not counted. */
const STRING_OR_COMMENT = /("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`)|\/\/[^\n]*|\/\*[\s\S]*?\*\//g;

/**
 * The service names of `code`, in the order they first appear.
 *
 * @example
 * programServices("const pay = service('payment-service');\nawait eventBus<E>('order-service');");
 * // ['payment-service', 'order-service']
 */
export function programServices(code: string): string[] {
  const text = code.replace(STRING_OR_COMMENT, (_match, str: string | undefined) => str ?? ' ');
  const found: Array<{ at: number; name: string }> = [];
  for (const pattern of [NAMING_CALL, ORCHESTRATOR]) for (const m of text.matchAll(pattern)) found.push({ at: m.index, name: m[2]! });
  const saga = ORDER_SAGA.exec(text);
  if (saga) for (const name of ORDER_SERVICES) found.push({ at: saga.index, name });
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.name))];
}
