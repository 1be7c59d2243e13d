// Issue 13's core fixes, seen through the JS API: public keys written as base64 or hex text are
// not HMAC secrets; a lifetime beyond a safe NumericDate is a TypeError, never exp 0; a JWK whose
// key_ops lack "verify" never verifies; requiredScopes reads scope or scp, never both merged;
// a header with "enc" (a JWE's) is not a JWS; decode takes a limit above 16 KiB. The Rust tests
// hold the exhaustive tables (tests/attacks.rs, tests/verify_rules.rs, src/claims.rs, src/decode.rs);
// these check the JS surface.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Key, KeySet, Signer, Verifier, decode, decodeHeader } from "jwtward";
import { goodToken, hmacToken, throwsCode, NOW, SECRET } from "./helpers.mjs";

/** TypeError with Node's argument code: how every misuse of the API surfaces. */
function throwsArg(fn, pattern) {
  assert.throws(fn, (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && (!pattern || pattern.test(e.message)));
}

test("a public key written as base64 or hex text is refused as an HMAC secret, without echoing it", () => {
  const { publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
  const spki = publicKey.export({ format: "der", type: "spki" });
  const body = spki.toString("base64");
  const forms = {
    "Keycloak realm public_key (bare base64 SPKI)": body,
    "PEM body without its armour": body.match(/.{1,64}/g).join("\n"),
    "hex DER": spki.toString("hex"),
    "base64url DER": spki.toString("base64url"),
  };
  for (const [what, text] of Object.entries(forms)) {
    for (const input of [text, new TextEncoder().encode(text)]) {
      const e = throwsCode(() => Key.fromSecret(input), "ERR_JWK_INVALID");
      assert.match(e.message, /looks like a DER public key/, what);
      assert.match(e.message, /Key\.fromPem/, what);
      assert.ok(!e.message.includes(text.slice(8, 28)), `${what}: the message echoes the key`);
    }
  }
  // A random secret, in the same encodings, is still a secret.
  for (const len of [32, 48, 64]) {
    const raw = crypto.randomBytes(len);
    for (const text of [raw.toString("base64"), raw.toString("base64url"), raw.toString("hex")]) assert.equal(Key.fromSecret(text).kty, "oct");
  }
});

test("an x5c certificate is refused as an HMAC secret", () => {
  // A self-signed P-256 test certificate (CN=id.example), as it appears in a JWK's x5c.
  const x5c =
    "MIIBfzCCASWgAwIBAgIUTBm58DXkJkFhD9MBfjEYIwQztN8wCgYIKoZIzj0EAwIwFTETMBEGA1UEAwwKaWQuZXhhbXBsZTAeFw0yNjEyMDQxOTE3NDZaFw0zNjEyMDExOTE3NDZaMBUxEzARBgNVBAMMCmlkLmV4YW1wbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQdn7Nf9Xwq8hzj9KfK98d1abNhJMx6getFXWOkmuCwHW9pHjQzObSiBH5hd5rEJBz+TiXbF2DVToMJsniA0ldKo1MwUTAdBgNVHQ4EFgQUlwXo+qRVf8ffeRzejPJq7S6qrUcwHwYDVR0jBBgwFoAUlwXo+qRVf8ffeRzejPJq7S6qrUcwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA45okLBuZSH/tbqDEitHCKRlxGy3qryIkvkvKfOIvEYkCIG+2KvXctxyyh9fQuNkZAgaizlkW5xOi/mq48n/yz53D";
  const e = throwsCode(() => Key.fromSecret(x5c), "ERR_JWK_INVALID");
  assert.match(e.message, /X\.509 certificate/);
  throwsCode(() => Key.fromJwk({ kty: "oct", k: Buffer.from(x5c).toString("base64url") }), "ERR_JWK_INVALID");
});

test("expiresIn / notBefore beyond a safe NumericDate are TypeErrors, never exp 0", () => {
  const key = Key.fromSecret(SECRET);
  const s = new Signer(key, { alg: "HS256", expiresIn: 9e15 });
  assert.equal(decode(s.sign({}, { currentDate: NOW })).payload.exp, 9e15 + NOW);
  throwsArg(() => new Signer(key, { alg: "HS256", expiresIn: 1e16 }), /expiresIn/);
  throwsArg(() => new Signer(key, { alg: "HS256", notBefore: 9.1e15 }), /notBefore/);
  throwsArg(() => new Signer(key, { alg: "HS256", expiresIn: "300000000 years" }), /expiresIn/);
  // Within 2^53 - 1 as a duration, beyond it once added to iat.
  const near = new Signer(key, { alg: "HS256", expiresIn: Number.MAX_SAFE_INTEGER - 1000 });
  throwsArg(() => near.sign({}, { currentDate: NOW }), /expiresIn/);
  throwsArg(() => new Signer(key, { alg: "HS256" }).sign({}, { expiresIn: 9.1e15, currentDate: NOW }), /expiresIn/);
});

test("the subject override does not silently replace a sub in the claims", () => {
  const s = new Signer(Key.fromSecret(SECRET), { alg: "HS256" });
  throwsArg(() => s.sign({ sub: "ada" }, { subject: "bob" }), /sub/);
  assert.equal(decode(s.sign({}, { subject: "bob" })).payload.sub, "bob");
});

test('a JWK whose key_ops lack "verify" never verifies', () => {
  const { privateKey, publicKey } = crypto.generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" });
  const signer = new Signer(Key.fromJwk({ ...privateKey.export({ format: "jwk" }), key_ops: ["sign"] }), { alg: "EdDSA", kid: "k1" });
  const token = signer.sign({ sub: "ada" }, { currentDate: NOW });
  const options = { algorithms: ["EdDSA"], currentDate: NOW };
  // The only key: refused when the verifier is built.
  const e = throwsCode(() => new Verifier(Key.fromJwk({ ...jwk, kid: "k1", key_ops: ["sign"] }), options), "ERR_JWK_INVALID");
  assert.match(e.message, /key_ops/);
  // In a set beside a usable key: no candidate, and the error names key_ops.
  const jwks = { keys: [{ ...jwk, kid: "k1", key_ops: ["sign"] }, { ...jwk, kid: "k2" }] };
  const e2 = throwsCode(() => new Verifier(jwks, options).verify(token), "ERR_JWKS_NO_MATCHING_KEY");
  assert.match(e2.message, /key_ops \["sign"\]/);
  throwsCode(() => new Verifier({ keys: [{ ...jwk, kid: "k1", use: "enc" }, { ...jwk, kid: "k2" }] }, options).verify(token), "ERR_JWKS_NO_MATCHING_KEY");
  // "verify" among them: it verifies.
  assert.equal(new Verifier(Key.fromJwk({ ...jwk, kid: "k1", key_ops: ["verify"] }), options).verify(token).payload.sub, "ada");
  assert.ok(new Verifier(KeySet.fromJwks({ keys: [{ ...jwk, kid: "k1", key_ops: ["verify"] }] }), options).verify(token));
});

test("requiredScopes reads scope when present, else scp: never the two merged", () => {
  const v = (requiredScopes) => new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"], currentDate: NOW, requiredScopes });
  const both = goodToken({ scope: "a", scp: ["b"] });
  const e = throwsCode(() => v(["a", "b"]).verify(both), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "scope", reason: "check_failed" });
  assert.match(e.message, /"scp" is not read when "scope" is present/);
  assert.ok(v(["a"]).verify(both));
  assert.ok(v(["b"]).verify(goodToken({ scp: ["b"] })));
  throwsCode(() => v(["b"]).verify(goodToken({ scp: ["c"] })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "scp" });
});

test('a header with "enc" (a JWE header) is not a JWS; decode shows it as it is', () => {
  const v = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"], currentDate: NOW });
  const payload = { sub: "admin", exp: NOW + 60 };
  for (const header of [{ alg: "HS256", enc: "A256GCM" }, { alg: "HS256", enc: null }, { alg: "dir", enc: "A128GCM" }]) {
    const e = throwsCode(() => v.verify(hmacToken(header, payload)), "ERR_JWS_INVALID");
    assert.match(e.message, /JWE/);
    assert.match(e.message, /not supported/);
  }
  const t = hmacToken({ alg: "HS256", enc: "A256GCM" }, payload);
  assert.equal(decode(t).header.enc, "A256GCM");
  assert.equal(decodeHeader(t).enc, "A256GCM");
  assert.ok(v.verify(hmacToken({ alg: "HS256" }, payload)));
});

test("decode and decodeHeader read a token above 16 KiB under a larger maxTokenSize", () => {
  const t = hmacToken({ alg: "HS256" }, { blob: "x".repeat(20 * 1024), exp: NOW + 60 });
  throwsCode(() => decode(t), "ERR_JWT_INVALID");
  const options = { maxTokenSize: 64 * 1024 };
  assert.equal(decode(t, options).payload.blob.length, 20 * 1024);
  assert.equal(decode(t, options).signature, t.split(".")[2]);
  assert.deepEqual(decodeHeader(t, options), { alg: "HS256" });
  throwsCode(() => decode(t, { maxTokenSize: t.length - 1 }), "ERR_JWT_INVALID");
  // The verifier with the same limit accepts what decode shows.
  assert.ok(new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"], currentDate: NOW, ...options }).verify(t));
});
