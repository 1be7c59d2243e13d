// The reference issuer server (js-examples/issuer-server) end to end over HTTP: on the memory
// store in-process, and as two server processes sharing a real redis-server. Covers accounts,
// rate limits, refresh rotation with the cookie and the body, 50 concurrent refreshes, reuse
// detection, logout, key rotation, and verification of its tokens by an outside verifier
// through its JWKS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { Verifier, decodeHeader, remoteKeySet } from "jwtward";
import { startRedis } from "../js/redis-server.mjs";
import { client, issuerFixture, serverProcess } from "./helpers.mjs";

const { dataDir, inProcess } = await issuerFixture("jwtward-issuer-test-");

const USER = { email: "ada@example.com", password: "correct horse battery staple" };

async function registerAndLogin(call, user = USER) {
  assert.equal((await call("POST", "/auth/register", { body: user })).status, 201);
  const login = await call("POST", "/auth/login", { body: user });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body;
}

test("discovery and JWKS: an outside verifier checks the issuer's access tokens through jwks_uri", async () => {
  const { issuer, base, call } = await inProcess();
  const discovery = await call("GET", "/.well-known/openid-configuration");
  assert.equal(discovery.body.issuer, base);
  assert.equal(discovery.body.jwks_uri, `${base}/.well-known/jwks.json`);
  const jwks = await call("GET", "/.well-known/jwks.json");
  assert.match(jwks.headers.get("cache-control"), /max-age=\d+/);
  assert.equal(jwks.body.keys.length, 1);
  assert.equal(jwks.body.keys[0].d, undefined, "no private part");

  const { access_token } = await registerAndLogin(call);
  const verifier = new Verifier(remoteKeySet(discovery.body.jwks_uri), { algorithms: ["ES256"], issuer: base, audience: "api", typ: "at+jwt" });
  const { payload, header } = await verifier.verifyAsync(access_token);
  assert.equal(header.kid, jwks.body.keys[0].kid);
  assert.equal(payload.email, USER.email);
  assert.equal(typeof payload.sid, "string");
  assert.equal(payload.exp - payload.iat, 900);
  await issuer.close();
});

test("accounts: validation, duplicates, wrong passwords, non-JSON bodies", async () => {
  const { issuer, call } = await inProcess();
  assert.equal((await call("POST", "/auth/register", { body: { email: "nope", password: "long enough" } })).status, 400);
  assert.equal((await call("POST", "/auth/register", { body: { email: "a@b.c", password: "short" } })).status, 400);
  assert.equal((await call("POST", "/auth/register", { body: USER })).status, 201);
  assert.equal((await call("POST", "/auth/register", { body: { ...USER, email: "ADA@example.com" } })).status, 409);
  assert.equal((await call("POST", "/auth/login", { body: { ...USER, password: "wrong password" } })).status, 401);
  assert.equal((await call("POST", "/auth/login", { body: { email: "nobody@example.com", password: "whatever1" } })).status, 401);
  assert.equal((await call("POST", "/auth/login", { body: "email=x", headers: { "content-type": "text/plain" } })).status, 415);
  assert.equal((await call("POST", "/auth/login", { body: "{oops" })).status, 400);
  assert.equal((await call("GET", "/auth/login")).status, 405);
  assert.equal((await call("GET", "/nowhere")).status, 404);
  await issuer.close();
});

test("login is rate-limited per account and per IP, with Retry-After", async () => {
  const { issuer, call } = await inProcess({ LOGIN_LIMIT_ACCOUNT: "3", LOGIN_LIMIT_IP: "6", LOGIN_WINDOW: "1m" });
  await call("POST", "/auth/register", { body: USER });
  for (let i = 0; i < 3; i++) assert.equal((await call("POST", "/auth/login", { body: { ...USER, password: "wrong password" } })).status, 401);
  const limited = await call("POST", "/auth/login", { body: USER });
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get("retry-after")) > 0 && Number(limited.headers.get("retry-after")) <= 60);
  // Other accounts from the same IP: allowed until the IP limit (6 attempts in all).
  assert.equal((await call("POST", "/auth/login", { body: { email: "eve@example.com", password: "guess1234" } })).status, 401);
  assert.equal((await call("POST", "/auth/login", { body: { email: "eve@example.com", password: "guess1234" } })).status, 401);
  assert.equal((await call("POST", "/auth/login", { body: { email: "bob@example.com", password: "guess1234" } })).status, 429);
  await issuer.close();
});

test("refresh: rotation through the cookie and the body, cookie attributes, reuse revokes the family", async () => {
  const { issuer, call } = await inProcess();
  await call("POST", "/auth/register", { body: USER });
  const login = await call("POST", "/auth/login", { body: USER });
  const setCookie = login.headers.get("set-cookie");
  for (const attr of ["HttpOnly", "Secure", "SameSite=Strict", "Path=/auth"]) assert.ok(setCookie.includes(attr), `${attr} in ${setCookie}`);
  const cookie = setCookie.split(";")[0];
  assert.equal(cookie, `refresh_token=${login.body.refresh_token}`);

  const viaCookie = await call("POST", "/auth/refresh", { cookie });
  assert.equal(viaCookie.status, 200);
  assert.notEqual(viaCookie.body.refresh_token, login.body.refresh_token);
  const viaBody = await call("POST", "/auth/refresh", { body: { refresh_token: viaCookie.body.refresh_token } });
  assert.equal(viaBody.status, 200);
  assert.equal((await call("GET", "/auth/me", { token: viaBody.body.access_token })).body.email, USER.email);

  await sleep(1200); // past the 1 s reuse grace window
  const replay = await call("POST", "/auth/refresh", { cookie });
  assert.equal(replay.status, 401);
  assert.equal(replay.body.error, "ERR_REFRESH_REUSED");
  assert.match(replay.headers.get("set-cookie"), /refresh_token=;.*Max-Age=0/);
  const newest = await call("POST", "/auth/refresh", { body: { refresh_token: viaBody.body.refresh_token } });
  assert.equal(newest.body.error, "ERR_REFRESH_REVOKED");
  assert.equal((await call("POST", "/auth/refresh", { body: { refresh_token: "not-a-token" } })).body.error, "ERR_REFRESH_INVALID");
  assert.equal((await call("POST", "/auth/refresh")).status, 400);
  await issuer.close();
});

test("50 concurrent refreshes of one token get one and the same successor", async () => {
  const { issuer, call } = await inProcess();
  const { refresh_token } = await registerAndLogin(call);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 50 }, () => call("POST", "/auth/refresh", { body: { refresh_token } })));
  const ms = performance.now() - started;
  const successors = new Set(results.map((r) => r.body.refresh_token));
  console.log(`# issuer, memory store: 50 concurrent HTTP refreshes: ${results.filter((r) => r.status === 200).length} x 200, ${successors.size} distinct successor(s), ${ms.toFixed(1)} ms`);
  assert.ok(results.every((r) => r.status === 200));
  assert.equal(successors.size, 1);
  // The family did not fork: the successor rotates on, and the original is now stale.
  assert.equal((await call("POST", "/auth/refresh", { body: { refresh_token: [...successors][0] } })).status, 200);
  await issuer.close();
});

test("protected route and logout: RFC 6750 challenges, denylisted jti, revoked family", async () => {
  const { issuer, call } = await inProcess();
  const tokens = await registerAndLogin(call);
  const bare = await call("GET", "/auth/me");
  assert.equal(bare.status, 401);
  assert.match(bare.headers.get("www-authenticate"), /^Bearer realm="[^"]+"$/);
  const garbled = await call("GET", "/auth/me", { token: "abc.def.ghi" });
  assert.equal(garbled.status, 401);
  assert.match(garbled.headers.get("www-authenticate"), /error="invalid_token", error_description="[^"]+"/);

  assert.equal((await call("POST", "/auth/logout", { token: tokens.access_token })).status, 204);
  const after = await call("GET", "/auth/me", { token: tokens.access_token });
  assert.equal(after.status, 401);
  assert.equal(after.body.error, "ERR_JWT_REVOKED");
  assert.equal((await call("POST", "/auth/refresh", { body: { refresh_token: tokens.refresh_token } })).body.error, "ERR_REFRESH_REVOKED");
  assert.equal((await call("POST", "/auth/logout", { token: tokens.access_token })).status, 401);
  await issuer.close();
});

test("key rotation: the new key is published, then signs; the old one stays published; keys persist across restarts", async () => {
  const dir = dataDir();
  const first = await inProcess({ DATA_DIR: dir, KEY_PUBLISH_DELAY: "1s" });
  const old = await registerAndLogin(first.call);
  const oldKid = decodeHeader(old.access_token).kid;
  const newKid = first.issuer.keys.rotate();
  assert.notEqual(newKid, oldKid);
  const jwks = (await first.call("GET", "/.well-known/jwks.json")).body;
  assert.deepEqual(jwks.keys.map((k) => k.kid).sort(), [oldKid, newKid].sort());
  await sleep(1100); // KEY_PUBLISH_DELAY: published first, signing after
  assert.equal((await first.call("GET", "/auth/me", { token: old.access_token })).status, 200, "a token of the retired key still verifies");
  const fresh = await first.call("POST", "/auth/login", { body: USER });
  assert.equal(decodeHeader(fresh.body.access_token).kid, newKid);
  await first.issuer.close();

  const restarted = await inProcess({ DATA_DIR: dir });
  assert.equal(restarted.issuer.keys.active().kid, newKid);
  assert.deepEqual((await restarted.call("GET", "/.well-known/jwks.json")).body.keys.map((k) => k.kid).sort(), [oldKid, newKid].sort());
  await restarted.issuer.close();
});

test("two server processes sharing Redis: one refresh state, one denylist, one account store", async (t) => {
  const redis = await startRedis();
  const env = { REDIS_URL: redis.url, DATA_DIR: dataDir(), ISSUER: "http://issuer.test", REUSE_GRACE: "1s", REDIS_PREFIX: "it:" };
  // The first process creates the signing key; the second finds it in the shared data dir.
  const a = serverProcess(env);
  const baseA = await a.ready;
  const b = serverProcess(env);
  const baseB = await b.ready;
  t.after(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  });
  const callA = client(baseA);
  const callB = client(baseB);

  assert.equal((await callA("POST", "/auth/register", { body: USER })).status, 201);
  assert.equal((await callB("POST", "/auth/register", { body: USER })).status, 409, "B sees A's account");
  const login = await callB("POST", "/auth/login", { body: USER });
  assert.equal(login.status, 200);
  assert.equal((await callA("GET", "/auth/me", { token: login.body.access_token })).status, 200, "A verifies B's token");
  const loginA = await callA("POST", "/auth/login", { body: USER });
  assert.equal((await callB("GET", "/auth/me", { token: loginA.body.access_token })).status, 200, "B verifies A's token");
  const rotatedAtB = await callB("POST", "/auth/refresh", { body: { refresh_token: loginA.body.refresh_token } });
  assert.equal(rotatedAtB.status, 200, "B rotates A's refresh token");
  assert.equal((await callA("GET", "/auth/me", { token: rotatedAtB.body.access_token })).status, 200, "A verifies the access token B issued on rotation");

  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => (i % 2 ? callA : callB)("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } })),
  );
  const ms = performance.now() - started;
  const successors = new Set(results.map((r) => r.body.refresh_token));
  console.log(
    `# issuer, two processes on Redis: 50 concurrent HTTP refreshes (25 per process): ${results.filter((r) => r.status === 200).length} x 200, ${successors.size} distinct successor(s), ${ms.toFixed(1)} ms`,
  );
  assert.ok(results.every((r) => r.status === 200), JSON.stringify(results.find((r) => r.status !== 200)?.body));
  assert.equal(successors.size, 1, "the family never forks");

  await sleep(1200);
  const replay = await callA("POST", "/auth/refresh", { body: { refresh_token: login.body.refresh_token } });
  assert.equal(replay.body.error, "ERR_REFRESH_REUSED");
  assert.equal((await callB("POST", "/auth/refresh", { body: { refresh_token: [...successors][0] } })).body.error, "ERR_REFRESH_REVOKED");

  const again = await callA("POST", "/auth/login", { body: USER });
  assert.equal((await callB("POST", "/auth/logout", { token: again.body.access_token })).status, 204);
  assert.equal((await callA("GET", "/auth/me", { token: again.body.access_token })).body.error, "ERR_JWT_REVOKED", "A sees B's denylist entry");
});
