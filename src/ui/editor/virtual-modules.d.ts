declare module 'virtual:playground-types' {
  /** `.d.ts` files of the playground module, keyed by path relative to src/ (e.g. `playground/index.d.ts`). */
  const files: Record<string, string>;
  export default files;
}

/** CSP hash (`sha256-…`) of public/sandbox/boot.js, computed at build time. */
declare const __SANDBOX_BOOT_HASH__: string;
