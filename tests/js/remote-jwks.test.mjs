// remoteKeySet and Verifier.verifyAsync, against a JWKS served over real HTTP on 127.0.0.1:
// caching, refetch on an unknown kid at most once per cooldown, shared concurrent fetches,
// timeouts, failures that keep the last good set, Cache-Control, dropped secrets, and the
// isRevoked hook.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Key, RemoteKeySet, Signer, Verifier, generateKeyPair, remoteKeySet } from "jwtward";
import { rejectsCode } from "./helpers.mjs";

/** A JWKS server whose answers a test controls: `respond(req, res)` per request, counted in `hits`. */
async function jwksServer() {
  const server = http.createServer((req, res) => {
    state.hits += 1;
    state.lastHeaders = req.headers;
    state.respond(req, res);
  });
  const state = {
    hits: 0,
    lastHeaders: null,
    jwks: { keys: [] },
    respond(_req, res) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(state.jwks));
    },
  };
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`;
  state.close = () => new Promise((resolve) => server.close(resolve));
  server.unref();
  return state;
}

function issuer(kid) {
  const { privateKey, publicKey } = generateKeyPair("ES256", { kid });
  return { signer: new Signer(privateKey, { alg: "ES256", kid, issuer: "https://issuer.example" }), jwk: publicKey.toPublicJwk() };
}

const OPTIONS = { algorithms: ["ES256"], issuer: "https://issuer.example" };

test("fetches once, caches, and is shared by several verifiers", async () => {
  const srv = await jwksServer();
  const a = issuer("a");
  srv.jwks = { keys: [a.jwk] };
  const keys = remoteKeySet(srv.url);
  assert.ok(keys instanceof RemoteKeySet);
  assert.equal(keys.fresh, false);
  const v1 = new Verifier(keys, OPTIONS);
  const v2 = new Verifier(keys, { ...OPTIONS, subject: "u1" });
  const token = a.signer.sign({ sub: "u1" });
  assert.equal((await v1.verifyAsync(token)).payload.sub, "u1");
  assert.equal((await v2.verifyAsync(token)).payload.sub, "u1");
  assert.equal((await v1.verifyAsync(token)).header.kid, "a");
  assert.equal(srv.hits, 1);
  assert.equal(keys.fresh, true);
  assert.match(srv.lastHeaders.accept, /application\/json/);
  await srv.close();
});

test("concurrent first calls share one fetch", async () => {
  const srv = await jwksServer();
  const a = issuer("a");
  srv.jwks = { keys: [a.jwk] };
  const respond = srv.respond;
  srv.respond = (req, res) => setTimeout(() => respond(req, res), 50);
  const verifier = new Verifier(remoteKeySet(srv.url), OPTIONS);
  const token = a.signer.sign({});
  const results = await Promise.all(Array.from({ length: 25 }, () => verifier.verifyAsync(token)));
  assert.equal(results.length, 25);
  assert.equal(srv.hits, 1);
  await srv.close();
});

test("an unknown kid refetches once (key rotation), then not again within the cooldown", async () => {
  const srv = await jwksServer();
  const a = issuer("a");
  const b = issuer("b");
  srv.jwks = { keys: [a.jwk] };
  const verifier = new Verifier(remoteKeySet(srv.url, { cooldown: "1s" }), OPTIONS);
  await verifier.verifyAsync(a.signer.sign({}));
  assert.equal(srv.hits, 1);

  // The issuer rotates in key b; a token signed with it triggers one refetch.
  await sleep(1050);
  srv.jwks = { keys: [a.jwk, b.jwk] };
  assert.equal((await verifier.verifyAsync(b.signer.sign({}))).header.kid, "b");
  assert.equal(srv.hits, 2);

  // Tokens with kids nobody publishes: no refetch inside the cooldown, however many arrive.
  const stranger = issuer("nobody");
  for (let i = 0; i < 20; i++) await rejectsCode(verifier.verifyAsync(stranger.signer.sign({})), "ERR_JWKS_NO_MATCHING_KEY");
  assert.equal(srv.hits, 2);
  // Known keys keep working throughout.
  await verifier.verifyAsync(a.signer.sign({}));
  await srv.close();
});

test("a fetch slower than timeout fails with ERR_JWKS_TIMEOUT", async () => {
  const srv = await jwksServer();
  srv.respond = () => {}; // never answers
  const verifier = new Verifier(remoteKeySet(srv.url, { timeout: 0.2 }), OPTIONS);
  const started = Date.now();
  await rejectsCode(verifier.verifyAsync(issuer("a").signer.sign({})), "ERR_JWKS_TIMEOUT");
  assert.ok(Date.now() - started < 2000);
  await srv.close();
});

test("a failed refresh (bad JSON, HTTP 500, network down) keeps the last good set", async () => {
  const srv = await jwksServer();
  const a = issuer("a");
  srv.jwks = { keys: [a.jwk] };
  const keys = remoteKeySet(srv.url, { cacheMaxAge: 0.1, cooldown: 0 });
  const verifier = new Verifier(keys, OPTIONS);
  const token = a.signer.sign({});
  await verifier.verifyAsync(token);

  const failures = [
    (_req, res) => res.end("{ not json"),
    (_req, res) => res.end(JSON.stringify({ keys: "nope" })),
    (_req, res) => {
      res.writeHead(500);
      res.end();
    },
    (req) => req.socket.destroy(),
  ];
  for (const respond of failures) {
    srv.respond = respond;
    await sleep(150);
    const hits = srv.hits;
    assert.equal((await verifier.verifyAsync(token)).header.kid, "a");
    assert.equal(srv.hits, hits + 1, "the stale set was refreshed (and the refresh failed)");
    await rejectsCode(keys.reload(), respond === failures[0] || respond === failures[1] ? "ERR_JWKS_INVALID" : "ERR_JWKS_FETCH_FAILED");
  }
  await srv.close();
  // Server gone entirely: still verifies from the last good set.
  await sleep(150);
  assert.equal((await verifier.verifyAsync(token)).header.kid, "a");
});

test("without any good set, failures are reported with a code, and retried only after the cooldown", async () => {
  const srv = await jwksServer();
  srv.respond = (_req, res) => {
    res.writeHead(404);
    res.end();
  };
  const verifier = new Verifier(remoteKeySet(srv.url, { cooldown: "1s" }), OPTIONS);
  const token = issuer("a").signer.sign({});
  await rejectsCode(verifier.verifyAsync(token), "ERR_JWKS_FETCH_FAILED");
  await rejectsCode(verifier.verifyAsync(token), "ERR_JWKS_FETCH_FAILED");
  assert.equal(srv.hits, 1);
  await sleep(1050);
  await rejectsCode(verifier.verifyAsync(token), "ERR_JWKS_FETCH_FAILED");
  assert.equal(srv.hits, 2);
  await srv.close();
});

test("Cache-Control max-age shorter than cacheMaxAge is honoured", async () => {
  const srv = await jwksServer();
  const a = issuer("a");
  srv.jwks = { keys: [a.jwk] };
  srv.respond = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "cache-control": "public, max-age=1" });
    res.end(JSON.stringify(srv.jwks));
  };
  const verifier = new Verifier(remoteKeySet(srv.url, { cacheMaxAge: "10m", cooldown: 0 }), OPTIONS);
  const token = a.signer.sign({});
  await verifier.verifyAsync(token);
  await verifier.verifyAsync(token);
  assert.equal(srv.hits, 1);
  await sleep(1100);
  await verifier.verifyAsync(token);
  assert.equal(srv.hits, 2);
  await srv.close();
});

test("oct members of a remote JWKS are dropped: a downloaded secret is no secret", async () => {
  const srv = await jwksServer();
  const secret = "s".repeat(64);
  srv.jwks = { keys: [{ kty: "oct", kid: "h", k: Buffer.from(secret).toString("base64url") }] };
  const verifier = new Verifier(remoteKeySet(srv.url), { algorithms: ["HS256"] });
  const token = new Signer(Key.fromSecret(secret), { alg: "HS256", kid: "h" }).sign({});
  await rejectsCode(verifier.verifyAsync(token), "ERR_JWKS_NO_MATCHING_KEY");
  await srv.close();
});

test("an oversized JWKS is refused before parsing", async () => {
  const srv = await jwksServer();
  srv.respond = (_req, res) => res.end(JSON.stringify({ keys: [], pad: "x".repeat(300 * 1024) }));
  await rejectsCode(remoteKeySet(srv.url).reload(), "ERR_JWKS_INVALID");
  await srv.close();
});

test("options.fetch and options.headers are used", async () => {
  const a = issuer("a");
  const calls = [];
  const fakeFetch = async (url, init) => {
    calls.push({ url, init });
    return new Response(JSON.stringify({ keys: [a.jwk] }), { headers: { "content-type": "application/json" } });
  };
  const verifier = new Verifier(remoteKeySet(new URL("https://idp.example/jwks"), { fetch: fakeFetch, headers: { "x-api-key": "k" } }), OPTIONS);
  await verifier.verifyAsync(a.signer.sign({}));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, "https://idp.example/jwks");
  assert.equal(calls[0].init.headers["x-api-key"], "k");
});

test("fetch is called as a plain function, as browsers' and workerd's fetch require", async () => {
  const a = issuer("a");
  // Like Web IDL's check behind "Illegal invocation": a fetch called as another object's method throws.
  const strictFetch = async function (url) {
    if (this !== undefined && this !== globalThis) throw new TypeError("Illegal invocation");
    return new Response(JSON.stringify({ keys: [a.jwk] }), { headers: { "content-type": "application/json" } });
  };
  const verifier = new Verifier(remoteKeySet("https://idp.example/jwks", { fetch: strictFetch }), OPTIONS);
  assert.equal((await verifier.verifyAsync(a.signer.sign({ sub: "u" }))).payload.sub, "u");
});

test("a Verifier over a remote set refuses the synchronous verify", () => {
  const verifier = new Verifier(remoteKeySet("https://idp.example/jwks"), OPTIONS);
  assert.throws(() => verifier.verify("a.b.c"), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && /verifyAsync/.test(e.message));
});

test("remoteKeySet validates its arguments", () => {
  const bad = [
    () => remoteKeySet(42),
    () => remoteKeySet("not a url"),
    () => remoteKeySet("ftp://idp.example/jwks"),
    () => remoteKeySet("https://idp.example/jwks", { cacheMaxage: "1m" }),
    () => remoteKeySet("https://idp.example/jwks", { timeout: "soon" }),
    () => remoteKeySet("https://idp.example/jwks", { timeout: 0 }),
    () => remoteKeySet("https://idp.example/jwks", { cooldown: -1 }),
    () => remoteKeySet("https://idp.example/jwks", { headers: { a: 1 } }),
    () => remoteKeySet("https://idp.example/jwks", { fetch: "fetch" }),
    () => new RemoteKeySet("https://idp.example/jwks"),
  ];
  for (const fn of bad) assert.throws(fn, (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE", String(fn));
});

test("verifyAsync with local keys, and the isRevoked hook (fails closed)", async () => {
  const { privateKey, publicKey } = generateKeyPair("EdDSA");
  const signer = new Signer(privateKey, { alg: "EdDSA" });
  const verifier = new Verifier(publicKey, { algorithms: ["EdDSA"] });
  const token = signer.sign({ sub: "u" });
  const { jti } = (await verifier.verifyAsync(token)).payload;
  assert.equal(typeof jti, "string");

  const seen = [];
  const denied = new Set([jti]);
  await rejectsCode(
    verifier.verifyAsync(token, {
      isRevoked: async (id, payload) => {
        seen.push([id, payload.sub]);
        return denied.has(id);
      },
    }),
    "ERR_JWT_REVOKED",
  );
  assert.deepEqual(seen, [[jti, "u"]]);
  assert.equal((await verifier.verifyAsync(signer.sign({}), { isRevoked: (id) => denied.has(id) })).header.alg, "EdDSA");

  // No jti: cannot be checked, so refused.
  const noJti = new Signer(privateKey, { alg: "EdDSA", jti: false }).sign({});
  await assert.rejects(verifier.verifyAsync(noJti, { isRevoked: () => false }), (e) => e.code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && e.claim === "jti");
  // A hook that throws or answers something other than a boolean refuses the token.
  await assert.rejects(verifier.verifyAsync(token, { isRevoked: () => { throw new Error("store down"); } }), /store down/);
  await assert.rejects(verifier.verifyAsync(token, { isRevoked: () => undefined }), (e) => e instanceof TypeError);
  // The hook is not consulted for a token that fails verification.
  let called = false;
  const forged = new Signer(generateKeyPair("EdDSA").privateKey, { alg: "EdDSA" }).sign({});
  await rejectsCode(verifier.verifyAsync(forged, { isRevoked: () => (called = true) }), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  assert.equal(called, false);
  // Option checks.
  await assert.rejects(verifier.verifyAsync(token, { isRevoked: true }), (e) => e.code === "ERR_INVALID_ARG_VALUE");
  await assert.rejects(verifier.verifyAsync(token, { revoked: () => false }), (e) => e.code === "ERR_INVALID_ARG_VALUE");
});

/** A body of `chunk`-byte pieces, counted as the reader pulls them; `total` bytes, or endless. */
function countedStream(total, chunk = 64 * 1024, delayMs = 0) {
  const state = { pulled: 0, cancelled: false };
  const piece = new Uint8Array(chunk).fill(0x20); // spaces: as JSON, padding
  state.stream = new ReadableStream(
    {
      async pull(controller) {
        if (delayMs > 0) await sleep(delayMs);
        if (total !== Infinity && state.pulled >= total) return controller.close();
        state.pulled += chunk;
        controller.enqueue(piece.slice());
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return state;
}

// Issue 13: without Content-Length the whole body was read (response.text()) before its size
// was checked; now reading stops as soon as it passes the limit.
test("a JWKS without Content-Length is read only up to the limit (10 MB, and endless)", async () => {
  const LIMIT = 256 * 1024;
  for (const [total, delayMs] of [[10 * 1024 * 1024, 0], [Infinity, 1]]) {
    const body = countedStream(total, 64 * 1024, delayMs);
    const fetch = async () => {
      const response = new Response(body.stream, { headers: { "content-type": "application/json" } });
      assert.equal(response.headers.get("content-length"), null);
      return response;
    };
    await rejectsCode(remoteKeySet("https://idp.example/jwks", { fetch, timeout: "2s" }).reload(), "ERR_JWKS_INVALID");
    assert.ok(body.pulled <= LIMIT + 2 * 64 * 1024, `pulled ${body.pulled} bytes of a ${total}-byte body`);
    assert.ok(body.cancelled, "the body was cancelled");
  }
  // A real server sending chunked encoding (no Content-Length) without end.
  const srv = await jwksServer();
  let written = 0;
  srv.respond = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const more = () => {
      if (res.destroyed) return;
      written += 16 * 1024;
      if (res.write(" ".repeat(16 * 1024))) setImmediate(more);
      else res.once("drain", more);
    };
    more();
  };
  await rejectsCode(remoteKeySet(srv.url, { timeout: "5s" }).reload(), "ERR_JWKS_INVALID");
  await sleep(50);
  assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes`);
  await srv.close();
  // Under the limit, a streamed body (no Content-Length) is read and used.
  const a = issuer("a");
  const text = JSON.stringify({ keys: [a.jwk] });
  const streamed = () =>
    new Response(new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(text.slice(0, 10))), c.enqueue(new TextEncoder().encode(text.slice(10))), c.close()) }));
  const v = new Verifier(remoteKeySet("https://idp.example/jwks", { fetch: async () => streamed() }), OPTIONS);
  assert.equal((await v.verifyAsync(a.signer.sign({ sub: "s" }))).payload.sub, "s");
});

// Issue 13: a refetch freed the previous set (wasm `free()`) while a verification that had just
// been handed it (`current()`, an await before its keys are copied) still held it. Verifications
// are started at every microtask step of a refetch, so one lands in that window.
test("a refetch during verifications never frees a set still in use", async () => {
  const a = issuer("a");
  const b = issuer("b");
  let jwks = { keys: [a.jwk] };
  // A fetch that resolves in microtasks only, so the refetch's steps interleave with verifications.
  const fetch = async () => {
    const body = JSON.stringify(jwks);
    return { status: 200, headers: new Headers(), text: async () => body };
  };
  const keys = remoteKeySet("https://idp.example/jwks", { fetch, cooldown: 0 });
  await keys.reload();
  const token = a.signer.sign({ sub: "u" });
  for (let round = 0; round < 5; round++) {
    jwks = { keys: round % 2 ? [a.jwk] : [a.jwk, b.jwk] };
    const started = [];
    const reloading = keys.reload();
    for (let tick = 0; tick < 40; tick++) {
      // A fresh Verifier copies the set it is handed (one already holding it would not).
      started.push(new Verifier(keys, OPTIONS).verifyAsync(token, { isRevoked: async () => (await sleep(1), false) }));
      await null;
    }
    await reloading;
    for (const result of await Promise.allSettled(started)) {
      assert.equal(result.status, "fulfilled", result.reason && `${result.reason.name}: ${result.reason.message}`);
      assert.equal(result.value.payload.sub, "u");
    }
  }
});
