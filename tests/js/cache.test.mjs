// The opt-in verified-token cache (`new Verifier(keys, { ..., cache: { max, ttl } })`): each of
// its rules has a test here. Time is driven by replacing Date.now, the clock a Verifier without
// `currentDate` reads; the remote key set gets an injected fetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { Key, Signer, Verifier, generateKeyPair, remoteKeySet } from "jwtward";
import { createTokenCache } from "../../pkg/src/token-cache.js";
import { hmacToken, throwsCode, SECRET } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const T = 1_800_000_000;
const key = Key.fromSecret(SECRET);
const OPTS = { algorithms: ["HS256"], issuer: "https://issuer.example", audience: "api" };
const token = (claims) => hmacToken({ alg: "HS256" }, { iss: "https://issuer.example", aud: "api", sub: "u", ...claims });

/** Runs `fn` with the wall clock at `seconds`. */
function at(seconds, fn) {
  const real = Date.now;
  Date.now = () => seconds * 1000;
  try {
    return fn();
  } finally {
    Date.now = real;
  }
}

test("a hit gives the same answer, as a fresh copy the caller may edit", () => {
  const v = new Verifier(key, { ...OPTS, cache: { max: 10 } });
  const t = token({ exp: T + 60, roles: ["a"] });
  const first = at(T, () => v.verify(t));
  first.payload.sub = "edited";
  first.payload.roles.push("b");
  const second = at(T, () => v.verify(t));
  assert.deepEqual(second, { header: { alg: "HS256" }, payload: { iss: "https://issuer.example", aud: "api", sub: "u", exp: T + 60, roles: ["a"] } });
  second.payload.roles.push("c");
  assert.deepEqual(at(T, () => v.verify(t)).payload.roles, ["a"]);
});

test("an entry never outlives exp, with clockTolerance applied as in verification", () => {
  const v = new Verifier(key, { ...OPTS, clockTolerance: "5s", cache: { max: 10 } });
  const t = token({ exp: T + 10 });
  at(T, () => v.verify(t));
  at(T + 14, () => v.verify(t));
  throwsCode(() => at(T + 15, () => v.verify(t)), "ERR_JWT_EXPIRED");
  const strict = new Verifier(key, { ...OPTS, cache: { max: 10 } });
  at(T + 9, () => strict.verify(t));
  throwsCode(() => at(T + 10, () => strict.verify(t)), "ERR_JWT_EXPIRED");
});

test("an entry is not used before nbf, nor past maxTokenAge", () => {
  const v = new Verifier(key, { ...OPTS, cache: { max: 10 } });
  const t = token({ nbf: T + 100, exp: T + 1000 });
  throwsCode(() => at(T, () => v.verify(t)), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "nbf" });
  at(T + 100, () => v.verify(t));
  throwsCode(() => at(T + 50, () => v.verify(t)), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "nbf" });

  const aged = new Verifier(key, { ...OPTS, maxTokenAge: 60, cache: { max: 10 } });
  const young = token({ iat: T });
  at(T + 60, () => aged.verify(young));
  throwsCode(() => at(T + 61, () => aged.verify(young)), "ERR_JWT_EXPIRED", { claim: "iat" });
  throwsCode(() => at(T - 1, () => aged.verify(young)), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "iat" });
});

test("the fixed currentDate is the cache's clock too", () => {
  const t = token({ exp: T + 10 });
  const early = new Verifier(key, { ...OPTS, currentDate: T, cache: { max: 10 } });
  const late = new Verifier(key, { ...OPTS, currentDate: new Date((T + 10) * 1000), cache: { max: 10 } });
  early.verify(t);
  early.verify(t);
  throwsCode(() => late.verify(t), "ERR_JWT_EXPIRED");
});

test("failures are never cached: a bad token fails every time, and a good one still passes after it", () => {
  const v = new Verifier(key, { ...OPTS, cache: { max: 10 } });
  const good = token({ exp: T + 60 });
  const forged = `${good.slice(0, good.lastIndexOf("."))}.${"A".repeat(43)}`;
  for (let i = 0; i < 3; i++) throwsCode(() => at(T, () => v.verify(forged)), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  const wrongAud = token({ aud: "other", exp: T + 60 });
  for (let i = 0; i < 3; i++) throwsCode(() => at(T, () => v.verify(wrongAud)), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "aud" });
  assert.equal(at(T, () => v.verify(good)).payload.sub, "u");
});

test("tokens without exp are kept at most ttl", () => {
  const v = new Verifier(key, { ...OPTS, cache: { max: 10, ttl: "1m" } });
  const t = token({});
  at(T, () => v.verify(t));
  assert.equal(at(T + 61, () => v.verify(t)).payload.sub, "u"); // recomputed, still valid
});

test("a cached result is not trusted after a remote key set's keys change", async () => {
  const kp = (kid) => generateKeyPair("ES256", { kid });
  const a = kp("a");
  const b = kp("b");
  let jwks = { keys: [a.publicKey.toPublicJwk()] };
  const fetch = async () => new Response(JSON.stringify(jwks), { status: 200, headers: { "content-type": "application/json" } });
  const keys = remoteKeySet("https://issuer.example/jwks", { fetch, cooldown: 0 });
  const v = new Verifier(keys, { algorithms: ["ES256"], issuer: "https://issuer.example", cache: { max: 10 } });
  const t = new Signer(a.privateKey, { alg: "ES256", issuer: "https://issuer.example" }).sign({ sub: "u" });
  assert.equal((await v.verifyAsync(t)).payload.sub, "u");
  assert.equal((await v.verifyAsync(t)).payload.sub, "u");
  // The issuer revokes key a: once the set is refetched, tokens signed by a fail at once.
  jwks = { keys: [b.publicKey.toPublicJwk()] };
  await keys.reload();
  await assert.rejects(v.verifyAsync(t), (e) => e.code === "ERR_JWKS_NO_MATCHING_KEY");
});

test("the cache is a bounded LRU keyed by a SHA-256 of the token, never the token", () => {
  const { TokenCache } = createTokenCache({ parseSeconds: () => 600 });
  const seen = [];
  const hash = (t) => {
    seen.push(t);
    return `h:${t.length}:${t.at(-1)}`;
  };
  const cache = new TokenCache({ max: 2 }, hash, { clockTolerance: 0, maxTokenAge: undefined });
  const result = (n) => ({ header: { alg: "HS256" }, payload: { n, exp: T + 60 } });
  cache.set("token-1", JSON.stringify(result(1)), result(1), T);
  cache.set("token-2", JSON.stringify(result(2)), result(2), T);
  assert.equal(cache.get("token-1", T).payload.n, 1); // token-1 is now the most recent
  cache.set("token-3", JSON.stringify(result(3)), result(3), T);
  assert.equal(cache.size, 2);
  assert.equal(cache.get("token-2", T), undefined); // the least recently used went
  assert.equal(cache.get("token-1", T).payload.n, 1);
  assert.equal(cache.get("token-3", T).payload.n, 3);
  assert.ok(seen.every((t) => t.startsWith("token-")), "every lookup goes through the hash");
  cache.clear();
  assert.equal(cache.size, 0);
});

test("the Node hash is SHA-256 and the core's agrees with it", async () => {
  const core = require("../../pkg/dist/node/jwtward_core.js");
  const crypto = await import("node:crypto");
  const t = token({ exp: T });
  assert.equal(core.cacheKey(t), crypto.createHash("sha256").update(t).digest("base64url"));
});

test("cache options are checked", () => {
  for (const cache of [{}, { max: 0 }, { max: 1.5 }, { max: "10" }, { max: 10, size: 1 }, { max: 10, ttl: "soon" }, null, true]) {
    assert.throws(() => new Verifier(key, { ...OPTS, cache }), TypeError, JSON.stringify(cache));
  }
});

// Issue 13: hits were copied with for…in, so a signed `__proto__` member became the prototype
// of the copy (its members then read as claims) instead of the own property JSON.parse makes.
test("a hit is exactly the uncached answer, whatever the member names", async () => {
  const payload =
    '{"iss":"https://issuer.example","aud":"api","sub":"u","exp":' + (T + 60) +
    ',"__proto__":{"admin":true,"sub":"root","exp":1},"constructor":{"prototype":{"polluted":1}},' +
    '"nested":{"__proto__":{"role":"root"},"list":[{"__proto__":null},{"toString":"x"}]},"hasOwnProperty":1}';
  const t = hmacToken('{"alg":"HS256","__proto__":{"kid":"k"}}', payload);
  for (const verify of [(v) => v.verify(t), (v) => v.verifyAsync(t)]) {
    const uncached = at(T, () => new Verifier(key, OPTS).verify(t));
    const v = new Verifier(key, { ...OPTS, cache: { max: 10 } });
    const first = await at(T, () => verify(v));
    const second = await at(T, () => verify(v));
    assert.deepStrictEqual(first, uncached);
    assert.deepStrictEqual(second, uncached);
    for (const r of [first, second]) {
      assert.equal(Object.getPrototypeOf(r.payload), Object.prototype);
      assert.equal(Object.getPrototypeOf(r.header), Object.prototype);
      assert.equal(Object.getPrototypeOf(r.payload.nested), Object.prototype);
      assert.ok(Object.hasOwn(r.payload, "__proto__"));
      assert.deepStrictEqual(r.payload["__proto__"], JSON.parse('{"admin":true,"sub":"root","exp":1}'));
      assert.equal(r.payload.admin, undefined);
      assert.equal(r.payload.sub, "u");
      assert.equal(r.header.kid, undefined);
      assert.ok(Object.hasOwn(r.payload.nested.list[0], "__proto__"));
      assert.deepStrictEqual(Object.keys(r.payload), Object.keys(uncached.payload));
    }
    // What a caller does to one answer never reaches the next.
    second.payload.nested.list.push("edited");
    second.payload["__proto__"].admin = false;
    const third = await at(T, () => verify(v));
    assert.deepStrictEqual(third, uncached);
    assert.equal(Object.prototype.polluted, undefined);
  }
});

test("the cache reads a payload's time claims from its own members only", () => {
  // exp only under "__proto__": the token has no exp; the entry must not be judged by that one.
  const t = hmacToken({ alg: "HS256" }, '{"iss":"https://issuer.example","aud":"api","sub":"u","__proto__":{"exp":1}}');
  const v = new Verifier(key, { ...OPTS, cache: { max: 10, ttl: "1h" } });
  assert.equal(at(T, () => v.verify(t)).payload.sub, "u");
  assert.equal(at(T + 60, () => v.verify(t)).payload.sub, "u");
});
