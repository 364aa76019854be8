declare module 'virtual:playground-types' {
  /** `.d.ts` files of the playground module, keyed by path relative to src/ (e.g. `playground/index.d.ts`). */
  const files: Record<string, string>;
  export default files;
}
