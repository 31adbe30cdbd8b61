/**
 * Offline support: on install, cache every file of the built app; serve them from the cache; answer any
 * navigation with the cached index.html. Requests to other origins (ledger RPC, status-list mirrors) are
 * left to the network. The build (vite.config.ts) replaces the placeholder below with the file list and
 * a version derived from the build's contents, so each release gets its own cache.
 *
 * Typed with local minimal interfaces: the workspace's shared tsconfig uses the DOM lib, not WebWorker.
 */

interface Precache {
  version: string;
  urls: string[];
}

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}

interface ServiceWorkerScopeLike {
  registration: { scope: string };
  clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

// Replaced at build time (a JSON object literal); parsed at runtime so the placeholder survives minifying.
const PRECACHE = "__CRADLE_PRECACHE__" as unknown as Precache;
const CACHE_PREFIX = 'cradle-checkpoint-';
const CACHE_NAME = `${CACHE_PREFIX}${PRECACHE.version}`;
const worker = self as unknown as ServiceWorkerScopeLike;
const scope = worker.registration.scope;
const precached = new Set(PRECACHE.urls.map((u) => new URL(u, scope).href));
const indexUrl = new URL('./index.html', scope).href;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      // 'reload' skips the HTTP cache so a release never precaches a stale file.
      await cache.addAll(PRECACHE.urls.map((u) => new Request(new URL(u, scope), { cache: 'reload' })));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== new URL(scope).origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE_NAME);
        const hit = await cache.match(indexUrl);
        return hit ?? fetch(request);
      })(),
    );
    return;
  }
  url.search = '';
  if (!precached.has(url.href)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE_NAME);
      return (await cache.match(url.href)) ?? fetch(request);
    })(),
  );
});
