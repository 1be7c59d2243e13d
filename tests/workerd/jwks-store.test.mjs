// remoteKeySet's shared store in real workerd: kvJwksStore and cacheApiJwksStore, each between
// two isolates. Setup: ONE Miniflare instance running several Workers built from the same
// script (tests/workerd/jwks-store-worker.mjs); each Worker is its own isolate with its own
// module state (its own remoteKeySet), and all of them bind the same KV namespace (one
// namespace id) and the same Cache API storage (Miniflare keeps one cache store per instance).
// Isolate A (cold) fetches the JWKS from an origin this test runs on 127.0.0.1 and stores it;
// isolate B (cold) then verifies without a request to the origin (its request count is
// asserted); the same for an issuer's set (remoteKeySetFromIssuer), whose metadata is stored too. Also: stale-while-revalidate (a stale set answers at once; the one background
// refresh, kept alive with remoteKeySet's waitUntil option or ctx.waitUntil(keys.settled()),
// reaches the origin and the store; without either, workerd cancels it, and the set recovers
// once the window ends), and a poisoned KV entry (refused: the cold isolate asks the origin and
// overwrites the entry).
//   node --test tests/workerd/jwks-store.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Signer, generateKeyPair } from "jwtward";
import { ROOT, startWorker } from "./workerd.mjs";

const HOOK_TIMEOUT = { timeout: 60_000 };
/** A verification that hangs (a stuck refresh awaited) fails the test instead of the run. */
const TEST_TIMEOUT = { timeout: 30_000 };
const ENTRY = join(ROOT, "tests", "workerd", "jwks-store-worker.mjs");
const key = generateKeyPair("ES256", { kid: "k1" });
const token = new Signer(key.privateKey, { alg: "ES256", kid: "k1" }).sign({ sub: "u" });

/** The JWKS origin: one path per scenario, so that their store entries stay apart; hits per path. */
function jwksOrigin() {
  const state = { hits: {}, delayMs: 0 };
  const server = createServer((req, res) => {
    state.hits[req.url] = (state.hits[req.url] || 0) + 1;
    const metadata = /^(\/issuer-\w+)\/\.well-known\/openid-configuration$/.exec(req.url);
    if (metadata) {
      const issuer = `http://127.0.0.1:${server.address().port}${metadata[1]}`;
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/certs` }));
    }
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [key.publicKey.toPublicJwk()] })), state.delayMs);
  });
  return Object.assign(state, {
    listen: () => new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`))),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  });
}

let origin;
let base;
let worker;

/** The Workers: [name, store, JWKS path (or null: ISSUER, a path of the origin, names the issuer), extra bindings]. */
const WORKERS = [
  ["kv-a", "kv", "/kv", {}],
  ["kv-b", "kv", "/kv", {}],
  ["cache-a", "cache", "/cache", {}],
  ["cache-b", "cache", "/cache", {}],
  ...["option", "settled"].flatMap((background) =>
    ["a", "b"].map((isolate) => [`swr-${background}-${isolate}`, "kv", `/swr-${background}`, { CACHE_MAX_AGE: "1s", SWR: "1m", COOLDOWN: "0s", BACKGROUND: background }]),
  ),
  ["swr-none", "kv", "/swr-none", { CACHE_MAX_AGE: "1s", SWR: "2s", COOLDOWN: "0s", TIMEOUT: "0.3s", BACKGROUND: "none" }],
  ["poisoned", "kv", "/poisoned", {}],
  ...["kv", "cache"].flatMap((store) =>
    ["a", "b"].map((isolate) => [`issuer-${store}-${isolate}`, store, null, { ISSUER: `/issuer-${store}` }]),
  ),
];

before(async () => {
  origin = jwksOrigin();
  base = await origin.listen();
  worker = await startWorker({
    entry: ENTRY,
    compatibilityDate: "2026-04-01",
    configure: (w) => ({
      workers: WORKERS.map(([name, store, path, extra]) => ({
        ...w,
        name,
        kvNamespaces: { JWKS_KV: "shared-jwks-kv" },
        bindings: { STORE: store, ...(path ? { JWKS_URL: `${base}${path}` } : {}), ...extra, ...(extra.ISSUER ? { ISSUER: base + extra.ISSUER } : {}) },
      })),
    }),
  });
}, HOOK_TIMEOUT);

after(async () => {
  await worker?.dispose();
  await origin?.close();
}, HOOK_TIMEOUT);

/** A request to the Worker `name` with the token; its JSON answer. */
async function verifyIn(name) {
  const w = await worker.mf.getWorker(name);
  const response = await w.fetch("http://worker.test/", { headers: { authorization: `Bearer ${token}` } });
  const body = await response.json();
  assert.equal(response.status, 200, `${name}: ${JSON.stringify(body)}\n${worker.logs.join("\n")}`);
  return body;
}

test("KV: isolate A fetches and stores; cold isolate B verifies without asking the origin", TEST_TIMEOUT, async () => {
  assert.equal((await verifyIn("kv-a")).kid, "k1");
  assert.equal(origin.hits["/kv"], 1);
  const kv = await worker.mf.getKVNamespace("JWKS_KV", "kv-a");
  const stored = await kv.get(`jwtward:jwks:${base}/kv`);
  assert.match(stored, /^jwtward-store\/1 \d+ 600000 http:\/\/127\.0\.0\.1:\d+\/kv\n\{"keys":\[/);
  for (let i = 0; i < 5; i++) assert.equal((await verifyIn("kv-b")).kid, "k1");
  assert.equal(origin.hits["/kv"], 1, "isolate B read the set from KV");
});

test("Cache API: isolate A fetches and stores; cold isolate B verifies without asking the origin", TEST_TIMEOUT, async () => {
  assert.equal((await verifyIn("cache-a")).kid, "k1");
  assert.equal(origin.hits["/cache"], 1);
  for (let i = 0; i < 5; i++) assert.equal((await verifyIn("cache-b")).kid, "k1");
  assert.equal(origin.hits["/cache"], 1, "isolate B read the set from the Cache API");
});

for (const background of ["option", "settled"]) {
  test(`stale-while-revalidate across isolates (${background === "option" ? "remoteKeySet's waitUntil option" : "ctx.waitUntil(keys.settled())"}): a stale stored set answers at once, one refresh reaches the origin and the store`, TEST_TIMEOUT, async () => {
    const path = `/swr-${background}`;
    await verifyIn(`swr-${background}-a`);
    assert.equal(origin.hits[path], 1);
    const kv = await worker.mf.getKVNamespace("JWKS_KV", `swr-${background}-a`);
    const storeKey = `jwtward:jwks:${base}${path}`;
    const first = await kv.get(storeKey);
    await sleep(1200); // past the 1 s max age, well within the 1 min window
    origin.delayMs = 1000;
    // Cold isolate B takes the stale stored set at once and refreshes it in the background.
    const b = await verifyIn(`swr-${background}-b`);
    assert.equal(b.kid, "k1");
    assert.equal(b.fresh, false, "served stale");
    assert.ok(b.ms < 800, `answered in ${b.ms} ms, before the slow origin did`);
    // The background refresh, kept alive past the response, completes and is stored.
    for (let i = 0; i < 40 && (await kv.get(storeKey)) === first; i++) await sleep(100);
    assert.equal(origin.hits[path], 2, "one background refresh");
    assert.notEqual(await kv.get(storeKey), first, "the refreshed set was stored");
    origin.delayMs = 0;
    const again = await verifyIn(`swr-${background}-b`);
    assert.equal(again.fresh, true);
    assert.equal(origin.hits[path], 2);
  });
}

test("without waitUntil, workerd cancels the background refresh; the set still recovers once the window ends", TEST_TIMEOUT, async () => {
  const path = "/swr-none";
  await verifyIn("swr-none");
  assert.equal(origin.hits[path], 1);
  await sleep(1200);
  const stale = await verifyIn("swr-none");
  assert.equal(stale.fresh, false);
  await sleep(300);
  assert.equal(origin.hits[path], 1, "the refresh was cancelled with its request (this is why waitUntil is needed)");
  // Past max age + window (1 s + 2 s) and past the time a load may take (6 x 0.3 s + 1 s): the
  // stuck refresh is abandoned and this call waits for a new one.
  await sleep(2800);
  const recovered = await verifyIn("swr-none");
  assert.equal(recovered.fresh, true, JSON.stringify(recovered));
  assert.equal(origin.hits[path], 2);
});

for (const store of ["kv", "cache"]) {
  test(`an issuer's set through ${store === "kv" ? "KV" : "the Cache API"}: isolate B reads the metadata and the set from the store, asking the origin nothing`, TEST_TIMEOUT, async () => {
    const path = `/issuer-${store}`;
    assert.equal((await verifyIn(`issuer-${store}-a`)).kid, "k1");
    assert.equal(origin.hits[`${path}/.well-known/openid-configuration`], 1);
    assert.equal(origin.hits[`${path}/certs`], 1);
    for (let i = 0; i < 3; i++) assert.equal((await verifyIn(`issuer-${store}-b`)).kid, "k1");
    assert.equal(origin.hits[`${path}/.well-known/openid-configuration`], 1);
    assert.equal(origin.hits[`${path}/certs`], 1);
  });
}

test("a poisoned KV entry is refused: the cold isolate asks the origin and stores a good set", TEST_TIMEOUT, async () => {
  const kv = await worker.mf.getKVNamespace("JWKS_KV", "poisoned");
  const storeKey = `jwtward:jwks:${base}/poisoned`;
  const attacker = generateKeyPair("ES256", { kid: "k1" });
  // Well-formed but for another URL (what a key mix-up or a copied entry looks like), holding another key.
  await kv.put(storeKey, `jwtward-store/1 ${Date.now()} 600000 https://evil.example/jwks\n${JSON.stringify({ keys: [attacker.publicKey.toPublicJwk()] })}`);
  assert.equal((await verifyIn("poisoned")).kid, "k1");
  assert.equal(origin.hits["/poisoned"], 1, "the origin was asked");
  assert.match(await kv.get(storeKey), new RegExp(`^jwtward-store/1 \\d+ 600000 ${base.replace(/\./g, "\\.")}/poisoned\\n`));
});
