// Shared stores for remote key sets (`remoteKeySet(url, { store })`): the entry format a set is
// kept in, read back as strictly as a network response, and two adapters for Cloudflare Workers
// (the Cache API and KV). A store is any `{ get(url), put(url, text, maxAgeSeconds) }`; what it
// returns is never trusted: an entry that does not parse, names another URL, claims to come from
// the future or is past its age is ignored, and its body goes through the same parser as a
// network body. Plain functions: nothing here touches the core.
import { argError } from "./errors.js";
import { MAX_JWKS_BYTES, readBody } from "./jwks-response.js";

/** The first line of an entry: format, fetch time (ms since the epoch), fresh lifetime (ms), URL. */
const HEADER = /^jwtward-store\/1 (\d{1,15}) (\d{1,12}) (\S{1,2048})$/;
/** Clocks of two isolates may differ a little; an entry from further in the future is refused. */
const MAX_CLOCK_SKEW_MS = 60_000;

/**
 * An entry: one header line, then the document exactly as the server sent it (no escaping, so
 * the stored size is the body's size plus one line).
 * @param {string} url @param {number} fetchedAt @param {number} freshFor @param {string} body
 */
export function encodeEntry(url, fetchedAt, freshFor, body) {
  return `jwtward-store/1 ${Math.floor(fetchedAt)} ${Math.floor(freshFor)} ${url}\n${body}`;
}

/**
 * The entry a store returned for `url` (a string, or an object with a string `text`), or null
 * when it is absent or unusable: malformed, for another URL, from the future, too large.
 * @returns {{ fetchedAt: number, freshFor: number, body: string } | null}
 */
export function decodeEntry(value, url, now) {
  const text = typeof value === "string" ? value : value !== null && typeof value === "object" && typeof value.text === "string" ? value.text : null;
  if (text === null || text.length > MAX_JWKS_BYTES + 2200) return null;
  const newline = text.indexOf("\n");
  if (newline < 0) return null;
  const m = HEADER.exec(text.slice(0, newline));
  if (m === null || m[3] !== url) return null;
  const fetchedAt = Number(m[1]);
  const freshFor = Number(m[2]);
  if (fetchedAt > now + MAX_CLOCK_SKEW_MS) return null;
  const body = text.slice(newline + 1);
  if (body.length > MAX_JWKS_BYTES) return null;
  return { fetchedAt, freshFor, body };
}

/** `store` checked once, when the key set is created: a misconfigured store is a programming error. */
export function checkStore(store, what) {
  if (store === undefined) return null;
  if (store === null || typeof store !== "object" || typeof store.get !== "function" || typeof store.put !== "function") {
    throw argError(`${what} options.store must be an object with get(url) and put(url, text, maxAgeSeconds) methods, such as kvJwksStore(env.MY_KV) or cacheApiJwksStore(caches.default)`);
  }
  return store;
}

/**
 * Runs `call` (a store operation) raced against `ms`: a store that hangs must not hang
 * verification. Resolves to `fallback` on timeout, rejection or a synchronous throw (a store
 * failure only costs a network fetch).
 */
export async function bounded(call, ms, fallback) {
  let promise;
  try {
    promise = Promise.resolve(call());
  } catch {
    return fallback;
  }
  let timer;
  try {
    return await Promise.race([
      promise.catch(() => fallback),
      new Promise((resolve) => {
        timer = setTimeout(() => resolve(fallback), ms);
      }),
    ]);
  } catch {
    return fallback;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A store over a Workers KV namespace binding. KV is eventually consistent: a write made in one
 * location can take 60 seconds or more to be seen elsewhere, so isolates may read an older entry
 * (still bounded by its age) or none, and then fetch. KV refuses lifetimes under 60 seconds:
 * the entry's own age is checked on every read, so it never serves past it anyway.
 * @param {{ get(key: string, type?: "text"): Promise<string | null>, put(key: string, value: string, options?: object): Promise<void> }} namespace
 * @param {{ prefix?: string }} [options]
 */
export function kvJwksStore(namespace, options = {}) {
  if (namespace === null || typeof namespace !== "object" || typeof namespace.get !== "function" || typeof namespace.put !== "function") {
    throw argError("kvJwksStore(namespace): pass a KV namespace binding, e.g. env.JWKS_KV");
  }
  const prefix = options && options.prefix !== undefined ? options.prefix : "jwtward:jwks:";
  if (typeof prefix !== "string") throw argError("kvJwksStore options.prefix must be a string");
  // KV keys are at most 512 bytes; longer URLs are refused by KV, and that costs only a fetch.
  return {
    get: (url) => namespace.get(prefix + url, "text"),
    put: (url, text, maxAgeSeconds) => namespace.put(prefix + url, text, { expirationTtl: Math.max(60, Math.ceil(maxAgeSeconds)) }),
  };
}

/**
 * A store over a Workers Cache API cache (`caches.default` or `await caches.open(name)`). The
 * Cache API is local to one data centre (nothing is replicated) and does nothing on
 * `*.workers.dev` hostnames, where every isolate then fetches. Entries are kept under a URL of
 * their own (`keyBase` + the JWKS URL, encoded), never under the JWKS URL itself, so that a
 * `fetch` of the JWKS through the same cache is never answered with an entry.
 * @param {{ match(request: Request): Promise<Response | undefined>, put(request: Request, response: Response): Promise<void> }} cache
 * @param {{ keyBase?: string }} [options]
 */
export function cacheApiJwksStore(cache, options = {}) {
  if (cache === null || typeof cache !== "object" || typeof cache.match !== "function" || typeof cache.put !== "function") {
    throw argError("cacheApiJwksStore(cache): pass a Cache API cache, e.g. caches.default");
  }
  const keyBase = options && options.keyBase !== undefined ? options.keyBase : "https://jwtward-jwks-store.invalid/";
  if (typeof keyBase !== "string" || !/^https?:\/\/[^/]+\/$/.test(keyBase)) throw argError('cacheApiJwksStore options.keyBase must be an http(s) origin ending in "/", e.g. "https://jwks-cache.internal/"');
  const key = (url) => new Request(keyBase + encodeURIComponent(url));
  return {
    async get(url) {
      const request = key(url);
      const response = await cache.match(request);
      // Read with the network's size limit: a huge entry is abandoned, not read whole.
      return response ? readBody(request.url, response, null, "stored key set") : null;
    },
    put: (url, text, maxAgeSeconds) =>
      cache.put(key(url), new Response(text, { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": `max-age=${Math.max(1, Math.ceil(maxAgeSeconds))}` } })),
  };
}
