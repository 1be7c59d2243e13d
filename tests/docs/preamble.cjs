// What a block's preamble gets: the names the prose says the reader has, built from the values
// the test computed for that block (a JSON file named by JWTWARD_DOCS_VALUES), and a fetch that
// sends every non-loopback URL to the test's key server (JWTWARD_DOCS_ORIGIN). Loaded before the
// block's own imports, so the override is in place whatever the block does first.
"use strict";
const { readFileSync } = require("node:fs");

const origin = process.env.JWTWARD_DOCS_ORIGIN;
const realFetch = globalThis.fetch;
if (origin && !realFetch.jwtwardDocs) {
  const docsFetch = async function fetch(input, init) {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return realFetch(request);
    const headers = new Headers(request.headers);
    headers.set("x-docs-origin", url.origin);
    return realFetch(new URL(url.pathname + url.search, origin), {
      method: request.method,
      headers,
      redirect: request.redirect,
      signal: request.signal,
      ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: await request.arrayBuffer() }),
    });
  };
  docsFetch.jwtwardDocs = true;
  globalThis.fetch = docsFetch;
}

/** The fixtures named in `names`, for the block being run. */
function fixtures(names) {
  const v = JSON.parse(readFileSync(process.env.JWTWARD_DOCS_VALUES, "utf8"));
  const jwtward = require("jwtward");
  const publicKey = () =>
    v.alg.startsWith("HS") ? jwtward.Key.fromSecret(v.secret, { kid: v.kid }) : jwtward.Key.fromPem(v.publicPem, { kid: v.kid });
  const make = {
    token: () => v.token,
    bigToken: () => v.bigToken,
    publicPem: () => v.publicPem,
    publicKeyPem: () => v.publicPem,
    pem: () => v.publicPem,
    privatePem: () => v.privatePem,
    certPem: () => v.certPem,
    secret: () => v.secret,
    jwk: () => v.jwk,
    jwks: () => v.jwks,
    jwksUrl: () => "https://id.example/.well-known/jwks.json",
    issuer: () => v.issuer,
    audience: () => v.audience,
    keys: publicKey,
    // A key of the block's algorithm family; for an HMAC block an EC public key, since `key` is
    // also the prose's name for "a key you have" (key.toPublicJwk()).
    key: () => (v.alg.startsWith("HS") ? jwtward.Key.fromPem(v.ecPublicPem, { kid: "ec-1" }) : publicKey()),
    key1: () => jwtward.Key.fromPem(v.ecPublicPem, { kid: "ec-1" }),
    key2: () => jwtward.Key.fromPem(v.edPublicPem, { kid: "ed-1" }),
    verifier: () => new jwtward.Verifier(publicKey(), { algorithms: [v.alg], issuer: v.issuer, audience: v.audience }),
    signer: () => {
      const key = v.alg.startsWith("HS") ? jwtward.Key.fromSecret(v.secret) : jwtward.Key.fromPem(v.privatePem);
      return new jwtward.Signer(key, { alg: v.alg, kid: v.kid, issuer: v.issuer, audience: v.audience });
    },
    request: () => new Request("https://api.example/orders", { headers: { authorization: `Bearer ${v.token}` } }),
    user: () => ({ id: "user-1", email: "user@example.com" }),
    denylist: () => new jwtward.MemoryStore(),
  };
  const out = {};
  for (const name of names) {
    if (!make[name]) throw new Error(`tests/docs/preamble.cjs: no fixture named ${name}`);
    out[name] = make[name]();
  }
  return out;
}

module.exports = fixtures;
