// One test per issuer-server bug of issue 13, each of which failed on the code before its fix
// (run with ISSUER_DIR=<a copy of the old server> to see it fail): a crashing request target,
// unbounded login counters, Unicode in emails and passwords, the multi-process recipe, Redis
// outages, login overload, publish-first key rotation, and access tokens of revoked families.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Verifier, decodeHeader } from "jwtward";
import { ISSUER_DIR, client, issuerFixture, raw, serverProcess } from "./helpers.mjs";
import { durableRedis } from "./redis.mjs";

const { dataDir, inProcess } = await issuerFixture("jwtward-issuer-fix-");

const USER = { email: "kate@example.com", password: "correct horse battery staple" };

/** `call`, but a request that takes longer than `ms` fails the test instead of hanging it. */
function bounded(call, ms) {
  return (method, path, opts = {}) => call(method, path, { ...opts, signal: AbortSignal.timeout(ms) });
}

test("1. a malformed request target (GET //[) is a 400, and the server keeps serving", async () => {
  // The server runs as its own process: before the fix this request killed it.
  const server = serverProcess({ DATA_DIR: dataDir() });
  const base = await server.ready;
  try {
    for (const target of ["//[", "//[::1", "http://[", "*", "//%zz", "/%"]) {
      const { status } = await raw(base, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.ok(status >= 400 && status < 500, `GET ${target}: ${status}`);
    }
    assert.equal((await client(base)("GET", "/.well-known/jwks.json")).status, 200, "still serving");
  } finally {
    await server.stop();
  }
});

test("2. login counters: bounded keys, expired ones swept, the table capped (a new key is limited, not added)", async () => {
  const { MemoryKv } = await import(join(ISSUER_DIR, "src/kv.mjs"));
  const kv = new MemoryKv({ maxCounters: 3 });
  for (const k of ["a", "b", "c"]) assert.equal((await kv.hit(k, 200)).count, 1);
  assert.equal((await kv.hit("a", 200)).count, 2, "a known key still counts");
  assert.ok((await kv.hit("d", 200)).count > 1_000_000, "a full table limits a new key");
  await sleep(250);
  assert.equal((await kv.hit("d", 200)).count, 1, "expired counters were swept, making room");

  // Over HTTP: an oversized email is refused before anything is counted or hashed.
  const { issuer, call } = await inProcess({ LOGIN_LIMIT_IP: "1000" });
  const big = { email: `${"x".repeat(10_000)}@example.com`, password: "whatever long" };
  const r = await call("POST", "/auth/login", { body: big });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  await issuer.close();
});

test("3. Unicode: lone surrogates are refused (400), a lookalike never reaches another account", async () => {
  const { issuer, call } = await inProcess({ LOGIN_LIMIT_IP: "1000", LOGIN_LIMIT_ACCOUNT: "1000" });
  // A lone surrogate in the email: refused at registration (it registered, then could never log in).
  const lone = await call("POST", "/auth/register", { body: { email: "lone\uD800@example.com", password: "a long password" } });
  assert.equal(lone.status, 400, JSON.stringify(lone.body));
  assert.equal((await call("POST", "/auth/login", { body: { email: "lone\uD800@example.com", password: "a long password" } })).status, 400);
  // Passwords differing only in lone surrogates (both became U+FFFD): refused.
  const pw = await call("POST", "/auth/register", { body: { email: "sur@example.com", password: "password\uD800" } });
  assert.equal(pw.status, 400, JSON.stringify(pw.body));
  assert.equal((await call("POST", "/auth/login", { body: { email: "sur@example.com", password: "password\uDC00" } })).status, 400);

  // The Kelvin sign (U+212A) for K: neither a new account nor a way into kate's.
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  const kelvin = { ...USER, email: "\u212Aate@example.com" };
  const reg = await call("POST", "/auth/register", { body: kelvin });
  assert.equal(reg.status, 400, JSON.stringify(reg.body));
  const login = await call("POST", "/auth/login", { body: kelvin });
  assert.equal(login.status, 400, `the lookalike logged in: ${JSON.stringify(login.body)}`);
  // Fullwidth letters and invisible characters likewise; plain case differences are one account.
  assert.equal((await call("POST", "/auth/register", { body: { ...USER, email: "ｋate@example.com" } })).status, 400);
  assert.equal((await call("POST", "/auth/register", { body: { ...USER, email: "ka\u200Bte@example.com" } })).status, 400);
  assert.equal((await call("POST", "/auth/register", { body: { ...USER, email: "KATE@Example.com" } })).status, 409);
  assert.equal((await call("POST", "/auth/login", { body: { ...USER, email: "Kate@example.com" } })).status, 200);
  // Well-formed non-ASCII addresses still work.
  assert.equal((await call("POST", "/auth/register", { body: { email: "zoë@bücher.example", password: "a long password" } })).status, 201);
  assert.equal((await call("POST", "/auth/login", { body: { email: "ZOË@BÜCHER.example", password: "a long password" } })).status, 200);
  await issuer.close();
});

/** The env of each `... node server.mjs` line of the README's multi-process recipe. */
function readmeRecipe() {
  const readme = readFileSync(join(ISSUER_DIR, "README.md"), "utf8");
  return readme
    .split("\n")
    .map((line) => /^((?:[A-Z_]+=\S+\s+)+)node server\.mjs/.exec(line.trim()))
    .filter((m) => m && m[1].includes("REDIS_URL="))
    .map((m) => Object.fromEntries(m[1].trim().split(/\s+/).map((kv) => kv.split(/=(.*)/s).slice(0, 2))));
}

test("4. the README's multi-process recipe: two processes on one Redis accept each other's tokens", async (t) => {
  const redis = await durableRedis({ aof: false });
  await redis.start();
  const shared = dataDir();
  let recipe = readmeRecipe();
  assert.ok(recipe.length >= 1, "the README shows processes sharing Redis");
  if (recipe.length === 1) recipe = [recipe[0], recipe[0]];
  // The recipe as written, on this test's Redis, data directory and free ports.
  const [a, b] = recipe.slice(0, 2).map((env) => serverProcess({ ...env, REDIS_URL: redis.url, DATA_DIR: shared, PORT: "0", COOKIE_SECURE: "0" }));
  t.after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  });
  const callA = client(await a.ready);
  const callB = client(await b.ready);
  assert.equal((await callA("POST", "/auth/register", { body: USER })).status, 201);
  const atA = await callA("POST", "/auth/login", { body: USER });
  assert.equal(atA.status, 200);
  const meB = await callB("GET", "/auth/me", { token: atA.body.access_token });
  assert.equal(meB.status, 200, `B refuses A's access token: ${JSON.stringify(meB.body)}`);
  // A refresh token from A rotates at B, and B's new access token works at A.
  const atB = await callB("POST", "/auth/refresh", { body: { refresh_token: atA.body.refresh_token } });
  assert.equal(atB.status, 200);
  assert.equal((await callA("GET", "/auth/me", { token: atB.body.access_token })).status, 200, "A refuses B's access token");
  const discoveryA = (await callA("GET", "/.well-known/openid-configuration")).body;
  const discoveryB = (await callB("GET", "/.well-known/openid-configuration")).body;
  assert.equal(discoveryA.issuer, discoveryB.issuer, "one issuer name");
});

test("5. Redis down at start, then killed and stalled: 503 + Retry-After in bounded time, recovery without restart", async (t) => {
  const redis = await durableRedis();
  // Nothing listens on the port yet.
  const server = serverProcess({ REDIS_URL: redis.url, ISSUER: "http://issuer.test", DATA_DIR: dataDir(), STORE_TIMEOUT: "1s", REDIS_PREFIX: "f5:" });
  t.after(async () => {
    await server.stop();
    await redis.stop();
  });
  const base = await Promise.race([server.ready, sleep(10_000).then(() => null)]);
  assert.ok(base, `the server neither listened nor exited with Redis down: ${server.output()}`);
  const call = bounded(client(base), 5000);

  const down = await call("POST", "/auth/register", { body: USER });
  assert.equal(down.status, 503, JSON.stringify(down.body));
  assert.ok(Number(down.headers.get("retry-after")) > 0);

  async function until(status, what) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await what();
      if (r.status === status || Date.now() > deadline) return r;
      await sleep(200);
    }
  }
  await redis.start();
  assert.equal((await until(201, () => call("POST", "/auth/register", { body: USER }))).status, 201, "recovered once Redis came up");
  const login = await call("POST", "/auth/login", { body: USER });
  assert.equal(login.status, 200);

  // Stalled: every request still answers, within the store deadline.
  await redis.kill("SIGSTOP");
  const started = performance.now();
  const stalled = await call("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } });
  const ms = performance.now() - started;
  assert.equal(stalled.status, 503, JSON.stringify(stalled.body));
  assert.ok(stalled.headers.get("retry-after"));
  assert.ok(ms < 3000, `a stalled Redis held the request ${ms.toFixed(0)} ms`);
  await redis.kill("SIGCONT");
  const me = await until(200, () => call("GET", "/auth/me", { token: login.body.access_token }));
  assert.equal(me.status, 200);

  // Killed: 503 (not 500), then back without restarting the server.
  await redis.kill("SIGKILL");
  const killed = await call("GET", "/auth/me", { token: login.body.access_token });
  assert.equal(killed.status, 503, JSON.stringify(killed.body));
  assert.ok(killed.headers.get("retry-after"));
  await redis.start();
  assert.equal((await until(200, () => call("GET", "/auth/me", { token: login.body.access_token }))).status, 200);
});

test("6. login overload is shed with 503 + Retry-After, not queued for seconds", async () => {
  const { issuer, call } = await inProcess({ HASH_CONCURRENCY: "1", HASH_QUEUE: "2", LOGIN_LIMIT_IP: "10000", LOGIN_LIMIT_ACCOUNT: "10000" });
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  const results = await Promise.all(
    Array.from({ length: 40 }, async () => {
      const started = performance.now();
      const r = await call("POST", "/auth/login", { body: USER });
      return { ...r, ms: performance.now() - started };
    }),
  );
  const shed = results.filter((r) => r.status === 503);
  assert.ok(results.every((r) => r.status === 200 || r.status === 503), results.map((r) => r.status).join(","));
  assert.ok(shed.length >= 30, `only ${shed.length} of 40 shed`);
  assert.ok(shed.every((r) => r.headers.get("retry-after") === "1"));
  assert.ok(Math.max(...shed.map((r) => r.ms)) < 1000, "a shed request is answered at once");
  await issuer.close();
});

test("7. key rotation publishes first and signs later: a verifier with the cached JWKS accepts the new key's tokens", async () => {
  const { issuer, call } = await inProcess({ KEY_PUBLISH_DELAY: "1s" });
  const first = await (async () => {
    assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
    return (await call("POST", "/auth/login", { body: USER })).body;
  })();
  const oldKid = decodeHeader(first.access_token).kid;
  const newKid = issuer.keys.rotate();
  // A verifier caches the JWKS right after the rotation (and never refetches).
  const cached = (await call("GET", "/.well-known/jwks.json")).body;
  assert.deepEqual(cached.keys.map((k) => k.kid).sort(), [oldKid, newKid].sort(), "the new key is published at once");
  const verifier = new Verifier(cached, { algorithms: ["ES256"], audience: "api", typ: "at+jwt" });
  const during = (await call("POST", "/auth/login", { body: USER })).body;
  assert.equal(decodeHeader(during.access_token).kid, oldKid, "the old key signs until the new one activates");
  await sleep(1100);
  const later = (await call("POST", "/auth/login", { body: USER })).body;
  assert.equal(decodeHeader(later.access_token).kid, newKid, "the new key signs after the delay");
  assert.equal(verifier.verify(later.access_token).header.kid, newKid);
  assert.equal((await call("GET", "/auth/me", { token: first.access_token })).status, 200, "the old key's tokens still verify");
  assert.ok((await call("GET", "/.well-known/jwks.json")).body.keys.some((k) => k.kid === oldKid), "the old key stays published");
  await issuer.close();
});

test("8. a family revoked for reuse (or by logout) takes its outstanding access tokens with it", async () => {
  const { issuer, call } = await inProcess();
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  const login = (await call("POST", "/auth/login", { body: USER })).body;
  const rotated = (await call("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } })).body;
  assert.equal((await call("GET", "/auth/me", { token: rotated.access_token })).status, 200);
  await sleep(1200); // past the reuse grace
  const replay = await call("POST", "/auth/refresh", { body: { refresh_token: login.refresh_token } });
  assert.equal(replay.body.error, "ERR_REFRESH_REUSED");
  for (const token of [login.access_token, rotated.access_token]) {
    const me = await call("GET", "/auth/me", { token });
    assert.equal(me.status, 401, "an access token of the revoked family still works");
    assert.equal(me.body.error, "ERR_JWT_REVOKED");
  }
  // Logout revokes the family's other access tokens too, not only the one presented.
  const again = (await call("POST", "/auth/login", { body: USER })).body;
  const sibling = (await call("POST", "/auth/refresh", { body: { refresh_token: again.refresh_token } })).body;
  assert.equal((await call("POST", "/auth/logout", { token: again.access_token })).status, 204);
  assert.equal((await call("GET", "/auth/me", { token: sibling.access_token })).status, 401);
  // Other families are untouched.
  const other = (await call("POST", "/auth/login", { body: USER })).body;
  assert.equal((await call("GET", "/auth/me", { token: other.access_token })).status, 200);
  await issuer.close();
});
