// Reading a JWKS response for remote key sets: the size limit (before the body is read whole),
// the body read chunk by chunk, `Cache-Control: max-age`, and the errors a failed fetch becomes.
// Plain functions: nothing here touches the core.
import { JwtError } from "./errors.js";
import { MAX_JWKS_SIZE } from "./tables.js";

/** A JWKS larger than this is refused before it is read whole or parsed: the core's MAX_JWKS_SIZE
 * (src/keys/jwks.rs, 256 KiB; the core also caps a set at 100 keys). */
export const MAX_JWKS_BYTES = MAX_JWKS_SIZE;

/** `max-age` of a Cache-Control header, in milliseconds, or undefined. */
export function maxAgeOf(headers) {
  const value = headers && typeof headers.get === "function" ? headers.get("cache-control") : null;
  if (typeof value !== "string") return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(value)) return 0;
  const m = /(^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(,|$)/i.exec(value);
  return m ? Number(m[2]) * 1000 : undefined;
}

function tooLarge(url) {
  return new JwtError("ERR_JWKS_INVALID", `the JWKS at ${url} is larger than ${MAX_JWKS_BYTES} bytes`);
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
export async function readBody(url, response, controller) {
  const failed = (e) => (e instanceof JwtError ? e : fetchFailed(url, (e && e.message) || String(e), e));
  if (!hasReader(response.body)) {
    let text;
    try {
      text = await response.text();
    } catch (e) {
      throw failed(e);
    }
    if (typeof text !== "string") throw fetchFailed(url, "the response body is not text");
    // UTF-16 units never outnumber UTF-8 bytes, so this refuses nothing the core would take.
    if (text.length > MAX_JWKS_BYTES) throw tooLarge(url);
    return text;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) throw fetchFailed(url, "the response body is not bytes");
      size += value.byteLength;
      if (size > MAX_JWKS_BYTES) throw tooLarge(url);
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

export function fetchFailed(url, message, cause) {
  return new JwtError("ERR_JWKS_FETCH_FAILED", `could not fetch the JWKS from ${url}: ${message}`, { cause });
}
