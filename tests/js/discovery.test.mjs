// Issuer discovery (discover, remoteKeySetFromIssuer) against metadata and a JWKS served over
// real HTTP on 127.0.0.1 (allowHttpLoopback: true), plus the metadata URLs of both
// specifications through an injected fetch: the exact issuer comparison (trailing slash, paths),
// redirects refused, size and JSON limits, a missing or plain-http jwks_uri, caching of the
// metadata and the set (one fetch of each for many verifications), and an end-to-end verify.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Key, RemoteKeySet, Signer, Verifier, discover, generateKeyPair, remoteKeySetFromIssuer } from "jwtward";
import { rejectsCode } from "./helpers.mjs";

/**
 * An identity provider on 127.0.0.1: `routes[path]` is `(req, res) => void` or a document to
 * serve as JSON; every request is counted in `hits[path]`.
 */
async function idp() {
  const state = { hits: {}, routes: {} };
  const server = http.createServer((req, res) => {
    state.hits[req.url] = (state.hits[req.url] || 0) + 1;
    const route = state.routes[req.url];
    if (route === undefined) return res.writeHead(404).end();
    if (typeof route === "function") return route(req, res);
    res.writeHead(200, { "content-type": "application/json" }).end(typeof route === "string" ? route : JSON.stringify(route));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.origin = `http://127.0.0.1:${server.address().port}`;
  state.close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  server.unref();
  return state;
}

const key = generateKeyPair("ES256", { kid: "k1" });
const jwks = { keys: [key.publicKey.toPublicJwk()] };
const sign = (iss, claims = {}) => new Signer(key.privateKey, { alg: "ES256", kid: "k1", issuer: iss, audience: "api" }).sign(claims);
const LOOPBACK = { allowHttpLoopback: true };

/** The URL discover() requests for `issuer`, through a fetch that records it. */
async function requestedUrl(issuer, options = {}) {
  let seen = null;
  const fetch = async (url, init) => {
    seen = { url, init };
    return new Response(JSON.stringify({ issuer, jwks_uri: "https://id.example/jwks" }), { status: 200 });
  };
  await discover(issuer, { ...options, fetch });
  return seen;
}

test("metadata URLs: OpenID Connect Discovery appends, RFC 8414 inserts before the path", async () => {
  const cases = [
    ["https://id.example", "oidc", "https://id.example/.well-known/openid-configuration"],
    ["https://id.example/", "oidc", "https://id.example/.well-known/openid-configuration"],
    ["https://id.example/tenant1", "oidc", "https://id.example/tenant1/.well-known/openid-configuration"],
    ["https://id.example/tenant1/", "oidc", "https://id.example/tenant1/.well-known/openid-configuration"],
    ["https://id.example/a/b", "oidc", "https://id.example/a/b/.well-known/openid-configuration"],
    ["https://id.example", "oauth2", "https://id.example/.well-known/oauth-authorization-server"],
    ["https://id.example/", "oauth2", "https://id.example/.well-known/oauth-authorization-server"],
    ["https://id.example/tenant1", "oauth2", "https://id.example/.well-known/oauth-authorization-server/tenant1"],
    ["https://id.example/tenant1/", "oauth2", "https://id.example/.well-known/oauth-authorization-server/tenant1"],
    ["https://id.example:8443/a/b", "oauth2", "https://id.example:8443/.well-known/oauth-authorization-server/a/b"],
  ];
  for (const [issuer, type, expected] of cases) {
    const { url, init } = await requestedUrl(issuer, { type });
    assert.equal(url, expected, `${type} ${issuer}`);
    assert.equal(init.redirect, "manual", "redirects are never followed for metadata");
    assert.equal(init.method, "GET");
  }
});

test("the issuer argument: https, no query or fragment; http only to loopback with allowHttpLoopback", () => {
  const refused = (issuer, options) =>
    assert.throws(() => remoteKeySetFromIssuer(issuer, options), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE");
  refused("http://id.example");
  refused("http://127.0.0.1:8080");
  refused("http://id.example", LOOPBACK);
  refused("https://id.example?tenant=1");
  refused("https://id.example#x");
  refused("id.example");
  refused(undefined);
  refused("https://id.example", { type: "saml" });
  refused("https://id.example", { allowHttpLoopback: "yes" });
  refused("https://id.example", { cacheMaxAge: "forever" });
  assert.ok(remoteKeySetFromIssuer("http://127.0.0.1:8080", LOOPBACK) instanceof RemoteKeySet);
  assert.ok(remoteKeySetFromIssuer("http://localhost:8080/realms/x", LOOPBACK) instanceof RemoteKeySet);
  const keys = remoteKeySetFromIssuer(new URL("https://id.example"));
  assert.equal(keys.issuer, "https://id.example/", "a URL object is taken as its href");
  assert.equal(keys.url, undefined, "no JWKS URL before the metadata is read");
});

test("end to end: one metadata fetch and one JWKS fetch for many verifications", async () => {
  const s = await idp();
  const issuer = s.origin;
  s.routes["/.well-known/openid-configuration"] = { issuer, jwks_uri: `${s.origin}/keys`, authorization_endpoint: `${s.origin}/authorize` };
  s.routes["/keys"] = jwks;
  const keys = remoteKeySetFromIssuer(issuer, LOOPBACK);
  const verifier = new Verifier(keys, { algorithms: ["ES256"], issuer, audience: "api" });
  const token = sign(issuer, { sub: "u1" });
  const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verifyAsync(token)));
  for (const { payload } of results) assert.equal(payload.sub, "u1");
  for (let i = 0; i < 20; i++) await verifier.verifyAsync(token);
  assert.deepEqual(s.hits, { "/.well-known/openid-configuration": 1, "/keys": 1 });
  assert.equal(keys.url, `${s.origin}/keys`);
  assert.equal(keys.issuer, issuer);
  // discover() returns the whole document.
  const metadata = await discover(issuer, LOOPBACK);
  assert.equal(metadata.authorization_endpoint, `${s.origin}/authorize`);
  await s.close();
});

test("issuers with a path, both specifications, end to end", async () => {
  const s = await idp();
  for (const [type, path] of [
    ["oidc", "/realms/acme/.well-known/openid-configuration"],
    ["oauth2", "/.well-known/oauth-authorization-server/realms/acme"],
  ]) {
    const issuer = `${s.origin}/realms/acme`;
    s.routes[path] = { issuer, jwks_uri: `${s.origin}/realms/acme/certs` };
    s.routes["/realms/acme/certs"] = jwks;
    const verifier = new Verifier(remoteKeySetFromIssuer(issuer, { ...LOOPBACK, type }), { algorithms: ["ES256"], issuer });
    assert.equal((await verifier.verifyAsync(sign(issuer))).header.kid, "k1");
    assert.equal(s.hits[path], 1, type);
  }
  await s.close();
});

test("the metadata's issuer must equal the configured one exactly: a trailing slash differs", async () => {
  const s = await idp();
  // Auth0 style: the issuer ends with "/", and so does every token's iss.
  s.routes["/.well-known/openid-configuration"] = { issuer: `${s.origin}/`, jwks_uri: `${s.origin}/keys` };
  s.routes["/keys"] = jwks;
  await rejectsCode(discover(s.origin, LOOPBACK), "ERR_JWKS_INVALID", /trailing slash.*configure the issuer exactly/s);
  const metadata = await discover(`${s.origin}/`, LOOPBACK);
  assert.equal(metadata.issuer, `${s.origin}/`);
  const verifier = new Verifier(remoteKeySetFromIssuer(`${s.origin}/`, LOOPBACK), { algorithms: ["ES256"], issuer: `${s.origin}/` });
  assert.equal((await verifier.verifyAsync(sign(`${s.origin}/`))).header.kid, "k1");

  // And the other way round: configured with a slash, published without.
  s.routes["/.well-known/openid-configuration"] = { issuer: s.origin, jwks_uri: `${s.origin}/keys` };
  await rejectsCode(discover(`${s.origin}/`, LOOPBACK), "ERR_JWKS_INVALID", /names the issuer/);

  // Another issuer altogether (a mix-up, or a tenant's metadata under another's URL).
  s.routes["/.well-known/openid-configuration"] = { issuer: "https://evil.example", jwks_uri: `${s.origin}/keys` };
  const keys = remoteKeySetFromIssuer(s.origin, LOOPBACK);
  await rejectsCode(new Verifier(keys, { algorithms: ["ES256"] }).verifyAsync(sign(s.origin)), "ERR_JWKS_INVALID", /"https:\/\/evil\.example", not the configured/);
  assert.equal(s.hits["/keys"], 1, "no JWKS is fetched for a mismatched issuer");
  // Case is not folded either.
  s.routes["/.well-known/openid-configuration"] = { issuer: s.origin.toUpperCase(), jwks_uri: `${s.origin}/keys` };
  await rejectsCode(discover(s.origin, LOOPBACK), "ERR_JWKS_INVALID", /names the issuer/);
  await s.close();
});

test("redirects are refused, not followed", async () => {
  const s = await idp();
  s.routes["/.well-known/openid-configuration"] = (_req, res) => res.writeHead(302, { location: `${s.origin}/elsewhere` }).end();
  s.routes["/elsewhere"] = { issuer: s.origin, jwks_uri: `${s.origin}/keys` };
  await rejectsCode(discover(s.origin, LOOPBACK), "ERR_JWKS_FETCH_FAILED", /got 302: redirects are not followed/);
  assert.equal(s.hits["/elsewhere"], undefined);
  await s.close();
});

test("bad documents: not JSON, not an object, no issuer, no or bad jwks_uri, oversized, HTTP errors", async () => {
  const s = await idp();
  const path = "/.well-known/openid-configuration";
  const cases = [
    ["<html>login</html>", "ERR_JWKS_INVALID", /is not JSON/],
    ["[1,2]", "ERR_JWKS_INVALID", /not a JSON object/],
    [{ jwks_uri: `${s.origin}/keys` }, "ERR_JWKS_INVALID", /no "issuer"/],
    [{ issuer: s.origin }, "ERR_JWKS_INVALID", /no "jwks_uri".*remoteKeySet/],
    [{ issuer: s.origin, jwks_uri: 42 }, "ERR_JWKS_INVALID", /not a string/],
    [{ issuer: s.origin, jwks_uri: "/keys" }, "ERR_JWKS_INVALID", /not an absolute URL/],
    [{ issuer: s.origin, jwks_uri: "http://id.example/keys" }, "ERR_JWKS_INVALID", /not https/],
    [{ issuer: s.origin, jwks_uri: "ftp://127.0.0.1/keys" }, "ERR_JWKS_INVALID", /not https/],
    [JSON.stringify({ issuer: s.origin, jwks_uri: `${s.origin}/keys`, pad: "x".repeat(300_000) }), "ERR_JWKS_INVALID", /larger than|bytes; at most/],
    [(_req, res) => res.writeHead(500).end("oops"), "ERR_JWKS_FETCH_FAILED", /expected HTTP 200, got 500/],
    [(_req, res) => res.writeHead(404).end(), "ERR_JWKS_FETCH_FAILED", /got 404/],
    [(_req, res) => res.destroy(), "ERR_JWKS_FETCH_FAILED", /could not fetch the issuer metadata/],
  ];
  for (const [route, code, pattern] of cases) {
    s.routes[path] = route;
    await rejectsCode(discover(s.origin, LOOPBACK), code, pattern);
  }
  // Endless body without Content-Length: abandoned at the limit.
  s.routes[path] = (_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = "x".repeat(64 * 1024);
    const write = () => {
      while (res.write(chunk)) if (res.destroyed) return;
      res.once("drain", write);
    };
    res.on("error", () => {});
    write();
  };
  await rejectsCode(discover(s.origin, LOOPBACK), "ERR_JWKS_INVALID", /larger than/);
  // A plain-http jwks_uri to loopback is refused without allowHttpLoopback, even via an injected fetch.
  const fetch = async () => new Response(JSON.stringify({ issuer: "https://id.example", jwks_uri: "http://127.0.0.1/keys" }));
  await rejectsCode(discover("https://id.example", { fetch }), "ERR_JWKS_INVALID", /not https/);
  await s.close();
});

test("a slow metadata server times out with ERR_JWKS_TIMEOUT", async () => {
  const s = await idp();
  s.routes["/.well-known/openid-configuration"] = () => {}; // never answers
  await rejectsCode(discover(s.origin, { ...LOOPBACK, timeout: 0.2 }), "ERR_JWKS_TIMEOUT", /issuer metadata/);
  await s.close();
});

test("metadata is cached like the set: refetched after its max age; a failed refresh keeps the last good one", async () => {
  const s = await idp();
  const issuer = s.origin;
  const path = "/.well-known/openid-configuration";
  s.routes[path] = { issuer, jwks_uri: `${s.origin}/keys` };
  s.routes["/keys"] = jwks;
  const keys = remoteKeySetFromIssuer(issuer, { ...LOOPBACK, cacheMaxAge: 0.3, cooldown: 0 });
  const verifier = new Verifier(keys, { algorithms: ["ES256"], issuer });
  await verifier.verifyAsync(sign(issuer));
  await verifier.verifyAsync(sign(issuer));
  assert.equal(s.hits[path], 1);
  await sleep(350);
  // The metadata now names a new JWKS URL: the next refresh follows it.
  s.routes[path] = { issuer, jwks_uri: `${s.origin}/keys2` };
  s.routes["/keys2"] = jwks;
  await verifier.verifyAsync(sign(issuer));
  assert.equal(s.hits[path], 2);
  assert.equal(s.hits["/keys2"], 1);
  assert.equal(keys.url, `${s.origin}/keys2`);
  await sleep(350);
  // The metadata server fails: the last good metadata (and set) keep serving.
  s.routes[path] = (_req, res) => res.writeHead(503).end();
  assert.equal((await verifier.verifyAsync(sign(issuer))).header.kid, "k1");
  assert.equal(s.hits[path], 3);
  assert.equal(s.hits["/keys2"], 2);
  await s.close();
});

test("without metadata, failures are reported and retried only after the cooldown", async () => {
  const s = await idp();
  const path = "/.well-known/openid-configuration";
  s.routes[path] = (_req, res) => res.writeHead(500).end();
  const verifier = new Verifier(remoteKeySetFromIssuer(s.origin, { ...LOOPBACK, cooldown: "1h" }), { algorithms: ["ES256"] });
  for (let i = 0; i < 5; i++) await rejectsCode(verifier.verifyAsync(sign(s.origin)), "ERR_JWKS_FETCH_FAILED", /issuer metadata/);
  assert.equal(s.hits[path], 1);
  await s.close();
});

test("providers' issuers, metadata URLs and jwks_uri shapes, end to end (fixtures of their key sets)", async () => {
  const read = (name) => JSON.parse(readFileSync(new URL(`./fixtures/providers/${name}`, import.meta.url), "utf8"));
  const tenant = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";
  const providers = [
    // [fixture, issuer (as its tokens' iss), where its metadata is, its jwks_uri]
    ["auth0", "https://acme.eu.auth0.com/", "https://acme.eu.auth0.com/.well-known/openid-configuration", "https://acme.eu.auth0.com/.well-known/jwks.json"],
    ["entra", `https://login.microsoftonline.com/${tenant}/v2.0`, `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`, `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`],
    ["cognito", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/openid-configuration", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json"],
    ["google", "https://accounts.google.com", "https://accounts.google.com/.well-known/openid-configuration", "https://www.googleapis.com/oauth2/v3/certs"],
    ["keycloak", "https://sso.example.com/realms/acme", "https://sso.example.com/realms/acme/.well-known/openid-configuration", "https://sso.example.com/realms/acme/protocol/openid-connect/certs"],
  ];
  for (const [name, issuer, metadataUrl, jwksUri] of providers) {
    const document = read(`${name}.json`);
    const privateKeys = read(`${name}.keys.json`);
    // A signing key of the set (Keycloak's also holds an encryption key, which must not matter).
    const jwk = document.keys.find((k) => k.use !== "enc" && privateKeys[k.kid]);
    const requested = [];
    const fetch = async (url) => {
      requested.push(url);
      if (url === metadataUrl) return new Response(JSON.stringify({ issuer, jwks_uri: jwksUri, response_types_supported: ["code"] }));
      if (url === jwksUri) return new Response(JSON.stringify(document));
      return new Response(null, { status: 404 });
    };
    const token = new Signer(Key.fromPem(privateKeys[jwk.kid]), { alg: "RS256", kid: jwk.kid, issuer, audience: "api" }).sign({ sub: name });
    const verifier = new Verifier(remoteKeySetFromIssuer(issuer, { fetch }), { algorithms: ["RS256"], issuer, audience: "api" });
    assert.equal((await verifier.verifyAsync(token)).payload.sub, name);
    assert.equal((await verifier.verifyAsync(token)).payload.sub, name);
    assert.deepEqual(requested, [metadataUrl, jwksUri], name);
  }
});
