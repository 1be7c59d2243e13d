// Fetching a document for remote key sets (a JWKS, or an issuer's metadata): the timeout, the
// size limit (before the body is read whole), the body read chunk by chunk,
// `Cache-Control: max-age`, and the errors a failed fetch becomes. Plain functions: nothing here
// touches the core.
import { JwtError, argError } from "./errors.js";
import { isPlainObject } from "./options.js";
import { MAX_JWKS_SIZE } from "./tables.js";

/** A JWKS larger than this is refused before it is read whole or parsed: the core's MAX_JWKS_SIZE
 * (src/keys/jwks.rs, 256 KiB; the core also caps a set at 100 keys). */
export const MAX_JWKS_BYTES = MAX_JWKS_SIZE;

/**
 * The options every document fetch takes (remoteKeySet, remoteKeySetFromIssuer, discover),
 * checked: `fetch` (default the global one), `headers` (strings), `timeout` (more than zero).
 * @param {{ fetch?: unknown, headers?: unknown, timeout: unknown }} o
 * @param {string} what the caller, for messages
 * @param {(value: unknown, name: string, what: string) => number} millis a duration option in ms
 * @returns {{ fetch: typeof fetch, headers: Record<string, string>, timeout: number }}
 */
export function fetchOptions(o, what, millis) {
  const fetch = o.fetch === undefined ? globalThis.fetch : o.fetch;
  if (typeof fetch !== "function") throw argError(`${what}: no fetch function (pass options.fetch on runtimes without a global fetch)`);
  if (o.headers !== undefined && !(isPlainObject(o.headers) && Object.values(o.headers).every((v) => typeof v === "string"))) {
    throw argError(`${what} options.headers must be an object of strings`);
  }
  const timeout = millis(o.timeout, "timeout", what);
  if (timeout <= 0) throw argError(`${what} options.timeout must be more than zero`);
  return { fetch, headers: o.headers || {}, timeout };
}

/** `max-age` of a Cache-Control header, in milliseconds, or undefined. */
export function maxAgeOf(headers) {
  const value = headers && typeof headers.get === "function" ? headers.get("cache-control") : null;
  if (typeof value !== "string") return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(value)) return 0;
  const m = /(^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(,|$)/i.exec(value);
  return m ? Number(m[2]) * 1000 : undefined;
}

function tooLarge(url, what) {
  return new JwtError("ERR_JWKS_INVALID", `the ${what} at ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
}

export const hasReader = (body) => body !== null && typeof body === "object" && typeof body.getReader === "function";

/** Releases a body that will not be read (its connection can then be reused or closed). */
export function discard(body) {
  if (hasReader(body) && typeof body.cancel === "function" && !body.locked) body.cancel().catch(() => {});
}

/**
 * The body as text, read chunk by chunk and abandoned as soon as it passes the limit: a
 * response without Content-Length (or lying about it) is never read whole first. A response
 * without a readable stream (some fetch replacements) falls back to `text()`, checked after.
 */
export async function readBody(url, response, controller, what = "JWKS") {
  const failed = (e) => (e instanceof JwtError ? e : fetchFailed(url, (e && e.message) || String(e), e, what));
  if (!hasReader(response.body)) {
    let text;
    try {
      text = await response.text();
    } catch (e) {
      throw failed(e);
    }
    if (typeof text !== "string") throw fetchFailed(url, "the response body is not text", undefined, what);
    // UTF-16 units never outnumber UTF-8 bytes, so this refuses nothing the core would take.
    if (text.length > MAX_JWKS_BYTES) throw tooLarge(url, what);
    return text;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw fetchFailed(url, "the response body is not bytes", undefined, what);
      size += value.byteLength;
      if (size > MAX_JWKS_BYTES) throw tooLarge(url, what);
      chunks.push(value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (controller) controller.abort();
    throw failed(e);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // As `text()` decodes: UTF-8, a BOM dropped, bad sequences replaced (the core then refuses them as JSON).
  return new TextDecoder().decode(bytes);
}

export function fetchFailed(url, message, cause, what = "JWKS") {
  return new JwtError("ERR_JWKS_FETCH_FAILED", `could not fetch the ${what} from ${url}: ${message}`, { cause });
}

/**
 * GETs `url` and returns its body as text (at most MAX_JWKS_BYTES) with its `max-age`:
 * `{ text, maxAge }`. Failures are JwtErrors: ERR_JWKS_TIMEOUT after `timeout` ms,
 * ERR_JWKS_FETCH_FAILED (network, a status other than 200), ERR_JWKS_INVALID (too large).
 * `redirect`: "follow" (a JWKS; fetch bounds the hops) or "manual" (issuer metadata, whose
 * location the specifications fix: a 3xx is refused). `what` names the document in messages.
 * @param {{ fetch: Function, url: string, headers: Record<string, string>, timeout: number,
 *           redirect?: "follow" | "manual", what?: string }} request
 */
export async function fetchDocument({ fetch: fetchFn, url, headers, timeout, redirect = "follow", what = "JWKS" }) {
  const controller = typeof AbortController === "function" ? new AbortController() : null;
  let timer;
  const timedOut = new Promise((_, reject) => {
    timer = setTimeout(() => {
      if (controller) controller.abort();
      reject(new JwtError("ERR_JWKS_TIMEOUT", `fetching the ${what} from ${url} took longer than ${timeout} ms`));
    }, timeout);
  });
  try {
    return await Promise.race([request(fetchFn, url, headers, redirect, controller, what), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function request(fetchFn, url, headers, redirect, controller, what) {
  let response;
  try {
    // Called as a plain function: browsers' and workerd's fetch throw "Illegal invocation"
    // when invoked as a method of another object.
    response = await fetchFn(url, { method: "GET", headers, redirect, ...(controller ? { signal: controller.signal } : {}) });
  } catch (e) {
    throw fetchFailed(url, (e && e.message) || String(e), e, what);
  }
  if (!response || (typeof response.text !== "function" && !hasReader(response.body))) throw fetchFailed(url, "fetch returned no response", undefined, what);
  if (response.status !== 200) {
    discard(response.body);
    const hint =
      redirect === "manual" && ((response.status >= 300 && response.status < 400) || response.type === "opaqueredirect")
        ? ": redirects are not followed here (the document must be served at this very URL)"
        : "";
    throw fetchFailed(url, `expected HTTP 200, got ${response.status}${hint}`, undefined, what);
  }
  const length = Number(response.headers && response.headers.get ? response.headers.get("content-length") : NaN);
  if (length > MAX_JWKS_BYTES) {
    discard(response.body);
    if (controller) controller.abort();
    throw new JwtError("ERR_JWKS_INVALID", `the ${what} at ${url} is ${length} bytes; at most ${MAX_JWKS_BYTES} are accepted`);
  }
  const text = await readBody(url, response, controller, what);
  return { text, maxAge: maxAgeOf(response.headers) };
}
