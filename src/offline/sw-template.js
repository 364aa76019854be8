// Service worker of the built site (filled in by vite.config.ts): keeps every
// file so the playground works offline once loaded.
const CACHE = '__CACHE_NAME__';
const FILES = __FILES__;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('spp-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Pages: the network first (a new version shows up), the cache when offline.
    event.respondWith(
      fetch(request)
        .then((response) => {
          // One cached copy of the page (the share link is in the hash, never sent), kept up to date.
          if (response.ok) {
            const copy = response.clone();
            event.waitUntil(caches.open(CACHE).then((cache) => cache.put('./', copy)));
          }
          return response;
        })
        .catch(() => caches.match('./', { ignoreVary: true })),
    );
    return;
  }
  // Vary is ignored: the files are the build's own (their names carry content hashes), and a host that
  // answers with `Vary: Origin` (vite preview does) would otherwise never match a module script's request
  // (which has an Origin header) against the copy cached at install (which had none).
  event.respondWith(caches.match(request, { ignoreSearch: true, ignoreVary: true }).then((cached) => cached ?? fetch(request)));
});
