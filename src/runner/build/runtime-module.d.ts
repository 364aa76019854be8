/** The sandbox runtime's source text, provided by `playgroundRuntimePlugin()` (src/runner/build/runtime-bundle.mjs). */
declare module 'virtual:playground-runtime' {
  const source: string;
  export default source;
}
