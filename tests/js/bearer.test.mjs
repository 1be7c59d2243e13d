// bearerToken: RFC 6750 section 2.1 extraction from every input form; null (never a throw) otherwise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { bearerToken } from "jwtward";

const T = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.abc-_def";

test("header value strings", () => {
  assert.equal(bearerToken(`Bearer ${T}`), T);
  assert.equal(bearerToken(`bearer ${T}`), T);
  assert.equal(bearerToken(`BEARER ${T}`), T);
  assert.equal(bearerToken("Bearer abc+/~._-=="), "abc+/~._-==");
  assert.equal(bearerToken(`  Bearer ${T}\t`), T); // surrounding whitespace is not part of a header value
});

test("refused header values", () => {
  for (const v of ["", "Bearer", "Bearer ", `Basic ${T}`, `Bearer${T}`, `Bearer ${T} extra`, `Bearer ${T},Bearer x`, "Bearer a=b", "Bearer =abc", "Bearer a b", "Bearer ä", `Token ${T}`, `Bearer\t${T}`, `Bearer ${T}\nX: y`]) {
    assert.equal(bearerToken(v), null, JSON.stringify(v));
  }
});

test("Fetch Request and Headers", () => {
  assert.equal(bearerToken(new Request("https://x.example", { headers: { Authorization: `Bearer ${T}` } })), T);
  assert.equal(bearerToken(new Headers({ authorization: `Bearer ${T}` })), T);
  assert.equal(bearerToken(new Headers()), null);
  assert.equal(bearerToken(new Request("https://x.example")), null);
  const two = new Headers();
  two.append("Authorization", `Bearer ${T}`);
  two.append("Authorization", "Bearer other");
  assert.equal(bearerToken(two), null);
});

test("Node headers objects and requests", () => {
  assert.equal(bearerToken({ authorization: `Bearer ${T}` }), T);
  assert.equal(bearerToken({ authorization: [`Bearer ${T}`] }), T);
  assert.equal(bearerToken({ authorization: [`Bearer ${T}`, "Bearer x"] }), null);
  assert.equal(bearerToken({ authorization: [] }), null);
  assert.equal(bearerToken({ authorization: undefined }), null);
  assert.equal(bearerToken({ host: "x" }), null);
  assert.equal(bearerToken({ headers: { authorization: `Bearer ${T}` } }), T); // IncomingMessage-like
});

test("odd inputs return null, never throw", () => {
  const hostile = {
    get authorization() {
      throw new Error("boom");
    },
  };
  const badGet = { get() { throw new Error("boom"); } };
  for (const v of [undefined, null, 0, 1n, true, Symbol("x"), [], [`Bearer ${T}`], () => `Bearer ${T}`, hostile, badGet, { authorization: 5 }, { authorization: { toString: () => `Bearer ${T}` } }, new Uint8Array(4), Object.create(null)]) {
    assert.equal(bearerToken(v), null);
  }
  assert.equal(bearerToken("Bearer " + "a".repeat(100_000)), "a".repeat(100_000));
});

// Issue 13: the trim was /^[ \t]+|[ \t]+$/g, which retries `[ \t]+$` from every blank of a run
// not at the end: 15,000 spaces cost ~100 ms, a megabyte ~10 minutes. These finish at once when
// the work is linear (the timeout only turns the old hang into a failure; nothing is timed).
test("long runs of blanks cost linear work", { timeout: 60_000 }, () => {
  const blanks = " \t".repeat(500_000); // 1 MB
  assert.equal(bearerToken(blanks), null);
  assert.equal(bearerToken(`${blanks}x`), null);
  assert.equal(bearerToken(`${blanks}x${blanks}`), null);
  assert.equal(bearerToken(`Bearer${blanks}x${blanks}!`), null);
  assert.equal(bearerToken(`Bearer ${blanks}${T}!`), null);
  assert.equal(bearerToken(`Bearer ${T}${"=".repeat(1_000_000)}!`), null);
  const half = " \t".repeat(200_000);
  assert.equal(bearerToken({ authorization: `${half}Bearer ${T}${half}` }), T);
  assert.equal(bearerToken(new Headers({ authorization: `Bearer ${T}${" ".repeat(100_000)}x` })), null);
});

test("an Authorization value over the bound is refused before any work", () => {
  assert.equal(bearerToken(`Bearer ${"a".repeat(2 * 1024 * 1024)}`), null);
  assert.equal(bearerToken(`Bearer ${"a".repeat(1024 * 1024)}`), "a".repeat(1024 * 1024));
});
