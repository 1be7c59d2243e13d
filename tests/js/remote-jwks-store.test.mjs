// remoteKeySet(url, { store }): the shared store's rules, in Node against a JWKS served over real
// HTTP on 127.0.0.1 and an in-memory store (a Map behind get/put, as KV or the Cache API would
// be): a second, cold set reads what the first stored without touching the origin;
// stale-while-revalidate within bounds and never past a stored set's age limit; an unknown kid
// still fetches (subject to the cooldown); poisoned entries refused; store failures and hangs
// cost a fetch, never a verification; the two Workers adapters over fakes of their bindings;
// an issuer's set with its metadata stored too.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import {
  Key,
  Signer,
  Verifier,
  cacheApiJwksStore,
  generateKeyPair,
  kvJwksStore,
  remoteKeySet,
  remoteKeySetFromIssuer,
} from "jwtward";
import { rejectsCode } from "./helpers.mjs";

/** A JWKS origin on 127.0.0.1: serves `state.jwks` (after `delayMs`), or fails when `down`; counts hits per path. */
async function origin() {
  const state = { hits: 0, paths: {}, jwks: { keys: [] }, delayMs: 0, down: false, metadata: null };
  const server = http.createServer((req, res) => {
    state.paths[req.url] = (state.paths[req.url] || 0) + 1;
    if (req.url === "/.well-known/openid-configuration" && state.metadata) {
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.metadata));
    }
    state.hits += 1;
    if (state.down) return res.writeHead(503).end();
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(state.jwks)), state.delayMs);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.origin = `http://127.0.0.1:${server.address().port}`;
  state.url = `${state.origin}/jwks`;
  state.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  server.unref();
  return state;
}

/** A store over a Map, recording calls; `fail` makes get/put throw, reject or hang. */
function memoryStore() {
  const map = new Map();
  const calls = { get: 0, put: [] };
  const store = {
    map,
    calls,
    fail: null,
    async get(url) {
      calls.get += 1;
      if (store.fail === "reject") throw new Error("store down");
      if (store.fail === "hang") return new Promise(() => {});
      return map.has(url) ? map.get(url) : null;
    },
    async put(url, text, maxAgeSeconds) {
      calls.put.push({ url, maxAgeSeconds });
      if (store.fail === "reject") throw new Error("store down");
      if (store.fail === "hang") return new Promise(() => {});
      map.set(url, text);
    },
  };
  return store;
}

const k1 = generateKeyPair("ES256", { kid: "k1" });
const k2 = generateKeyPair("ES256", { kid: "k2" });
const sign = (pair, kid) => new Signer(pair.privateKey, { alg: "ES256", kid }).sign({ sub: "u" });
const OPTIONS = { algorithms: ["ES256"] };
/** A stored entry written by hand, as a (possibly lying) store would hold it. */
const entry = (url, fetchedAt, freshForMs, body) => `jwtward-store/1 ${fetchedAt} ${freshForMs} ${url}\n${body}`;

test("a cold set reads the set another one stored, without touching the origin", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const store = memoryStore();
  const a = new Verifier(remoteKeySet(o.url, { store, cacheMaxAge: "10m" }), OPTIONS);
  assert.equal((await a.verifyAsync(sign(k1, "k1"))).header.kid, "k1");
  assert.equal(o.hits, 1);
  assert.deepEqual(store.calls.put, [{ url: o.url, maxAgeSeconds: 600 }]);
  assert.match(store.map.get(o.url), /^jwtward-store\/1 \d+ 600000 http:\/\/127\.0\.0\.1:\d+\/jwks\n\{"keys":/);

  // "Another isolate": a new set over the same store.
  const bKeys = remoteKeySet(o.url, { store });
  const b = new Verifier(bKeys, OPTIONS);
  for (let i = 0; i < 10; i++) assert.equal((await b.verifyAsync(sign(k1, "k1"))).header.kid, "k1");
  assert.equal(o.hits, 1, "the origin was not asked again");
  assert.equal(bKeys.fresh, true);
  assert.equal(store.calls.put.length, 1, "a set read from the store is not written back");
  await o.close();
});

test("an unknown kid still fetches from the origin (cooldown applies) and updates the store", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const store = memoryStore();
  await new Verifier(remoteKeySet(o.url, { store }), OPTIONS).verifyAsync(sign(k1, "k1"));
  o.jwks = { keys: [k1.publicKey.toPublicJwk(), k2.publicKey.toPublicJwk()] };
  const b = new Verifier(remoteKeySet(o.url, { store, cooldown: "1h" }), OPTIONS);
  assert.equal((await b.verifyAsync(sign(k2, "k2"))).header.kid, "k2");
  assert.equal(o.hits, 2);
  assert.equal(store.calls.put.length, 2);
  assert.match(store.map.get(o.url), /"kid":"k2"/);
  // Made-up kids: no more fetches inside the cooldown.
  const k3 = generateKeyPair("ES256", { kid: "k3" });
  for (let i = 0; i < 5; i++) await rejectsCode(b.verifyAsync(sign(k3, "k3")), "ERR_JWKS_NO_MATCHING_KEY");
  assert.equal(o.hits, 2);
  await o.close();
});

test("poisoned or corrupt entries are refused: the origin decides", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const now = Date.now();
  const attacker = generateKeyPair("ES256", { kid: "k1" });
  const secret = "a-secret-anyone-who-can-write-the-store-knows-0123456789";
  const poisoned = [
    "garbage",
    JSON.stringify({ keys: [attacker.publicKey.toPublicJwk()] }), // a bare JWKS, no entry header
    entry(o.url, now, 600_000, "not json"),
    entry(o.url, now, 600_000, '{"keys": 5}'),
    entry("https://other.example/jwks", now, 600_000, JSON.stringify({ keys: [attacker.publicKey.toPublicJwk()] })), // another URL's entry
    entry(o.url, now + 3_600_000, 600_000, JSON.stringify({ keys: [attacker.publicKey.toPublicJwk()] })), // from the future
    entry(o.url, now, 600_000, JSON.stringify({ keys: [{ kty: "oct", kid: "k1", k: Buffer.from(secret).toString("base64url") }] })), // a secret
    entry(o.url, now, 600_000, " ".repeat(300_000) + "{}"), // oversized
    `jwtward-store/1 ${now} 600000 ${o.url} trailing\n{"keys":[]}`,
    `jwtward-store/2 ${now} 600000 ${o.url}\n{"keys":[]}`,
    42,
    { text: 42 },
    { notText: "x" },
  ];
  for (const value of poisoned) {
    const store = memoryStore();
    store.map.set(o.url, value);
    const before = o.hits;
    const v = new Verifier(remoteKeySet(o.url, { store }), { algorithms: ["ES256", "HS256"] });
    assert.equal((await v.verifyAsync(sign(k1, "k1"))).header.kid, "k1", String(value).slice(0, 60));
    assert.equal(o.hits, before + 1, `the origin was asked instead: ${String(value).slice(0, 60)}`);
    if (typeof value === "string" && value.includes('"oct"')) {
      const forged = new Signer(Key.fromSecret(secret), { alg: "HS256", kid: "k1" }).sign({});
      await rejectsCode(v.verifyAsync(forged), "ERR_JWKS_NO_MATCHING_KEY");
    }
    await rejectsCode(v.verifyAsync(sign(attacker, "k1")), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  }
  // A well-formed entry, as { text } (what an adapter may return), is used.
  const store = memoryStore();
  store.map.set(o.url, { text: entry(o.url, now, 600_000, JSON.stringify({ keys: [k1.publicKey.toPublicJwk()] })), extra: 1 });
  const before = o.hits;
  await new Verifier(remoteKeySet(o.url, { store }), OPTIONS).verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, before);
  await o.close();
});

test("a store that throws, rejects or hangs costs a fetch, never a verification", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const throwing = {
    get() {
      throw new Error("sync");
    },
    put() {
      throw new Error("sync");
    },
  };
  for (const store of [throwing, Object.assign(memoryStore(), { fail: "reject" }), Object.assign(memoryStore(), { fail: "hang" })]) {
    const before = o.hits;
    const started = Date.now();
    const v = new Verifier(remoteKeySet(o.url, { store, timeout: 0.3 }), OPTIONS);
    assert.equal((await v.verifyAsync(sign(k1, "k1"))).header.kid, "k1");
    assert.equal(o.hits, before + 1);
    assert.ok(Date.now() - started < 2000, "a hanging store is given up after the timeout");
  }
  await o.close();
});

test("stale-while-revalidate: a stale set answers at once while one refresh runs; past the window, calls wait", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const keys = remoteKeySet(o.url, { cacheMaxAge: 0.2, cooldown: 0, staleWhileRevalidate: 1 });
  const v = new Verifier(keys, OPTIONS);
  await v.verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 1);
  await sleep(250);
  o.delayMs = 400;
  const started = Date.now();
  await Promise.all(Array.from({ length: 10 }, () => v.verifyAsync(sign(k1, "k1"))));
  assert.ok(Date.now() - started < 300, `served stale at once (${Date.now() - started} ms)`);
  await sleep(500);
  assert.equal(o.hits, 2, "one background refresh for all of them");
  assert.equal(keys.fresh, true);

  // Past cacheMaxAge + staleWhileRevalidate: the call waits for the refresh.
  o.delayMs = 300;
  await sleep(1300);
  const waited = Date.now();
  await v.verifyAsync(sign(k1, "k1"));
  assert.ok(Date.now() - waited >= 250, `waited for the refresh (${Date.now() - waited} ms)`);
  assert.equal(o.hits, 3);
  await o.close();
});

test("stored sets: used while fresh, stale within the window (refreshing), never past fetch + max age + window", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const body = JSON.stringify({ keys: [k1.publicKey.toPublicJwk()] });
  const options = (store) => ({ store, cacheMaxAge: "10s", cooldown: 0, staleWhileRevalidate: "30s" });

  // Stale (20 s old, 10 s fresh) but within the 30 s window: served, and refreshed in the background.
  let store = memoryStore();
  store.map.set(o.url, entry(o.url, Date.now() - 20_000, 10_000, body));
  let before = o.hits;
  o.down = true;
  const v = new Verifier(remoteKeySet(o.url, options(store)), OPTIONS);
  assert.equal((await v.verifyAsync(sign(k1, "k1"))).header.kid, "k1");
  await sleep(100);
  assert.equal(o.hits, before + 1, "a background refresh was tried");

  // Past the window (50 s old): not used; the origin is down, so the error is thrown.
  store = memoryStore();
  store.map.set(o.url, entry(o.url, Date.now() - 50_000, 10_000, body));
  await rejectsCode(new Verifier(remoteKeySet(o.url, options(store)), OPTIONS).verifyAsync(sign(k1, "k1")), "ERR_JWKS_FETCH_FAILED");

  // An entry claiming a day of freshness is held to this set's cacheMaxAge (10 s): 50 s old is too old.
  store = memoryStore();
  store.map.set(o.url, entry(o.url, Date.now() - 50_000, 86_400_000, body));
  await rejectsCode(new Verifier(remoteKeySet(o.url, options(store)), OPTIONS).verifyAsync(sign(k1, "k1")), "ERR_JWKS_FETCH_FAILED");

  // A stored set taken near the end of its window stops being served when the window ends, even
  // though no refresh has succeeded (the origin is down).
  store = memoryStore();
  store.map.set(o.url, entry(o.url, Date.now() - 39_700, 10_000, body));
  const late = new Verifier(remoteKeySet(o.url, options(store)), OPTIONS);
  assert.equal((await late.verifyAsync(sign(k1, "k1"))).header.kid, "k1");
  await sleep(400);
  await rejectsCode(late.verifyAsync(sign(k1, "k1")), "ERR_JWKS_FETCH_FAILED");

  // The origin back: a fresh fetch, written to the store with fresh lifetime + window as its max age.
  o.down = false;
  before = o.hits;
  store = memoryStore();
  assert.equal((await new Verifier(remoteKeySet(o.url, options(store)), OPTIONS).verifyAsync(sign(k1, "k1"))).header.kid, "k1");
  assert.equal(o.hits, before + 1);
  assert.deepEqual(store.calls.put.map((p) => p.maxAgeSeconds), [40]);
  await o.close();
});

test("a stale set this instance holds is refreshed from a fresher stored one before the origin", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const store = memoryStore();
  const a = new Verifier(remoteKeySet(o.url, { store, cacheMaxAge: 0.2, cooldown: 0 }), OPTIONS);
  await a.verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 1);
  await sleep(250);
  // Meanwhile another isolate stored a fresh set.
  store.map.set(o.url, entry(o.url, Date.now(), 200, JSON.stringify({ keys: [k1.publicKey.toPublicJwk()] })));
  await a.verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 1, "the fresher stored set was taken");
  await o.close();
});

test("an issuer's set stores its metadata too: a cold set asks the origin nothing", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  o.metadata = { issuer: o.origin, jwks_uri: o.url };
  const store = memoryStore();
  const options = { store, allowHttpLoopback: true };
  const token = new Signer(k1.privateKey, { alg: "ES256", kid: "k1", issuer: o.origin }).sign({});
  await new Verifier(remoteKeySetFromIssuer(o.origin, options), { ...OPTIONS, issuer: o.origin }).verifyAsync(token);
  assert.deepEqual(o.paths, { "/.well-known/openid-configuration": 1, "/jwks": 1 });
  assert.deepEqual([...store.map.keys()].sort(), [`${o.origin}/.well-known/openid-configuration`, o.url].sort());
  const cold = remoteKeySetFromIssuer(o.origin, options);
  await new Verifier(cold, { ...OPTIONS, issuer: o.origin }).verifyAsync(token);
  assert.deepEqual(o.paths, { "/.well-known/openid-configuration": 1, "/jwks": 1 });
  assert.equal(cold.url, o.url);

  // Stored metadata naming another issuer is refused like a network document.
  const poisoned = memoryStore();
  poisoned.map.set(`${o.origin}/.well-known/openid-configuration`, entry(`${o.origin}/.well-known/openid-configuration`, Date.now(), 600_000, JSON.stringify({ issuer: "https://evil.example", jwks_uri: "https://evil.example/jwks" })));
  const checked = remoteKeySetFromIssuer(o.origin, { store: poisoned, allowHttpLoopback: true });
  await new Verifier(checked, { ...OPTIONS, issuer: o.origin }).verifyAsync(token);
  assert.equal(o.paths["/.well-known/openid-configuration"], 2);
  assert.equal(checked.url, o.url);
  await o.close();
});

test("options: store needs get and put; staleWhileRevalidate is a duration", () => {
  const misuse = (options) => assert.throws(() => remoteKeySet("https://id.example/jwks", options), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE");
  misuse({ store: {} });
  misuse({ store: { get() {} } });
  misuse({ store: null });
  misuse({ store: "kv" });
  misuse({ staleWhileRevalidate: -1 });
  misuse({ staleWhileRevalidate: "soon" });
  misuse({ allowHttpLoopback: true }); // a remoteKeySetFromIssuer option only
  assert.throws(() => kvJwksStore({}), TypeError);
  assert.throws(() => kvJwksStore({ get() {}, put() {} }, { prefix: 1 }), TypeError);
  assert.throws(() => cacheApiJwksStore(undefined), TypeError);
  assert.throws(() => cacheApiJwksStore({ match() {}, put() {} }, { keyBase: "not a url" }), TypeError);
});

test("kvJwksStore: prefixed keys, expirationTtl at least 60 s (KV's minimum), text reads", async () => {
  const kv = new Map();
  const calls = [];
  const namespace = {
    async get(key, type) {
      calls.push(["get", key, type]);
      return kv.has(key) ? kv.get(key) : null;
    },
    async put(key, value, options) {
      calls.push(["put", key, options]);
      kv.set(key, value);
    },
  };
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const store = kvJwksStore(namespace);
  await new Verifier(remoteKeySet(o.url, { store, cacheMaxAge: 10 }), OPTIONS).verifyAsync(sign(k1, "k1"));
  await new Verifier(remoteKeySet(o.url, { store }), OPTIONS).verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 1);
  assert.deepEqual(calls[0], ["get", `jwtward:jwks:${o.url}`, "text"]);
  assert.deepEqual(calls[1], ["put", `jwtward:jwks:${o.url}`, { expirationTtl: 60 }]);
  await kvJwksStore(namespace, { prefix: "p/" }).put("u", "t", 3600);
  assert.deepEqual(calls.at(-1), ["put", "p/u", { expirationTtl: 3600 }]);
  await o.close();
});

test("cacheApiJwksStore: entries under their own URL with a max-age, read back with the size limit", async () => {
  const cache = new Map();
  const fake = {
    async match(request) {
      const hit = cache.get(request.url);
      return hit ? new Response(hit.body, { headers: hit.headers }) : undefined;
    },
    async put(request, response) {
      cache.set(request.url, { body: await response.text(), headers: Object.fromEntries(response.headers) });
    },
  };
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const store = cacheApiJwksStore(fake);
  await new Verifier(remoteKeySet(o.url, { store, staleWhileRevalidate: "1m" }), OPTIONS).verifyAsync(sign(k1, "k1"));
  await new Verifier(remoteKeySet(o.url, { store }), OPTIONS).verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 1);
  const [[key, value]] = [...cache];
  assert.equal(key, `https://jwtward-jwks-store.invalid/${encodeURIComponent(o.url)}`);
  assert.equal(value.headers["cache-control"], "max-age=660");
  // An entry too large is refused (read no further than the limit) and the origin asked.
  cache.set(key, { body: "x".repeat(400_000), headers: {} });
  await new Verifier(remoteKeySet(o.url, { store }), OPTIONS).verifyAsync(sign(k1, "k1"));
  assert.equal(o.hits, 2);
  await o.close();
});

test("waitUntil receives each background refresh; settled() resolves once no fetch is under way", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const handed = [];
  const keys = remoteKeySet(o.url, { cacheMaxAge: 0.2, cooldown: 0, staleWhileRevalidate: "1m", waitUntil: (p) => handed.push(p) });
  const v = new Verifier(keys, OPTIONS);
  await keys.settled(); // nothing under way
  await v.verifyAsync(sign(k1, "k1"));
  assert.equal(handed.length, 0, "a fetch the call waits for is not handed over");
  await sleep(250);
  o.delayMs = 200;
  await v.verifyAsync(sign(k1, "k1"));
  assert.equal(handed.length, 1);
  assert.equal(keys.fresh, false);
  await keys.settled();
  assert.equal(keys.fresh, true);
  await handed[0]; // never rejects
  assert.equal(o.hits, 2);
  // A waitUntil that throws (outside a request) does not fail verification.
  const throwing = remoteKeySet(o.url, {
    cacheMaxAge: 0.2,
    cooldown: 0,
    staleWhileRevalidate: "1m",
    waitUntil: () => {
      throw new Error("no request context");
    },
  });
  const tv = new Verifier(throwing, OPTIONS);
  await tv.verifyAsync(sign(k1, "k1"));
  await sleep(250);
  await tv.verifyAsync(sign(k1, "k1"));
  await throwing.settled();
  assert.equal(throwing.fresh, true);
  assert.throws(() => remoteKeySet(o.url, { waitUntil: "later" }), TypeError);
  await o.close();
});

test("an issuer's stale metadata is refreshed from fresher stored metadata before the origin", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  o.metadata = { issuer: o.origin, jwks_uri: o.url };
  const store = memoryStore();
  const metadataUrl = `${o.origin}/.well-known/openid-configuration`;
  const keys = remoteKeySetFromIssuer(o.origin, { store, allowHttpLoopback: true, cacheMaxAge: 0.2, cooldown: 0 });
  const v = new Verifier(keys, OPTIONS);
  await v.verifyAsync(sign(k1, "k1"));
  assert.deepEqual(o.paths, { "/.well-known/openid-configuration": 1, "/jwks": 1 });
  await sleep(250);
  // Another isolate stored fresh metadata (naming the same JWKS); the JWKS entry is gone.
  store.map.delete(o.url);
  store.map.set(metadataUrl, entry(metadataUrl, Date.now(), 200, JSON.stringify(o.metadata)));
  await v.verifyAsync(sign(k1, "k1"));
  assert.deepEqual(o.paths, { "/.well-known/openid-configuration": 1, "/jwks": 2 }, "metadata from the store, the JWKS from the origin");
  await o.close();
});

test("Google's certificate map (Firebase ID tokens) goes through the store like a JWKS", async () => {
  const read = (name) => JSON.parse(readFileSync(new URL(`./fixtures/providers/${name}`, import.meta.url), "utf8"));
  const certificates = read("firebase.json");
  const privateKeys = read("firebase.keys.json");
  const [kid] = Object.keys(certificates);
  const o = await origin();
  o.jwks = certificates;
  const store = memoryStore();
  const token = new Signer(Key.fromPem(privateKeys[kid]), { alg: "RS256", kid }).sign({ sub: "u" });
  const options = { algorithms: ["RS256"] };
  assert.equal((await new Verifier(remoteKeySet(o.url, { store }), options).verifyAsync(token)).header.kid, kid);
  assert.equal((await new Verifier(remoteKeySet(o.url, { store }), options).verifyAsync(token)).header.kid, kid);
  assert.equal(o.hits, 1, "the cold set read the certificates from the store");
  await o.close();
});

test("a cold issuer's set takes stale stored metadata and set within the window (origin down), and a stored set once fresh metadata names it", async () => {
  const o = await origin();
  o.jwks = { keys: [k1.publicKey.toPublicJwk()] };
  const metadataUrl = `${o.origin}/.well-known/openid-configuration`;
  const metadata = { issuer: o.origin, jwks_uri: o.url };
  const body = JSON.stringify(o.jwks);
  const options = (store) => ({ store, allowHttpLoopback: true, cacheMaxAge: "10s", cooldown: 0, staleWhileRevalidate: "30s" });

  // Both stored 20 s ago (fresh for 10 s): stale, within the 30 s window; the origin is down.
  let store = memoryStore();
  store.map.set(metadataUrl, entry(metadataUrl, Date.now() - 20_000, 10_000, JSON.stringify(metadata)));
  store.map.set(o.url, entry(o.url, Date.now() - 20_000, 10_000, body));
  o.down = true;
  assert.equal((await new Verifier(remoteKeySetFromIssuer(o.origin, options(store)), OPTIONS).verifyAsync(sign(k1, "k1"))).header.kid, "k1");

  // No stored metadata, but a fresh stored set: once the metadata is fetched, the set comes from the store.
  o.down = false;
  o.metadata = metadata;
  store = memoryStore();
  store.map.set(o.url, entry(o.url, Date.now(), 10_000, body));
  const before = o.paths["/jwks"] || 0;
  await new Verifier(remoteKeySetFromIssuer(o.origin, options(store)), OPTIONS).verifyAsync(sign(k1, "k1"));
  assert.equal(o.paths["/jwks"] || 0, before, "the set came from the store");
  await o.close();
});
