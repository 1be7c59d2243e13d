// The Workers issuer example (js-examples/cloudflare-issuer) in real workerd (Miniflare 4).
// What runs where, all in one Miniflare (one workerd process), each Worker its own isolate with
// its own module state:
//   issuer-a   the example, bundled as Wrangler would; it hosts JwtwardRefreshObject (SQLite
//              Durable Objects persisted to a temp dir) and has the SIGNING_KEY secret. Served
//              over HTTP on 127.0.0.1: the concurrent refreshes go through it.
//   issuer-b   the same bundle, a second Worker whose REFRESH binding is issuer-a's namespace,
//              without SIGNING_KEY (so it signs with its own isolate's dev key: a visibly separate
//              isolate). Reached through Miniflare's getWorker.
//   issuer-x   the same bundle and SIGNING_KEY, REFRESH bound to a Durable Object that always fails.
// The restart test runs Miniflare twice, one after the other, on one persist dir.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { KeySet, Verifier } from "jwtward";
import { ROOT, assertWorkerdBundle, readWranglerToml, startWorker } from "./workerd.mjs";

const EXAMPLE = join(ROOT, "js-examples", "cloudflare-issuer");
const config = await readWranglerToml(join(EXAMPLE, "wrangler.toml"));
const HOOK_TIMEOUT = { timeout: 90_000 };
const GRACE_SECONDS = 3;
const CLASS = "JwtwardRefreshObject";
const TEST_TIMEOUT = { timeout: 60_000 };
const REQUEST_TIMEOUT_MS = 20_000;

/** `promise`, or a rejection after REQUEST_TIMEOUT_MS: no request of these tests waits unbounded. */
function bounded(promise, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${REQUEST_TIMEOUT_MS} ms`)), REQUEST_TIMEOUT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A private ES256 JWK for SIGNING_KEY, made with WebCrypto the way scripts/make-key.mjs does. */
async function makeSigningKey(kid) {
  const { privateKey } = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey("jwk", privateKey);
  return JSON.stringify({ kty, crv, x, y, d, alg: "ES256", kid });
}

const BROKEN = `
export class Broken { async fetch() { throw new Error("storage is down"); } }
export default { fetch: () => new Response("broken host") };
`;

/** Starts the issuer Workers on `persist`; returns `{ call(worker, method, path, body?, headers?), mf, logs, dispose }`. */
async function startIssuers({ persist, signingKey, grace = `${GRACE_SECONDS}s` }) {
  const vars = { ...config.vars, REUSE_GRACE: grace };
  const worker = await startWorker({
    entry: join(EXAMPLE, config.main),
    compatibilityDate: config.compatibility_date,
    bindings: vars,
    configure: (w) => ({
      durableObjectsPersist: persist,
      workers: [
        { ...w, name: "issuer-a", bindings: { ...vars, SIGNING_KEY: signingKey }, durableObjects: { REFRESH: { className: CLASS, useSQLite: true } } },
        { ...w, name: "issuer-b", durableObjects: { REFRESH: { className: CLASS, scriptName: "issuer-a", useSQLite: true } } },
        { ...w, name: "issuer-x", bindings: { ...vars, SIGNING_KEY: signingKey }, durableObjects: { REFRESH: { className: "Broken", scriptName: "broken" } } },
        { name: "broken", modules: true, script: BROKEN, compatibilityDate: config.compatibility_date },
      ],
    }),
  });
  const fetchers = { "issuer-b": await worker.mf.getWorker("issuer-b"), "issuer-x": await worker.mf.getWorker("issuer-x") };
  async function call(name, method, path, body, headers = {}) {
    const init = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      init.headers["content-type"] ??= "application/json";
    }
    const url = new URL(path, worker.url);
    const response = await bounded(name === "issuer-a" ? fetch(url, init) : fetchers[name].fetch(url, init), `${name} ${method} ${path}`);
    const text = await bounded(response.text(), `${name} ${method} ${path} body`);
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, headers: response.headers, json, text };
  }
  return { ...worker, call };
}

let persist;
let signingKey;
let issuers;
const A = "issuer-a";
const B = "issuer-b";

before(async () => {
  persist = await mkdtemp(join(tmpdir(), "jwtward-issuer-do-"));
  signingKey = await makeSigningKey("test-key-1");
  issuers = await startIssuers({ persist, signingKey });
}, HOOK_TIMEOUT);

after(async () => {
  await issuers?.dispose();
  if (persist) await rm(persist, { recursive: true, force: true });
}, HOOK_TIMEOUT);

const login = (who = "alice", password = "correct horse battery staple", worker = A) => issuers.call(worker, "POST", "/login", { username: who, password });
const refresh = (token, worker = A) => issuers.call(worker, "POST", "/refresh", { refresh_token: token });
const bearer = (token) => ({ authorization: `Bearer ${token}` });

test("login, /api/me, refresh and logout; the JWKS verifies the access tokens", TEST_TIMEOUT, async () => {
  const r = await login();
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.token_type, "Bearer");
  assert.equal(r.json.expires_in, 15 * 60);
  assert.equal(r.headers.get("cache-control"), "no-store");
  const jwks = await issuers.call(A, "GET", "/.well-known/jwks.json");
  assert.equal(jwks.status, 200);
  assert.deepEqual(jwks.json.keys.map((k) => k.kid), ["test-key-1"]);
  assert.equal(jwks.json.keys[0].d, undefined, "no private part in the JWKS");
  // Bundled as Wrangler would: jwtward's workerd entry with its .wasm as a module, and
  // jwtward/cloudflare as plain JavaScript beside it.
  assertWorkerdBundle(issuers.bundle);
  assert.ok(issuers.bundle.inputs.includes("pkg/cloudflare.mjs"), issuers.bundle.inputs.join(", "));
  const verifier = new Verifier(KeySet.fromJwks(jwks.json), { algorithms: ["ES256"], issuer: config.vars.ISSUER, audience: config.vars.AUDIENCE });
  const { payload } = await verifier.verifyAsync(r.json.access_token);
  assert.equal(payload.sub, "alice");
  assert.equal(payload.sid, r.json.refresh_token.split(".")[0], "sid is the refresh family");
  const me = await issuers.call(A, "GET", "/api/me", undefined, bearer(r.json.access_token));
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json.roles, ["admin"]);
  const next = await refresh(r.json.refresh_token);
  assert.equal(next.status, 200, next.text);
  assert.notEqual(next.json.refresh_token, r.json.refresh_token);
  // Logout with the newest access token: it is denied, and the family is revoked.
  const out = await issuers.call(A, "POST", "/logout", undefined, bearer(next.json.access_token));
  assert.equal(out.status, 204, out.text);
  const denied = await issuers.call(A, "GET", "/api/me", undefined, bearer(next.json.access_token));
  assert.equal(denied.status, 401);
  assert.equal(denied.json.code, "ERR_JWT_REVOKED");
  const again = await refresh(next.json.refresh_token);
  assert.equal(again.status, 401);
  assert.equal(again.json.code, "ERR_REFRESH_REVOKED");
  // The other Worker (another isolate) sees the denylist too.
  assert.equal((await issuers.call(B, "POST", "/logout", undefined, bearer(next.json.access_token))).status, 401);
});

test("bad input is 400 or 401, never 500; unknown routes 404, wrong methods 405", TEST_TIMEOUT, async () => {
  const cases = [
    ["/login", "not json", {}, 400],
    ["/login", "{}", {}, 400],
    ["/login", "[]", {}, 400],
    ["/login", "null", {}, 400],
    ["/login", JSON.stringify({ username: "alice", password: 42 }), {}, 400],
    ["/login", JSON.stringify({ username: "a".repeat(65), password: "x" }), {}, 400],
    ["/login", JSON.stringify({ username: "alice", password: "x".repeat(5000) }), {}, 400],
    ["/login", JSON.stringify({ username: "alice", password: "pw" }), { "content-type": "text/plain" }, 400],
    ["/login", JSON.stringify({ username: "alice", password: "wrong" }), {}, 401],
    ["/login", JSON.stringify({ username: "mallory", password: "correct horse battery staple" }), {}, 401],
    ["/login", JSON.stringify({ username: "__proto__", password: "x" }), {}, 401],
    ["/refresh", JSON.stringify({ refresh_token: "x" }), {}, 401],
    ["/refresh", JSON.stringify({ refresh_token: `${"A".repeat(22)}.${"B".repeat(43)}` }), {}, 401],
    ["/refresh", JSON.stringify({ refresh_token: "../../etc.passwd" }), {}, 401],
    ["/refresh", JSON.stringify({ refresh_token: "x".repeat(513) }), {}, 400],
    ["/refresh", JSON.stringify({ refresh_token: ["t"] }), {}, 400],
    ["/refresh", "{", {}, 400],
    ["/logout", "", {}, 401],
  ];
  for (const [path, body, headers, status] of cases) {
    const r = await issuers.call(A, "POST", path, body, headers);
    assert.equal(r.status, status, `${path} ${body.slice(0, 50)}: ${r.text}`);
    assert.equal(typeof r.json.error, "string");
  }
  assert.equal((await issuers.call(A, "GET", "/api/me", undefined, bearer("a.b.c"))).status, 401);
  assert.equal((await issuers.call(A, "GET", "/api/me", undefined, { authorization: "Basic eDp5" })).status, 401);
  assert.equal((await issuers.call(A, "GET", "/nope")).status, 404);
  assert.equal((await issuers.call(A, "GET", "/login")).status, 405);
  assert.equal((await issuers.call(A, "PUT", "/.well-known/jwks.json", "{}")).status, 405);
  assert.equal(issuers.logs.filter((l) => /^error/.test(l)).length, 0, issuers.logs.join("\n"));
});

test("50 concurrent refreshes of one token through the Worker: one successor, the same for all", TEST_TIMEOUT, async (t) => {
  const first = await login("bob", "tr0ub4dor&3-but-longer");
  assert.equal(first.status, 200, first.text);
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 50 }, () => refresh(first.json.refresh_token)));
  const ms = performance.now() - started;
  const statuses = results.map((r) => r.status);
  const successors = new Set(results.filter((r) => r.status === 200).map((r) => r.json.refresh_token));
  t.diagnostic(`50 concurrent POST /refresh of one token (HTTP, one Worker): ${statuses.filter((s) => s === 200).length} answered 200, ${successors.size} distinct successor, ${ms.toFixed(0)} ms`);
  assert.ok(ms < GRACE_SECONDS * 1000, `took ${ms.toFixed(0)} ms, beyond the ${GRACE_SECONDS}s grace: the test cannot tell`);
  assert.deepEqual(statuses, Array(50).fill(200), results.find((r) => r.status !== 200)?.text);
  assert.equal(successors.size, 1);
  // The successor works, and is the one chain: its own refresh succeeds.
  const [successor] = successors;
  assert.equal((await refresh(successor)).status, 200);
});

test("50 concurrent refreshes of one token split over two isolates: still one successor", TEST_TIMEOUT, async (t) => {
  const first = await login("bob", "tr0ub4dor&3-but-longer");
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => refresh(first.json.refresh_token, i % 2 === 0 ? A : B)));
  const ms = performance.now() - started;
  const successors = new Set(results.filter((r) => r.status === 200).map((r) => r.json.refresh_token));
  t.diagnostic(`50 concurrent POST /refresh of one token, alternating issuer-a (HTTP) and issuer-b (getWorker): ${results.filter((r) => r.status === 200).length} answered 200, ${successors.size} distinct successor, ${ms.toFixed(0)} ms`);
  assert.ok(ms < GRACE_SECONDS * 1000, `took ${ms.toFixed(0)} ms, beyond the ${GRACE_SECONDS}s grace: the test cannot tell`);
  assert.deepEqual(results.map((r) => r.status), Array(50).fill(200), results.find((r) => r.status !== 200)?.text);
  assert.equal(successors.size, 1);
});

test("a replay after the grace window, in another isolate, revokes the family everywhere", TEST_TIMEOUT, async () => {
  const first = await login();
  const second = await refresh(first.json.refresh_token);
  assert.equal(second.status, 200);
  // Inside the window, issuer-b (another isolate) hands back the same successor.
  const inGrace = await refresh(first.json.refresh_token, B);
  assert.equal(inGrace.status, 200, inGrace.text);
  assert.equal(inGrace.json.refresh_token, second.json.refresh_token);
  await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 1200));
  const replay = await refresh(first.json.refresh_token, B);
  assert.equal(replay.status, 401, replay.text);
  assert.equal(replay.json.code, "ERR_REFRESH_REUSED");
  const victim = await refresh(second.json.refresh_token, A);
  assert.equal(victim.status, 401);
  assert.equal(victim.json.code, "ERR_REFRESH_REVOKED");
  // issuer-b is a separate isolate: no SIGNING_KEY there, so its own generated dev key.
  const jwksB = await issuers.call(B, "GET", "/.well-known/jwks.json");
  assert.match(jwksB.json.keys[0].kid, /^dev-/);
  assert.ok(issuers.logs.some((l) => /SIGNING_KEY is not set/.test(l)), "the dev-key warning was logged");
});

test("the store failing is 503 with Retry-After, never 500", TEST_TIMEOUT, async () => {
  const X = "issuer-x";
  const { access_token, refresh_token } = (await login()).json; // issued by issuer-a: well formed
  const paths = [
    ["/login", { username: "alice", password: "correct horse battery staple" }],
    ["/refresh", { refresh_token }],
  ];
  for (const [path, body] of paths) {
    const r = await issuers.call(X, "POST", path, body);
    assert.equal(r.status, 503, `${path}: ${r.text}`);
    assert.equal(r.headers.get("retry-after"), "1");
    assert.ok(!r.text.includes("storage is down"), "no internal detail in the answer");
  }
  // A valid access token (issuer-a's, same key), but the denylist cannot be asked: 503, neither 200 nor 401.
  for (const [method, path] of [["GET", "/api/me"], ["POST", "/logout"]]) {
    const r = await issuers.call(X, method, path, undefined, bearer(access_token));
    assert.equal(r.status, 503, `${path}: ${r.text}`);
    assert.equal(r.json.error, "temporarily_unavailable");
  }
});

test("state survives a restart of Miniflare with persistence on", TEST_TIMEOUT, async () => {
  const dir = await mkdtemp(join(tmpdir(), "jwtward-issuer-restart-"));
  let first = null;
  try {
    first = await startIssuers({ persist: dir, signingKey });
    const call = first.call;
    const kept = (await call(A, "POST", "/login", { username: "alice", password: "correct horse battery staple" })).json;
    const gone = (await call(A, "POST", "/login", { username: "alice", password: "correct horse battery staple" })).json;
    assert.equal((await call(A, "POST", "/logout", undefined, bearer(gone.access_token))).status, 204);
    await first.dispose();
    first = null;
    const second = await startIssuers({ persist: dir, signingKey });
    try {
      const next = await second.call(A, "POST", "/refresh", { refresh_token: kept.refresh_token });
      assert.equal(next.status, 200, `the family did not survive: ${next.text}`);
      const revoked = await second.call(A, "POST", "/refresh", { refresh_token: gone.refresh_token });
      assert.equal(revoked.json.code, "ERR_REFRESH_REVOKED");
      const denied = await second.call(A, "GET", "/api/me", undefined, bearer(gone.access_token));
      assert.equal(denied.json.code, "ERR_JWT_REVOKED");
      assert.equal((await second.call(A, "GET", "/api/me", undefined, bearer(kept.access_token))).status, 200);
    } finally {
      await second.dispose();
    }
  } finally {
    await first?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
