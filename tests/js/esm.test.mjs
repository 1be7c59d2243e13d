// The ESM entry: named exports exist, and `import` and `createRequire` give the same objects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as jwtward from "jwtward";

const require = createRequire(import.meta.url);

test("every public name is exported from the ESM entry", () => {
  const names = ["decode", "decodeHeader", "Key", "KeySet", "RemoteKeySet", "remoteKeySet", "Verifier", "verify", "checkClaims", "bearerToken", "JwtError", "Signer", "generateKeyPair", "generateKeyPairAsync"];
  names.push("generateRefreshToken", "hashToken", "RefreshTokens", "MemoryStore", "RedisStore", "RedisClusterStore");
  names.push("remoteKeySetFromIssuer", "discover", "kvJwksStore", "cacheApiJwksStore");
  assert.deepEqual(Object.keys(jwtward).filter((n) => n !== "default").sort(), [...names].sort());
  for (const n of names) assert.equal(typeof jwtward[n], "function", n);
});

test("import and require share one instance", () => {
  const cjs = require("jwtward");
  assert.equal(cjs.JwtError, jwtward.JwtError);
  assert.equal(cjs.Key, jwtward.Key);
  try {
    cjs.verify("a.b.c", cjs.Key.fromSecret("another-secret-another-secret-another"), { algorithms: ["HS256"] });
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof jwtward.JwtError);
    assert.equal(e.code, "ERR_JWS_INVALID");
  }
});

test("jwtward and jwtward/full are two modules, each shared by import and require", async () => {
  const full = await import("jwtward/full");
  assert.equal(require("jwtward/full").Verifier, full.Verifier);
  if (process.env.JWTWARD_ENTRY === "full") {
    // This run is the suite against jwtward/full (tests/js/full-entry.mjs): "jwtward" must be it.
    assert.equal(jwtward.Verifier, full.Verifier);
    return;
  }
  assert.notEqual(jwtward.Verifier, full.Verifier);
  // One JwtError class (pkg/src/errors.js) for both, so `instanceof` holds across them.
  assert.equal(jwtward.JwtError, full.JwtError);
  // Each entry's Key belongs to its own core: the other refuses it plainly.
  const key = full.Key.fromSecret("a-secret-for-the-two-modules-test-0123456789");
  assert.throws(() => new jwtward.Signer(key, { alg: "HS256" }), TypeError);
});
