/*
 * cyberstall's service worker: keeps the notes composer usable without a network. Only the
 * pages listed here are answered from the cache, and only when the network fails; the
 * hashed /assets/ files (which never change) are answered from the cache when it has them.
 * Everything else goes to the network untouched.
 */
const CACHE = 'cyberstall-offline-v1';
const OFFLINE_PAGES = ['/notes/new'];

self.addEventListener('install', () => {
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

async function keepPage(page, assets) {
  if (!OFFLINE_PAGES.includes(page)) return false;
  const cache = await caches.open(CACHE);
  const response = await fetch(page, { credentials: 'same-origin', redirect: 'manual' });
  if (!response.ok) return false;
  // The files the page itself names (module preloads, its entry's import, stylesheets): the
  // document asking may have been reached by a link and hold another page's files.
  const html = await response.clone().text();
  const named = [...html.matchAll(/["'](\/assets\/[^"'?#\s]+)["']/g)].map((match) => match[1]);
  await cache.put(page, response);
  const own = [...new Set([...named, ...assets])].filter(
    (url) => new URL(url, self.location.origin).origin === self.location.origin,
  );
  await Promise.all(
    own.map((url) =>
      cache.match(url).then((hit) => (hit ? undefined : cache.add(url).catch(() => undefined))),
    ),
  );
  return true;
}

self.addEventListener('message', (event) => {
  const data = event.data;
  const port = event.ports[0];
  if (!data || data.type !== 'keep-page' || !port) return;
  event.waitUntil(
    keepPage(data.page, Array.isArray(data.assets) ? data.assets : []).then(
      (cached) => port.postMessage({ cached }),
      () => port.postMessage({ cached: false }),
    ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Signing out forgets the kept page: it carries the member's name.
  if (request.method === 'POST' && url.pathname.startsWith('/signout')) {
    event.waitUntil(caches.delete(CACHE));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && OFFLINE_PAGES.includes(url.pathname)) {
    event.respondWith(
      fetch(request).catch(() => caches.match(url.pathname).then((hit) => hit || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg') {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
