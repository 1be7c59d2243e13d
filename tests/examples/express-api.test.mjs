// The Express API example (js-examples/express-api) end to end over HTTP: the reference issuer
// (js-examples/issuer-server) runs in-process, a user registers and logs in, and the API
// verifies that access token through the issuer's JWKS. The issuer grants no roles and only the
// scope "profile", so role and scope grants are minted by a test issuer: a jwtward Signer whose
// public key a tiny JWKS server on loopback publishes to a second instance of the same app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { KeySet, Signer, decode, decodeHeader, generateKeyPair } from "jwtward";
import { configFromEnv } from "../../js-examples/issuer-server/src/config.mjs";
import { createIssuer } from "../../js-examples/issuer-server/src/app.mjs";
import { createApp } from "../../js-examples/express-api/src/app.mjs";
import { requireRole, requireScope } from "../../js-examples/express-api/src/auth.mjs";
import { errorHandler, notFound } from "../../js-examples/express-api/src/errors.mjs";

const USER = { email: "grace@example.com", password: "correct horse battery staple" };
const TEST_ISSUER = "https://tokens.test";
const INVALID = 'error="invalid_token", error_description="The access token is invalid"';

const servers = [];
let dataDir, issuer, issuerUrl, api, localApi, signer, testKey, logged;

/** Listens on 127.0.0.1, an ephemeral port; resolves to the base URL. */
async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

async function call(base, path, { method = "GET", token, authorization, body } = {}) {
  const headers = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : null };
}

/** A log that keeps what the app reports, so the tests can check it stays out of responses. */
function memoryLog() {
  const lines = [];
  return { lines, warn: (m) => lines.push(String(m)), error: (e) => lines.push(String(e?.stack ?? e)) };
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "jwtward-express-api-test-"));
  issuer = await createIssuer(configFromEnv({ PORT: "0", DATA_DIR: dataDir }));
  issuerUrl = await issuer.listen();
  logged = memoryLog();
  api = await listen(createApp({ issuer: issuerUrl, audience: "api", jwksUrl: `${issuerUrl}/.well-known/jwks.json`, log: logged }));

  const { privateKey, publicKey } = generateKeyPair("ES256", { kid: "test-key-1" });
  const jwks = JSON.stringify(KeySet.of([publicKey]).toJwks());
  const jwksUrl = await listen((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(jwks));
  testKey = privateKey;
  signer = new Signer(privateKey, { alg: "ES256", kid: "test-key-1", typ: "at+jwt", issuer: TEST_ISSUER, audience: "api" });
  localApi = await listen(createApp({ issuer: TEST_ISSUER, audience: "api", jwksUrl, log: memoryLog() }));
});

after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await issuer?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Registers and logs in at the real issuer over HTTP; the access token it returns. */
let issued;
async function issuerToken() {
  if (issued) return issued;
  const post = (path) => fetch(issuerUrl + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(USER) });
  assert.equal((await post("/auth/register")).status, 201);
  const login = await post("/auth/login");
  assert.equal(login.status, 200);
  issued = (await login.json()).access_token;
  return issued;
}

test("GET /public needs no token", async () => {
  const res = await call(api, "/public");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("www-authenticate"), null);
});

test("no token: 401 with a bare Bearer challenge (RFC 6750 3.1), also for another scheme", async () => {
  for (const authorization of [undefined, "Basic Z3JhY2U6cHc="]) {
    const res = await call(api, "/me", { authorization });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="api"');
    assert.equal(res.body.error, "unauthorized");
  }
});

test("a Bearer header that is not one token: 400 invalid_request", async () => {
  const res = await call(api, "/me", { authorization: "Bearer two tokens" });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"');
});

test("garbage token: 401 invalid_token with the generic text, the real reason only in the log", async () => {
  logged.lines.length = 0;
  const res = await call(api, "/me", { token: "garbage" });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("www-authenticate"), `Bearer realm="api", ${INVALID}`);
  assert.deepEqual(res.body, { error: "invalid_token", error_description: "The access token is invalid" });
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.deepEqual(logged.lines, ["access token refused: ERR_JWS_INVALID"]);
});

test("a real token from the issuer (register + login over HTTP): GET /me 200 with req.user", async () => {
  const token = await issuerToken();
  const res = await call(api, "/me", { token });
  assert.equal(res.status, 200, res.text);
  const me = await (await fetch(`${issuerUrl}/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.equal(res.body.sub, me.sub);
  assert.equal(res.body.claims.email, USER.email);
  assert.equal(res.body.claims.iss, issuerUrl);
});

test("the issuer's token grants no role and only scope profile: /admin and /reports answer 403", async () => {
  const token = await issuerToken();
  const admin = await call(api, "/admin", { token });
  assert.equal(admin.status, 403);
  assert.equal(admin.headers.get("www-authenticate"), 'Bearer error="insufficient_scope", error_description="The access token lacks a required role"');
  const reports = await call(api, "/reports", { token });
  assert.equal(reports.status, 403);
  assert.equal(
    reports.headers.get("www-authenticate"),
    'Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="reports:read"',
  );
});

test("a token signed by a key the issuer never published: 401, under an unknown kid or the issuer's own", async () => {
  const real = decode(await issuerToken()).payload;
  const claims = { email: real.email, scope: real.scope };
  const overrides = { subject: real.sub };
  const { privateKey } = generateKeyPair("ES256");
  const opts = { alg: "ES256", typ: "at+jwt", issuer: issuerUrl, audience: "api" };
  logged.lines.length = 0;
  for (const kid of ["attacker-key", decodeHeader(await issuerToken()).kid]) {
    const forged = new Signer(privateKey, { ...opts, kid }).sign(claims, overrides);
    const res = await call(api, "/me", { token: forged });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("www-authenticate"), `Bearer realm="api", ${INVALID}`);
  }
  assert.deepEqual(logged.lines, ["access token refused: ERR_JWKS_NO_MATCHING_KEY", "access token refused: ERR_JWS_SIGNATURE_VERIFICATION_FAILED"]);
});

test("roles: /admin 403 without the admin role, 200 with it", async () => {
  const user = await call(localApi, "/admin", { token: signer.sign({ roles: ["editor"] }, { subject: "u1" }) });
  assert.equal(user.status, 403);
  assert.match(user.headers.get("www-authenticate"), /^Bearer error="insufficient_scope"/);
  const admin = await call(localApi, "/admin", { token: signer.sign({ roles: ["editor", "admin"] }, { subject: "u2" }) });
  assert.equal(admin.status, 200, admin.text);
  assert.deepEqual(admin.body, { message: "admin area", sub: "u2" });
});

test("scopes: /reports 403 without reports:read, 200 with it in scope or scp", async () => {
  const denied = await call(localApi, "/reports", { token: signer.sign({ scope: "profile reports:write" }, { subject: "u1" }) });
  assert.equal(denied.status, 403);
  assert.match(denied.headers.get("www-authenticate"), /error="insufficient_scope".*scope="reports:read"$/);
  for (const grant of [{ scope: "profile reports:read" }, { scp: ["reports:read"] }]) {
    const res = await call(localApi, "/reports", { token: signer.sign(grant, { subject: "u1" }) });
    assert.equal(res.status, 200, res.text);
  }
});

test("an expired token: 401 invalid_token, 'expired'", async () => {
  const token = signer.sign({ roles: ["admin"] }, { subject: "u1", expiresIn: "5m", currentDate: new Date(Date.now() - 3600_000) });
  const res = await call(localApi, "/me", { token });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_token", error_description="The access token expired"');
});

test("a token for another audience, from another issuer, or not an access token: 401", async () => {
  const trusted = (opts) => new Signer(testKey, { alg: "ES256", kid: "test-key-1", typ: "at+jwt", issuer: TEST_ISSUER, audience: "api", ...opts });
  assert.equal((await call(localApi, "/me", { token: trusted({}).sign({}, { subject: "u1" }) })).status, 200, "the control passes");
  // typ "JWT" is what an ID token signed by the same keys carries.
  for (const opts of [{ audience: "billing" }, { issuer: "https://other.test" }, { typ: "JWT" }]) {
    const res = await call(localApi, "/me", { token: trusted(opts).sign({}, { subject: "u1" }) });
    assert.equal(res.status, 401, JSON.stringify(opts));
    assert.equal(res.headers.get("www-authenticate"), `Bearer realm="api", ${INVALID}`);
  }
});

test("the key server is down: 503 without details, not a 401 that would log the user out", async () => {
  const closed = await listen(() => {});
  const server = servers.pop();
  server.close();
  const log = memoryLog();
  const down = await listen(createApp({ issuer: TEST_ISSUER, audience: "api", jwksUrl: `${closed}/jwks.json`, log }));
  const res = await call(down, "/me", { token: signer.sign({}, { subject: "u1" }) });
  assert.equal(res.status, 503);
  assert.deepEqual(res.body, { error: "temporarily_unavailable" });
  assert.doesNotMatch(res.text, /127\.0\.0\.1|fetch/);
  assert.deepEqual(log.lines, ["access token refused: ERR_JWKS_FETCH_FAILED"]);
});

test("unknown routes: 404 JSON", async () => {
  for (const [method, path] of [["GET", "/nope"], ["POST", "/me"], ["GET", "/admin/x"]]) {
    const res = await call(api, path, { method });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: "not_found" });
  }
});

test("errors answer JSON without a stack or message; client errors keep their status", async () => {
  const log = memoryLog();
  const app = express();
  app.get("/boom", () => {
    throw new Error("database password is hunter2");
  });
  app.post("/echo", express.json(), (req, res) => res.json(req.body));
  app.use(notFound);
  app.use(errorHandler(log.error));
  const base = await listen(app);
  const boom = await call(base, "/boom");
  assert.equal(boom.status, 500);
  assert.equal(boom.text, '{"error":"server_error"}');
  assert.match(log.lines[0], /hunter2/, "the real error goes to the log");
  const bad = await call(base, "/echo", { method: "POST", body: "{not json" });
  assert.equal(bad.status, 400);
  assert.equal(bad.text, '{"error":"bad_request"}');
});

test("requireRole() and requireScope() without a name refuse to build (they would let anyone in)", () => {
  assert.throws(() => requireRole(), TypeError);
  assert.throws(() => requireScope(), TypeError);
  assert.throws(() => requireRole(["admin"]), TypeError);
});

test("the README quotes the real code: each js block appears verbatim in the file it names", () => {
  const dir = new URL("../../js-examples/express-api/", import.meta.url);
  const readme = readFileSync(new URL("README.md", dir), "utf8");
  // Each block follows a line "From [`src/x.mjs`](src/x.mjs)" (later blocks: the last one named).
  let file = null;
  let blocks = 0;
  for (const m of readme.matchAll(/From \[`([^`]+)`\]|```js\n([\s\S]*?)\n```/g)) {
    if (m[1]) {
      file = readFileSync(new URL(m[1], dir), "utf8");
      continue;
    }
    blocks += 1;
    assert.ok(file, "a js block before any 'From [`file`]' line");
    for (const part of m[2].split("\n\n")) assert.ok(file.includes(part), `not in the source:\n${part}`);
  }
  assert.equal(blocks, 3);
});
