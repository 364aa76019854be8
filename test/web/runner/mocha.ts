// Typed access to the Mocha globals that @web/test-runner provides, plus tiny assertions.
type Test = () => void | Promise<void>;
interface MochaGlobals {
  describe(name: string, body: () => void): void;
  it(name: string, body: Test): void;
  before(body: Test): void;
  after(body: Test): void;
  afterEach(body: Test): void;
}
const mocha = globalThis as unknown as MochaGlobals;

export const describe = (name: string, body: () => void): void => mocha.describe(name, body);
export const it = (name: string, body: Test): void => mocha.it(name, body);
export const before = (body: Test): void => mocha.before(body);
export const after = (body: Test): void => mocha.after(body);
export const afterEach = (body: Test): void => mocha.afterEach(body);

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
