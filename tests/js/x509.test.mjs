// X.509 certificates as key sources (issue 12): Key.fromPem with a certificate, JWKs with x5c,
// KeySet.fromX509Map and the same document from remoteKeySet. Only the certificate's public key
// is used; its chain, dates and extensions are not checked. Fixtures: tests/fixtures/x509 (make.sh).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { readFileSync } from "node:fs";
import { Key, KeySet, Verifier, remoteKeySet } from "jwtward";
import { b64u, throwsCode, NOW } from "./helpers.mjs";

const fixture = (name) => readFileSync(new URL(`../fixtures/x509/${name}`, import.meta.url), "utf8");
/** A PEM certificate's base64 DER, as an x5c entry holds it. */
const x5c = (name) => fixture(name).split("\n").filter((l) => l && !l.startsWith("-----")).join("");

function sign(alg, keyPem, header = {}) {
  const input = `${b64u({ alg, typ: "JWT", ...header })}.${b64u({ sub: "s", exp: NOW + 60 })}`;
  const digest = alg === "EdDSA" ? null : `sha${alg.slice(2)}`;
  const sig = crypto.sign(digest, Buffer.from(input), { key: keyPem, dsaEncoding: "ieee-p1363" });
  return `${input}.${sig.toString("base64url")}`;
}
const options = (alg) => ({ algorithms: [alg], currentDate: NOW });
const verifyAsync = (keys, alg, token) => new Verifier(keys, options(alg)).verifyAsync(token);

const CERTS = [
  ["rsa", "RSA", "RS256"],
  ["p256", "EC", "ES256"],
  ["p384", "EC", "ES384"],
  ["p521", "EC", "ES512"],
  ["ed25519", "OKP", "EdDSA"],
];

test("Key.fromPem takes a certificate: its public key verifies", async () => {
  for (const [name, kty, alg] of CERTS) {
    const key = Key.fromPem(fixture(`${name}.crt`));
    assert.deepEqual([key.kty, key.isPrivate], [kty, false], name);
    assert.deepEqual(key.toPublicJwk(), Key.fromPem(fixture(`${name}.pub`)).toPublicJwk(), name);
    const token = sign(alg, fixture(`${name}.key`), { kid: "whatever" });
    assert.equal((await verifyAsync(key, alg, token)).payload.sub, "s", name);
    // With alg and kid options, as for any PEM.
    const bound = Key.fromPem(fixture(`${name}.crt`), { alg, kid: "c1" });
    assert.deepEqual([bound.alg, bound.kid], [alg, "c1"]);
  }
  // A certificate signed by a CA (a v1 certificate): the subject's key, nothing about the issuer.
  const leaf = Key.fromPem(fixture("leaf.crt"));
  assert.equal((await verifyAsync(leaf, "ES256", sign("ES256", fixture("p256.key")))).payload.sub, "s");
});

test("hostile and unsupported certificates are refused with a code that says which", () => {
  for (const [name, code, message] of [
    ["hostile-truncated.crt", "ERR_JWK_INVALID", /malformed X\.509 certificate: it is cut short/],
    ["hostile-length.crt", "ERR_JWK_INVALID", /malformed X\.509 certificate/],
    ["hostile-trailing.crt", "ERR_JWK_INVALID", /bytes follow the certificate/],
    ["dsa.crt", "ERR_JOSE_NOT_SUPPORTED", /DSA keys are not supported/],
    ["rsa-pss.crt", "ERR_JOSE_NOT_SUPPORTED", /RSASSA-PSS/],
  ]) {
    assert.match(throwsCode(() => Key.fromPem(fixture(name)), code).message, message, name);
  }
  throwsCode(() => Key.fromPem(fixture("rsa.crt"), { alg: "ES256" }), "ERR_JWK_INVALID");
});

test("a JWK with only x5c takes the first certificate's key; with n/e as well they must agree", async () => {
  const token = sign("RS256", fixture("rsa.key"), { kid: "r" });
  const only = Key.fromJwk({ kty: "RSA", kid: "r", x5c: [x5c("rsa.crt"), x5c("ca.crt")] });
  assert.equal((await verifyAsync(only, "RS256", token)).payload.sub, "s");
  const own = Key.fromPem(fixture("rsa.pub")).toPublicJwk();
  Key.fromJwk({ ...own, x5c: [x5c("rsa.crt")] });
  const e = throwsCode(() => Key.fromJwk({ ...own, x5c: [x5c("hostile-trailing.crt")] }), "ERR_JWK_INVALID");
  assert.match(e.message, /follow the certificate/);
  // Another key in x5c than in x/y: the JWK says two things, and is refused.
  const ec256 = Key.fromPem(fixture("p256.pub")).toPublicJwk();
  Key.fromJwk({ ...ec256, x5c: [x5c("leaf.crt")] });
  const mismatch = throwsCode(() => Key.fromJwk({ ...ec256, x5c: [x5c("p384.crt")] }), "ERR_JWK_INVALID");
  assert.match(mismatch.message, /the JWK's key is not the key of its x5c certificate; they must agree/);
  throwsCode(() => Key.fromJwk({ ...own, x5c: [x5c("rsa-pss.crt")] }), "ERR_JOSE_NOT_SUPPORTED");
  assert.match(throwsCode(() => Key.fromJwk({ kty: "EC", x5c: [x5c("rsa.crt")] }), "ERR_JWK_INVALID").message, /kty is EC but its x5c certificate holds an RSA key/);
  assert.match(throwsCode(() => Key.fromJwk({ kty: "RSA", x5c: [] }), "ERR_JWK_INVALID").message, /non-empty array/);
  // In a set, a JWK whose x5c disagrees is skipped like any invalid member.
  const ec = Key.fromPem(fixture("p256.pub")).toPublicJwk();
  const set = KeySet.fromJwks({ keys: [{ ...ec, kid: "bad", x5c: [x5c("p384.crt")] }, { kty: "EC", kid: "good", x5c: [x5c("p256.crt")] }] });
  assert.equal(set.size, 1);
  assert.deepEqual(set.toJwks().keys.map((k) => k.kid), ["good"]);
});

test("KeySet.fromX509Map: each certificate's key under its kid", async () => {
  const map = { "k-rsa": fixture("rsa.crt"), "k-ec": fixture("p384.crt"), "k-dsa": fixture("dsa.crt") };
  const set = KeySet.fromX509Map(map);
  assert.equal(set.size, 2); // the DSA certificate is skipped
  assert.equal((await verifyAsync(set, "RS256", sign("RS256", fixture("rsa.key"), { kid: "k-rsa" }))).payload.sub, "s");
  assert.equal((await verifyAsync(set, "ES384", sign("ES384", fixture("p384.key"), { kid: "k-ec" }))).payload.sub, "s");
  await assert.rejects(verifyAsync(set, "RS256", sign("RS256", fixture("rsa.key"), { kid: "k-ec" })), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  await assert.rejects(verifyAsync(set, "RS256", sign("RS256", fixture("rsa.key"), { kid: "other" })), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  // Synchronous verification where the entry has synchronous crypto (Node: always).
  assert.equal(new Verifier(set, options("RS256")).verify(sign("RS256", fixture("rsa.key"), { kid: "k-rsa" })).payload.sub, "s");
  for (const bad of [null, [], "x", { a: 1 }, { a: { pem: fixture("rsa.crt") } }]) {
    throwsCode(() => KeySet.fromX509Map(bad), "ERR_JWKS_INVALID");
  }
  assert.equal(KeySet.fromX509Map({}).size, 0);
  // The map given to fromJwks: the message names the loader to use.
  assert.match(throwsCode(() => KeySet.fromJwks(map), "ERR_JWKS_INVALID").message, /KeySet\.fromX509Map/);
});

test("remoteKeySet reads the { kid: certificate } document as it reads a JWKS", async () => {
  const map = { one: fixture("rsa.crt"), two: fixture("ed25519.crt") };
  let fetches = 0;
  const fetch = async () => {
    fetches++;
    return new Response(JSON.stringify(map), { status: 200, headers: { "content-type": "application/json" } });
  };
  const remote = remoteKeySet("https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com", { fetch });
  assert.equal((await verifyAsync(remote, "EdDSA", sign("EdDSA", fixture("ed25519.key"), { kid: "two" }))).payload.sub, "s");
  assert.equal((await verifyAsync(remote, "RS256", sign("RS256", fixture("rsa.key"), { kid: "one" }))).payload.sub, "s");
  assert.equal(fetches, 1);
  // A document that is neither shape says what the two shapes are.
  const neither = remoteKeySet("https://example.test/x", { fetch: async () => new Response('{"a":1}', { status: 200 }) });
  await assert.rejects(neither.reload(), (e) => e.code === "ERR_JWKS_INVALID" && /either a JWKS .* or a map/.test(e.message));
});

test("certificates load in the browser/workerd entries too (the core parses them; WebCrypto verifies)", async () => {
  const entries = { slim: await import("../../pkg/index.browser.mjs"), full: await import("../../pkg/full/index.browser.mjs") };
  for (const [entry, web] of Object.entries(entries)) {
    for (const [name, , alg] of CERTS) {
      const token = sign(alg, fixture(`${name}.key`), { kid: name });
      const single = web.Key.fromPem(fixture(`${name}.crt`));
      assert.equal((await new web.Verifier(single, options(alg)).verifyAsync(token)).payload.sub, "s", `${entry} ${name}`);
      const x5cOnly = web.Key.fromJwk({ kty: single.kty, x5c: [x5c(`${name}.crt`)] });
      assert.deepEqual(x5cOnly.toPublicJwk(), single.toPublicJwk(), `${entry} ${name}`);
    }
    const set = web.KeySet.fromX509Map({ rsa: fixture("rsa.crt"), p256: fixture("p256.crt") });
    const token = sign("ES256", fixture("p256.key"), { kid: "p256" });
    assert.equal((await new web.Verifier(set, options("ES256")).verifyAsync(token)).payload.sub, "s", entry);
  }
});
