import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's Content Security Policy. Scripts only from the app itself and
 * from Blob URLs (the sandbox builds its modules from Blob URLs); no inline
 * or eval'd script. Styles may be inline because Monaco injects style tags.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data: blob:",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Adds the CSP meta tag to the built page (the dev server needs its websocket and inline client). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'spp-csp',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  // Relative asset paths: dist/ works from any sub-path.
  base: './',
  resolve: {
    alias: { playground: fileURLToPath(new URL('./src/playground/index.ts', import.meta.url)) },
  },
  plugins: [contentSecurityPolicy()],
  worker: {
    format: 'es',
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
