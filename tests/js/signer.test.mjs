// Signer and generateKeyPair: defaults users rely on (typ, jti, 15-minute expiry), overrides,
// and a sign → verify round trip for every algorithm; signAsync and generateKeyPairAsync give
// what the synchronous methods give (in Node both entries sign synchronously underneath).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Signer, Verifier, Key, generateKeyPair, generateKeyPairAsync, decode, JwtError } from "jwtward";
import { throwsCode, NOW, SECRET } from "./helpers.mjs";

const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

test("defaults: typ JWT, iat now, exp = iat + 15 min, a random jti of at least 128 bits", () => {
  const s = new Signer(Key.fromSecret(SECRET), { alg: "HS256" });
  const t = s.sign({ sub: "u1", custom: { a: 1 } }, { currentDate: NOW });
  const { header, payload } = decode(t);
  assert.equal(header.alg, "HS256");
  assert.equal(header.typ, "JWT");
  assert.equal(payload.iat, NOW);
  assert.equal(payload.exp, NOW + 15 * 60);
  assert.equal(payload.sub, "u1");
  assert.deepEqual(payload.custom, { a: 1 });
  assert.equal(typeof payload.jti, "string");
  assert.ok(Buffer.from(payload.jti, "base64url").length >= 16 || payload.jti.length >= 22 || /^[0-9a-f]{32,}$/i.test(payload.jti), `jti too short: ${payload.jti}`);
  const jtis = new Set(Array.from({ length: 200 }, () => decode(s.sign({})).payload.jti));
  assert.equal(jtis.size, 200);
  assert.equal(payload.nbf, undefined);
  assert.equal(payload.iss, undefined);
});

test("options: kid, typ, issuer, audience, expiresIn, notBefore, jti: false", () => {
  const s = new Signer(Key.fromSecret(SECRET), { alg: "HS384", kid: "k9", typ: "at+jwt", issuer: "https://iss", audience: ["a", "b"], expiresIn: "2h", notBefore: 30, jti: false });
  const { header, payload } = decode(s.sign({}, { currentDate: new Date(NOW * 1000) }));
  assert.deepEqual([header.alg, header.kid, header.typ], ["HS384", "k9", "at+jwt"]);
  assert.equal(payload.iss, "https://iss");
  assert.deepEqual(payload.aud, ["a", "b"]);
  assert.equal(payload.exp, NOW + 7200);
  assert.equal(payload.nbf, NOW + 30);
  assert.equal(payload.jti, undefined);
});

test("overrides: expiresIn and subject per token", () => {
  const s = new Signer(Key.fromSecret(SECRET), { alg: "HS256", expiresIn: "1h" });
  const { payload } = decode(s.sign({ scope: "read" }, { expiresIn: 60, subject: "user-42", currentDate: NOW }));
  assert.equal(payload.exp, NOW + 60);
  assert.equal(payload.sub, "user-42");
  assert.equal(payload.scope, "read");
  assert.equal(decode(s.sign({}, { expiresIn: "5m", currentDate: NOW })).payload.exp, NOW + 300);
  assert.equal(decode(s.sign({}, { currentDate: NOW })).payload.exp, NOW + 3600);
});

test("the key's own kid goes into the header", () => {
  const { privateKey, publicKey } = generateKeyPair("ES256", { kid: "ec-1" });
  assert.equal(privateKey.kid, "ec-1");
  assert.equal(publicKey.kid, "ec-1");
  const t = new Signer(privateKey, { alg: "ES256" }).sign({});
  assert.equal(decode(t).header.kid, "ec-1");
});

test("generateKeyPair → sign → verify, for every asymmetric algorithm", () => {
  for (const alg of ASYMMETRIC) {
    const { privateKey, publicKey } = generateKeyPair(alg);
    assert.equal(privateKey.isPrivate, true, alg);
    assert.equal(publicKey.isPrivate, false, alg);
    assert.equal(privateKey.alg, alg);
    assert.equal(publicKey.kty, alg === "EdDSA" ? "OKP" : alg.startsWith("ES") ? "EC" : "RSA");
    const t = new Signer(privateKey, { alg, issuer: "me", audience: "you" }).sign({ n: 1 }, { subject: "s" });
    const r = new Verifier(publicKey, { algorithms: [alg], issuer: "me", audience: "you", subject: "s" }).verify(t);
    assert.equal(r.header.alg, alg);
    assert.equal(r.payload.n, 1);
    // the public JWK alone verifies too
    assert.ok(new Verifier(publicKey.toPublicJwk(), { algorithms: [alg] }).verify(t));
    // a different key pair of the same alg does not
    throwsCode(() => new Verifier(generateKeyPair(alg).publicKey, { algorithms: [alg] }).verify(t), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  }
});

test("HMAC sign → verify for HS256/384/512", () => {
  for (const alg of ["HS256", "HS384", "HS512"]) {
    const k = Key.fromSecret(SECRET);
    const t = new Signer(k, { alg }).sign({ x: alg });
    assert.equal(new Verifier(k, { algorithms: [alg] }).verify(t).payload.x, alg);
  }
});

test("generateKeyPair refuses HMAC and unknown algorithms", () => {
  throwsCode(() => generateKeyPair("HS256"), "ERR_JOSE_NOT_SUPPORTED");
  assert.throws(() => generateKeyPair("RS1024"), TypeError);
  assert.throws(() => generateKeyPair("ES256", { kid: 1 }), TypeError);
  assert.throws(() => generateKeyPair("ES256", { id: "x" }), TypeError);
});

test("Signer misuse", () => {
  const { privateKey, publicKey } = generateKeyPair("ES256");
  assert.throws(() => new Signer(publicKey, { alg: "ES256" }), TypeError);
  assert.throws(() => new Signer("secret", { alg: "HS256" }), TypeError);
  assert.throws(() => new Signer(privateKey), TypeError);
  assert.throws(() => new Signer(privateKey, {}), TypeError);
  assert.throws(() => new Signer(privateKey, { alg: "ES256", expiresin: "1h" }), (e) => e instanceof TypeError && /expiresin/.test(e.message));
  assert.throws(() => new Signer(privateKey, { alg: "ES256", jti: "yes" }), TypeError);
  // a key of another family or curve, or bound to another alg
  assert.throws(() => new Signer(privateKey, { alg: "ES384" }), (e) => e instanceof JwtError || e instanceof TypeError);
  assert.throws(() => new Signer(privateKey, { alg: "HS256" }), (e) => e instanceof JwtError || e instanceof TypeError);
  assert.throws(() => new Signer(Key.fromSecret(SECRET, { alg: "HS512" }), { alg: "HS256" }), (e) => e instanceof JwtError || e instanceof TypeError);
  const s = new Signer(privateKey, { alg: "ES256" });
  assert.throws(() => s.sign("claims"), TypeError);
  assert.throws(() => s.sign({}, { subjct: "x" }), TypeError);
  assert.throws(() => s.sign({}, { currentDate: "now" }), TypeError);
  assert.throws(() => s.sign({ big: 10n }), TypeError);
});

// Issue 13: overrides.subject silently replaced a `sub` in the claims, while every other claim
// the Signer sets is refused when the claims carry it too.
test("claims.sub together with overrides.subject is a TypeError, like the other managed claims", () => {
  const s = new Signer(Key.fromSecret(SECRET), { alg: "HS256", issuer: "https://iss" });
  assert.throws(() => s.sign({ iss: "other" }), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE");
  for (const sub of ["someone-else", "user-42", "", null, 0]) {
    assert.throws(
      () => s.sign({ sub }, { subject: "user-42" }),
      (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && /sub/.test(e.message),
      JSON.stringify(sub),
    );
  }
  // Either one alone sets it; an undefined claims.sub is absent (JSON drops it).
  assert.equal(decode(s.sign({ sub: "a" })).payload.sub, "a");
  assert.equal(decode(s.sign({}, { subject: "b" })).payload.sub, "b");
  assert.equal(decode(s.sign({ sub: undefined }, { subject: "c" })).payload.sub, "c");
});

test("signAsync and generateKeyPairAsync: the synchronous methods' results, for every algorithm", async () => {
  for (const alg of ASYMMETRIC) {
    const { privateKey, publicKey } = await generateKeyPairAsync(alg, { kid: `k-${alg}` });
    assert.deepEqual([privateKey.isPrivate, publicKey.isPrivate, privateKey.alg, publicKey.alg, publicKey.kid], [true, false, alg, alg, `k-${alg}`], alg);
    const signer = new Signer(privateKey, { alg, jti: false, issuer: "me" });
    const options = { currentDate: NOW, subject: "s" };
    const token = await signer.signAsync({ n: 1 }, options);
    const sync = signer.sign({ n: 1 }, options);
    // Same header and claims; RSASSA-PKCS1-v1_5 and Ed25519 are deterministic, so the same token.
    assert.deepEqual(decode(token).header, decode(sync).header, alg);
    assert.deepEqual(decode(token).payload, decode(sync).payload, alg);
    if (alg.startsWith("RS") || alg === "EdDSA") assert.equal(token, sync, alg);
    const verifier = new Verifier(publicKey, { algorithms: [alg], issuer: "me", subject: "s", currentDate: NOW });
    assert.equal(verifier.verify(token).payload.n, 1, alg);
    assert.equal((await verifier.verifyAsync(sync)).payload.n, 1, alg);
  }
  for (const alg of ["HS256", "HS384", "HS512"]) {
    const signer = new Signer(Key.fromSecret(SECRET), { alg, jti: false });
    assert.equal(await signer.signAsync({ x: 1 }, { currentDate: NOW }), signer.sign({ x: 1 }, { currentDate: NOW }), alg);
  }
});

test("signAsync and generateKeyPairAsync reject what the synchronous methods refuse, with the same errors", async () => {
  await assert.rejects(generateKeyPairAsync("HS256"), (e) => e instanceof JwtError && e.code === "ERR_JOSE_NOT_SUPPORTED");
  await assert.rejects(generateKeyPairAsync("RS1024"), TypeError);
  await assert.rejects(generateKeyPairAsync("ES256", { kid: 1 }), TypeError);
  const s = new Signer(generateKeyPair("ES256").privateKey, { alg: "ES256" });
  await assert.rejects(s.signAsync("claims"), TypeError);
  await assert.rejects(s.signAsync({}, { subjct: "x" }), TypeError);
  await assert.rejects(s.signAsync({ sub: "a" }, { subject: "b" }), (e) => e instanceof TypeError && /sub/.test(e.message));
});

test("tokens signed here verify with node:crypto itself, and node:crypto's keys sign here", () => {
  const SPEC = {
    RS256: [["rsa", { modulusLength: 2048 }], "sha256", (key) => key],
    PS384: [["rsa", { modulusLength: 2048 }], "sha384", (key) => ({ key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 })],
    ES256: [["ec", { namedCurve: "P-256" }], "sha256", (key) => ({ key, dsaEncoding: "ieee-p1363" })],
    ES512: [["ec", { namedCurve: "P-521" }], "sha512", (key) => ({ key, dsaEncoding: "ieee-p1363" })],
    EdDSA: [["ed25519", {}], null, (key) => key],
  };
  for (const [alg, [generate, hash, wrap]] of Object.entries(SPEC)) {
    const pair = crypto.generateKeyPairSync(...generate);
    const ours = Key.fromPem(pair.privateKey.export({ type: "pkcs8", format: "pem" }));
    const token = new Signer(ours, { alg }).sign({ sub: alg });
    const [h, p, sig] = token.split(".");
    assert.ok(crypto.verify(hash, Buffer.from(`${h}.${p}`), wrap(pair.publicKey), Buffer.from(sig, "base64url")), alg);
  }
});
