/** The real-mode runtime file's name (relative to the site's base) and the packages it imports, provided by `realRuntimePlugin()` (src/real/build/real-runtime.mjs). */
declare module 'virtual:spp-real-runtime' {
  const runtime: { file: string; dependencies: Record<string, string> };
  export default runtime;
}
