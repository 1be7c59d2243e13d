// Shared helpers of the JS tests: hand-made tokens (so malformed and hostile tokens can be
// built byte by byte with node:crypto, independently of jwtward) and error assertions.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { JwtError } from "jwtward";

export const NOW = 1_700_000_000;
export const SECRET = "a-test-secret-that-is-long-enough-for-hs512-and-then-some-0123456789";

export const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

/** An HS* token over arbitrary header and payload (objects, or raw strings used as-is). */
export function hmacToken(header, payload, secret = SECRET, hash = "sha256") {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${crypto.createHmac(hash, secret).update(input).digest("base64url")}`;
}

/** A valid HS256 token with the usual claims around NOW. */
export function goodToken(extraPayload = {}, extraHeader = {}) {
  return hmacToken(
    { alg: "HS256", typ: "JWT", ...extraHeader },
    { iss: "https://issuer.example", aud: "api", sub: "user-1", iat: NOW - 10, exp: NOW + 600, ...extraPayload },
  );
}

/** Asserts `fn` throws a JwtError whose code is exactly `code` (and whose other fields match `extra`), returns it. */
export function throwsCode(fn, code, extra = {}) {
  let caught;
  assert.throws(fn, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof JwtError, `expected a JwtError, got ${caught && caught.name}: ${caught && caught.message}`);
  assert.equal(caught.name, "JwtError");
  assert.equal(caught.code, code, caught.message);
  for (const [k, v] of Object.entries(extra)) assert.equal(caught[k], v, `${k} of ${caught.code}: ${caught.message}`);
  return caught;
}

/** `throwsCode` for a promise: it rejects with a JwtError of exactly `code` (and a message matching `pattern`, if given). */
export async function rejectsCode(promise, code, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof JwtError, `expected a JwtError, got ${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}
