// Refresh tokens through the CommonJS entry: the same classes as the ESM entry, and a
// MemoryStore round trip whose errors are the shared JwtError.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const jwtward = require("jwtward");

test("require exposes the refresh-token API, shared with the ESM entry", async () => {
  const esm = await import("jwtward");
  for (const name of ["generateRefreshToken", "hashToken", "RefreshTokens", "MemoryStore", "RedisStore", "RedisClusterStore"]) {
    assert.equal(typeof jwtward[name], "function", name);
    assert.equal(esm[name], jwtward[name], name);
  }
});

test("issue, rotate, reuse and revoke through require", async () => {
  const { RefreshTokens, MemoryStore, JwtError } = jwtward;
  const rt = new RefreshTokens({ store: new MemoryStore(), reuseGrace: 0 });
  const first = await rt.issue("cjs-user");
  const second = await rt.rotate(first.token);
  assert.equal(second.subject, "cjs-user");
  await assert.rejects(rt.rotate(first.token), (e) => e instanceof JwtError && e.code === "ERR_REFRESH_REUSED");
  await assert.rejects(rt.rotate(second.token), (e) => e instanceof JwtError && e.code === "ERR_REFRESH_REVOKED");
});
