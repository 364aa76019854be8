// Small DOM helpers for the view tests, on the shared Mocha wrappers of the runner tests.
export { afterEach, assert, assertEqual, describe, it } from '../runner/mocha.js';

/** Creates `tag`, sets its properties, attaches it and waits for its first render. */
export async function mount<E extends HTMLElement & { updateComplete: Promise<boolean> }>(
  tag: string,
  props: Record<string, unknown>,
  width = 1000,
): Promise<E> {
  const el = document.createElement(tag) as E;
  Object.assign(el, props);
  const host = document.createElement('div');
  host.style.width = `${width}px`;
  host.className = 'test-host';
  host.append(el);
  document.body.append(host);
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  await el.updateComplete;
  return el;
}

/** Sets properties and waits for the re-render. */
export async function update(el: HTMLElement & { updateComplete: Promise<boolean> }, props: Record<string, unknown>): Promise<void> {
  Object.assign(el, props);
  await el.updateComplete;
}

/** Elements matching `selector` in `el`'s shadow root. */
export function all<T extends Element = Element>(el: Element, selector: string): T[] {
  return [...el.shadowRoot!.querySelectorAll<T>(selector)];
}

/** Resolves with the detail of the next `type` event from `el`. */
export function next<T>(el: EventTarget, type: string): Promise<T> {
  return new Promise((resolve) => el.addEventListener(type, (e) => resolve((e as CustomEvent<T>).detail), { once: true }));
}

/** Resolves once `condition` holds, checking every frame; rejects with `what` after `ms`. */
export async function waitFor(condition: () => boolean, what: string, ms = 2000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > ms) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => requestAnimationFrame(() => r(undefined)));
  }
}

/** Removes every mounted element. */
export function cleanup(): void {
  for (const h of document.querySelectorAll('.test-host')) h.remove();
}
