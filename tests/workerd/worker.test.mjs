// The Cloudflare Worker example (js-examples/cloudflare-worker) in real workerd: bundled as
// Wrangler would, served by Miniflare on 127.0.0.1 with its wrangler.toml vars, JWKS_URL pointing
// at a JWKS server this test runs (node:http), and driven over real HTTP with fetch.
// The tests run in order and share one Worker isolate: its cached key set is part of what is
// tested (first fetch failing, then shared by concurrent requests, then rotated).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { join } from "node:path";
import { Signer, generateKeyPair } from "jwtward";
import { EXAMPLE, assertWorkerdBundle, readWranglerToml, startWorker } from "./workerd.mjs";

const config = await readWranglerToml(join(EXAMPLE, "wrangler.toml"));
const { ISSUER, AUDIENCE } = config.vars;
const keyA = generateKeyPair("ES256", { kid: "a" });
const keyB = generateKeyPair("ES256", { kid: "b" });
const sign = (claims = {}, { key = keyA, kid = "a", issuer = ISSUER, audience = AUDIENCE, ...overrides } = {}) =>
  new Signer(key.privateKey, { alg: "ES256", kid, issuer, audience }).sign(claims, { subject: "user-1", ...overrides });

/** A JWKS server on 127.0.0.1: `keys` is what it serves; `mode` "hang" never answers; `hits` counts requests. */
function jwksServer() {
  const state = { keys: [keyA.publicKey.toPublicJwk()], mode: "ok", delayMs: 0, hits: 0 };
  const server = createServer((req, res) => {
    if (req.url !== "/jwks") return res.writeHead(404).end();
    state.hits += 1;
    if (state.mode === "hang") return;
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/jwk-set+json" }).end(JSON.stringify({ keys: state.keys }));
    }, state.delayMs);
  });
  return Object.assign(state, {
    listen: (port) => new Promise((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve)),
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  });
}

/** A port that was free a moment ago, on which nothing listens now. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

let worker;
let jwks;
let jwksPort;

const HOOK_TIMEOUT = { timeout: 60_000 };

before(async () => {
  jwksPort = await freePort();
  jwks = jwksServer();
  worker = await startWorker({
    entry: join(EXAMPLE, config.main),
    compatibilityDate: config.compatibility_date,
    // The example's own vars, with the key server replaced by this test's. A zero cooldown lets
    // recovery and rotation show without waiting the default 30 s between refetches.
    bindings: { ...config.vars, JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks`, JWKS_COOLDOWN: "0s", JWKS_TIMEOUT: "1s" },
  });
}, HOOK_TIMEOUT);

after(async () => {
  await worker?.dispose();
  await jwks?.close();
}, HOOK_TIMEOUT);

/** GET `path` from the Worker; `auth` is a token or a whole Authorization value (`{ header }`). */
const sentTokens = [];
async function get(path, auth) {
  const headers = {};
  if (typeof auth === "string") sentTokens.push(auth);
  if (typeof auth === "string") headers.authorization = `Bearer ${auth}`;
  else if (auth) headers.authorization = auth.header;
  const response = await fetch(new URL(path, worker.url), { headers, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${path}: HTTP ${response.status}, not JSON: ${text.slice(0, 500)}\nworker logs:\n${worker.logs.join("\n")}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** The parameters of a `WWW-Authenticate: Bearer k="v", ...` challenge. */
function challenge(response) {
  const value = response.headers.get("www-authenticate");
  assert.ok(value, `HTTP ${response.status} without WWW-Authenticate: ${JSON.stringify(response.body)}`);
  assert.match(value, /^Bearer realm="[^"]*"(, [a-z_]+="[\x20\x21\x23-\x5B\x5D-\x7E]*")*$/, value);
  return Object.fromEntries([...value.matchAll(/([a-z_]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

test("the bundle took jwtward's workerd entry: the .wasm is a compiled module, not base64", () => {
  assertWorkerdBundle(worker.bundle);
});

test("GET / is public", async () => {
  const r = await get("/");
  assert.equal(r.status, 200);
  assert.equal(r.body.service, "jwtward worker example");
});

test("no credentials, or not a Bearer token: 401 with a challenge and no error code (RFC 6750 3.1)", async () => {
  for (const auth of [undefined, { header: "Basic dXNlcjpwYXNz" }, { header: "Bearer" }, { header: "Bearer a b" }, { header: "Bearer <script>" }]) {
    const r = await get("/api/me", auth);
    assert.equal(r.status, 401, JSON.stringify(auth));
    assert.deepEqual(challenge(r), { realm: "api" });
    assert.deepEqual(r.body, { error: "unauthorized", code: null });
  }
  assert.equal(jwks.hits, 0, "no token, no JWKS fetch");
});

test("JWKS server down before the first fetch: 503 ERR_JWKS_FETCH_FAILED, no challenge", async () => {
  const r = await get("/api/me", sign());
  assert.equal(r.status, 503);
  assert.deepEqual(r.body, { error: "jwks_unavailable", code: "ERR_JWKS_FETCH_FAILED" });
  assert.equal(r.headers.get("www-authenticate"), null);
  // The operator learns why (the client does not): workerd says e.g. "Network connection lost".
  const logged = worker.logs.find((line) => line.includes("ERR_JWKS_FETCH_FAILED"));
  assert.ok(logged?.includes(`http://127.0.0.1:${jwksPort}/jwks`), worker.logs.join("\n"));
});

test("JWKS server not answering: 503 ERR_JWKS_TIMEOUT after JWKS_TIMEOUT", async () => {
  await jwks.listen(jwksPort);
  jwks.mode = "hang";
  const started = Date.now();
  const r = await get("/api/me", sign());
  assert.equal(r.status, 503);
  assert.deepEqual(r.body, { error: "jwks_unavailable", code: "ERR_JWKS_TIMEOUT" }, worker.logs.join("\n"));
  assert.ok(Date.now() - started >= 900, `answered after ${Date.now() - started} ms`);
});

test("concurrent requests share one JWKS fetch", async () => {
  jwks.mode = "ok";
  jwks.delayMs = 300; // every request arrives while the first fetch is still under way
  const before = jwks.hits;
  const token = sign();
  const responses = await Promise.all(Array.from({ length: 8 }, () => get("/api/me", token)));
  jwks.delayMs = 0;
  assert.deepEqual(responses.map((r) => r.status), Array(8).fill(200));
  assert.equal(jwks.hits - before, 1, "JWKS requests");
});

test("a valid token: 200 with the verified claims; the cached key set serves it", async () => {
  const before = jwks.hits;
  const r = await get("/api/me", sign({ scope: "read", tenant: "acme" }));
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("cache-control"), "no-store");
  assert.equal(r.body.sub, "user-1");
  assert.equal(r.body.iss, ISSUER);
  assert.equal(r.body.aud, AUDIENCE);
  assert.equal(r.body.tenant, "acme");
  assert.equal(typeof r.body.exp, "number");
  assert.equal(jwks.hits, before);
});

const b64u = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const invalid = {
  expired: [() => sign({}, { currentDate: Math.floor(Date.now() / 1000) - 3600 }), "ERR_JWT_EXPIRED"],
  "signed by a key not in the JWKS, under a known kid": [() => sign({}, { key: keyB, kid: "a" }), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"],
  // The bad issuer carries a quote and CR LF: they must not reach the header as such.
  "from another issuer": [() => sign({}, { issuer: 'https://evil.example/"\r\nx-injected: 1' }), "ERR_JWT_CLAIM_VALIDATION_FAILED"],
  "for another audience": [() => sign({}, { audience: "https://other.example" }), "ERR_JWT_CLAIM_VALIDATION_FAILED"],
  "alg none": [() => `${b64u({ alg: "none", kid: "a" })}.${b64u({ sub: "admin", iss: ISSUER, aud: AUDIENCE })}.`, "ERR_JOSE_ALG_NOT_ALLOWED"],
  "HS256 with the public key as the secret": [
    // Forged with node:crypto: jwtward itself refuses a public key as an HMAC secret.
    () => {
      const input = `${b64u({ alg: "HS256", kid: "a" })}.${b64u({ sub: "admin", iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}`;
      return `${input}.${createHmac("sha256", JSON.stringify(keyA.publicKey.toPublicJwk())).update(input).digest("base64url")}`;
    },
    "ERR_JOSE_ALG_NOT_ALLOWED",
  ],
};
for (const [name, [make, code]] of Object.entries(invalid)) {
  test(`a token ${name}: 401 invalid_token (${code})`, async () => {
    const token = make();
    const r = await get("/api/me", token);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { error: "invalid_token", code });
    const params = challenge(r);
    assert.equal(params.error, "invalid_token");
    // Issue 13 / SECURITY.md: a fixed sentence per case, never the error's message (which
    // names the claim, the algorithm, the issuer the attacker sent...).
    assert.equal(params.error_description, code === "ERR_JWT_EXPIRED" ? "The access token expired" : "The access token is invalid");
    assert.equal(r.headers.get("x-injected"), null);
  });
}

test("a token without the admin scope: 403 insufficient_scope naming the scope", async () => {
  for (const claims of [{}, { scope: "read write" }, { scp: ["read"] }, { scope: "administrator" }]) {
    const r = await get("/api/admin", sign(claims));
    assert.equal(r.status, 403, JSON.stringify(claims));
    assert.deepEqual(r.body, { error: "insufficient_scope", code: "ERR_JWT_CLAIM_VALIDATION_FAILED" });
    const params = challenge(r);
    assert.equal(params.error, "insufficient_scope");
    assert.equal(params.error_description, "The access token does not grant the scope this resource needs");
    assert.equal(params.scope, "admin");
  }
});

test("the admin scope, as a scope string or an scp array: 200", async () => {
  for (const claims of [{ scope: "read admin" }, { scp: ["admin"] }]) {
    const r = await get("/api/admin", sign(claims));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { admin: true, sub: "user-1" });
  }
});

test("key rotation: a token under a new kid makes the Worker refetch the JWKS once", async () => {
  jwks.keys = [keyA.publicKey.toPublicJwk(), keyB.publicKey.toPublicJwk()];
  const before = jwks.hits;
  const r = await get("/api/me", sign({}, { key: keyB, kid: "b" }));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.sub, "user-1");
  assert.equal(jwks.hits - before, 1);
  assert.equal((await get("/api/me", sign())).status, 200, "the old key still verifies");
  assert.equal(jwks.hits - before, 1);
});

test("JWKS server gone after the first fetch: the cached keys keep serving", async () => {
  await jwks.close();
  assert.equal((await get("/api/me", sign({}, { key: keyB, kid: "b" }))).status, 200);
  // An unknown kid tries a refetch, which fails: the token is refused, the set stays.
  const r = await get("/api/me", sign({}, { key: generateKeyPair("ES256"), kid: "c" }));
  assert.equal(r.status, 401);
  assert.equal(r.body.code, "ERR_JWKS_NO_MATCHING_KEY");
  assert.equal((await get("/api/me", sign())).status, 200);
});

test("unknown routes and methods", async () => {
  assert.equal((await get("/nope")).status, 404);
  const r = await fetch(new URL("/api/me", worker.url), { method: "POST", signal: AbortSignal.timeout(10_000) });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get("allow"), "GET, HEAD");
  await r.body?.cancel();
});

test("the Worker logged the key server failures and why tokens were refused, never a token", () => {
  const other = worker.logs.filter((line) => !/^(error: JWKS unavailable|warn: (token|scope) refused): ERR_[A-Z_]+: /.test(line));
  assert.deepEqual(other, []);
  // The details the client no longer sees are in the log.
  assert.ok(worker.logs.some((line) => line.startsWith("warn: token refused: ERR_JWT_EXPIRED: ")));
  assert.ok(worker.logs.some((line) => line.startsWith("warn: token refused: ERR_JWT_CLAIM_VALIDATION_FAILED: ") && line.includes("evil.example")));
  assert.ok(worker.logs.some((line) => line.startsWith("warn: scope refused: ")));
  for (const token of sentTokens) {
    for (const line of worker.logs) assert.ok(!line.includes(token.split(".")[1]), `a log line holds a token: ${line}`);
  }
});
