// The CommonJS entry: require("jwtward") works on its own, and it is the SAME instance as the
// ESM entry (one wasm module, one JwtError class), so errors cross between the two.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const jwtward = require("jwtward");

const NOW = 1_700_000_000;
const b64u = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");

test("require exposes the whole API", () => {
  for (const name of ["decode", "decodeHeader", "Key", "KeySet", "RemoteKeySet", "remoteKeySet", "Verifier", "verify", "checkClaims", "bearerToken", "JwtError", "Signer", "generateKeyPair", "generateKeyPairAsync"]) {
    assert.equal(typeof jwtward[name], "function", name);
  }
});

test("sign and verify through require", () => {
  const { Key, Signer, Verifier } = jwtward;
  const key = Key.fromSecret("a-long-enough-secret-for-the-cjs-test-0123456789");
  const t = new Signer(key, { alg: "HS256", issuer: "cjs" }).sign({ n: 1 }, { currentDate: NOW });
  const r = new Verifier(key, { algorithms: ["HS256"], issuer: "cjs", currentDate: NOW + 1 }).verify(t);
  assert.equal(r.payload.n, 1);
  assert.throws(() => new Verifier(key, { algorithms: ["HS256"], currentDate: NOW + 3600 }).verify(t), (e) => e instanceof jwtward.JwtError && e.code === "ERR_JWT_EXPIRED");
});

test("ESM and CJS entries are one instance", async () => {
  const esm = await import("jwtward");
  for (const name of Object.keys(jwtward)) assert.equal(esm[name], jwtward[name], name);
  assert.equal(esm.JwtError, jwtward.JwtError);

  // an error thrown through the ESM entry is instanceof the CJS class, and vice versa
  assert.throws(() => esm.decode("not.a.token"), (e) => e instanceof jwtward.JwtError);
  assert.throws(() => jwtward.decode("x"), (e) => e instanceof esm.JwtError);

  // a Key made through one entry is accepted by the other
  const key = esm.Key.fromSecret("shared-secret-shared-secret-shared-secret");
  const t = new jwtward.Signer(key, { alg: "HS256" }).sign({});
  assert.ok(new esm.Verifier(key, { algorithms: ["HS256"] }).verify(t));
  const forged = `${b64u({ alg: "HS256" })}.${b64u({ exp: NOW })}.${crypto.randomBytes(32).toString("base64url")}`;
  assert.throws(() => jwtward.verify(forged, key, { algorithms: ["HS256"] }), esm.JwtError);
});

test("package.json is exported and describes the entries", () => {
  const pkg = require("jwtward/package.json");
  assert.equal(pkg.name, "jwtward");
  assert.equal(pkg.exports["."].node.require.default, "./index.cjs");
  assert.equal(pkg.exports["."].node.import.default, "./index.node.mjs");
  assert.equal(pkg.exports["./full"].node.require.default, "./full/index.cjs");
  assert.equal(pkg.exports["./full"].node.import.default, "./full/index.node.mjs");
});

test("require(\"jwtward/full\") is the full entry's ES module, the one import gives", async () => {
  const full = require("jwtward/full");
  assert.equal(require.resolve("jwtward/full"), require.resolve("../../pkg/full/index.cjs"));
  assert.equal((await import("jwtward/full")).Verifier, full.Verifier);
  const key = full.Key.fromSecret("a-long-enough-secret-for-the-full-cjs-test-0123");
  const t = await new full.Signer(key, { alg: "HS256" }).signAsync({ n: 2 });
  assert.equal(full.verify(t, key, { algorithms: ["HS256"] }).payload.n, 2);
});
