// `bearerToken`: the token of an `Authorization: Bearer` header, from whatever shape of request
// or headers a server hands over. Plain JavaScript, no core.

/** RFC 6750 section 2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
 * Linear on any input: anchored, and each repetition is followed by a disjoint class. */
const BEARER_RE = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** A longer Authorization value is refused before any work: far above any token a Verifier
 * would take in practice (HTTP servers cap a header well below this). */
const MAX_AUTHORIZATION_LENGTH = 1024 * 1024 + 1024;

function authorizationValue(input) {
  if (typeof input === "string") return input;
  if (input === null || typeof input !== "object") return null;
  // Fetch Request (or anything with Headers under .headers)
  if (input.headers && typeof input.headers.get === "function") return input.headers.get("authorization");
  // Fetch Headers
  if (typeof input.get === "function") return input.get("authorization");
  // Node IncomingMessage: its headers are a plain object
  if (input.headers !== null && typeof input.headers === "object" && !Array.isArray(input.headers)) input = input.headers;
  // Node headers object: lowercase keys, a value may be repeated as an array
  const v = input.authorization;
  if (Array.isArray(v)) return v.length === 1 ? v[0] : null;
  return v;
}

const isBlank = (c) => c === 0x20 || c === 0x09;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1), or null.
 * Accepts a Fetch `Request`, a `Headers`, a Node headers object (or request) or the header value. Never throws.
 */
export function bearerToken(input) {
  let value;
  try {
    value = authorizationValue(input);
  } catch {
    return null;
  }
  if (typeof value !== "string" || value.length > MAX_AUTHORIZATION_LENGTH) return null;
  // Surrounding spaces and tabs are not part of a header value. Trimmed by index: a regex such
  // as /[ \t]+$/g backtracks over every run of blanks and is quadratic in them.
  let start = 0;
  let end = value.length;
  while (start < end && isBlank(value.charCodeAt(start))) start++;
  while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
  const m = BEARER_RE.exec(start === 0 && end === value.length ? value : value.slice(start, end));
  return m ? m[1] : null;
}
