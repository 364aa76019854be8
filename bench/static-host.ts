/**
 * A static host for `npm run bench:web`: serves dist/ on 127.0.0.1 the way a static host or CDN does
 * (GitHub Pages among them), compressing each file once and keeping the compressed copy. `vite preview`
 * compresses every response anew, on the same cores the browser uses: on a 2-core machine its gzip of
 * Monaco's 2.7 MB chunk alone took 0.4–1.1 s of each first load, a cost of the preview server rather
 * than of the page. BENCH_WEB_SERVER=preview measures through `vite preview` instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ttf': 'font/ttf',
};

/**
 * Serves `root` under `/`, gzip-compressed when the browser accepts it (each file compressed once),
 * and `pages` (path → HTML) beside it. Returns the server and its URL.
 */
export async function serveStaticHost(root: string, pages: Record<string, string> = {}): Promise<{ server: Server; url: string }> {
  const compressed = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://host').pathname];
    if (page !== undefined) return void res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache' }).end(page);
    let file = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname)));
    if (!file.startsWith(normalize(root))) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return void res.writeHead(200, headers).end(readFileSync(file));
    let body = compressed.get(file);
    if (!body) compressed.set(file, (body = gzipSync(readFileSync(file))));
    res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
