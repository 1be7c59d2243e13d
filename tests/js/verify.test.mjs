// Verifier / verify / checkClaims: every rejection path reachable from JS, with its code and,
// for claim failures, claim and reason; option validation; time handling; key selection.
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Verifier, verify, checkClaims, Key, KeySet, JwtError, Signer } from "jwtward";
import { b64u, hmacToken, goodToken, throwsCode, NOW, SECRET } from "./helpers.mjs";

const key = Key.fromSecret(SECRET);
const base = { algorithms: ["HS256"], currentDate: NOW };
const v = (opts = {}) => new Verifier(key, { ...base, ...opts });

describe("signature and header", () => {
  test("a good token verifies and returns header and payload", () => {
    const r = v({ issuer: "https://issuer.example", audience: "api", subject: "user-1" }).verify(goodToken({ x: 1 }));
    assert.deepEqual(r.header, { alg: "HS256", typ: "JWT" });
    assert.equal(r.payload.x, 1);
    assert.equal(r.payload.sub, "user-1");
    assert.deepEqual(Object.keys(r).sort(), ["header", "payload"]);
  });

  test("one-shot verify() behaves like a Verifier", () => {
    assert.equal(verify(goodToken(), key, base).payload.sub, "user-1");
    throwsCode(() => verify(goodToken(), Key.fromSecret("other-secret-other-secret-other-secret"), base), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  test("bad signature", () => {
    const t = goodToken();
    const [h, p, s] = t.split(".");
    const flipped = s.slice(0, 5) + (s[5] === "A" ? "B" : "A") + s.slice(6);
    throwsCode(() => v().verify(`${h}.${p}.${flipped}`), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    // payload swapped under the original signature
    throwsCode(() => v().verify(`${h}.${b64u({ sub: "admin", exp: NOW + 600 })}.${s}`), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    throwsCode(() => v().verify(hmacToken({ alg: "HS256" }, { exp: NOW + 60 }, "not-the-secret")), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  test("a token with a trailing newline is refused with a message that says to trim it", () => {
    const e = throwsCode(() => v().verify(`${goodToken()}\n`), "ERR_JWS_INVALID");
    assert.equal(e.message, "the token ends with whitespace (a newline?); trim it before verifying");
    assert.equal(throwsCode(() => v().verify(` ${goodToken()}`), "ERR_JWS_INVALID").message, "the token starts with whitespace; trim it before verifying");
  });

  test("empty signature is refused", () => {
    const [h, p] = goodToken().split(".");
    throwsCode(() => v().verify(`${h}.${p}.`), "ERR_JWS_INVALID");
  });

  test("malformed tokens", () => {
    const [h, p, s] = goodToken().split(".");
    throwsCode(() => v().verify(""), "ERR_JWT_INVALID");
    for (const t of ["abc", `${h}.${p}`, `${h}.${p}.${s}.${s}`, `${h}=.${p}.${s}`, `${h}.${p}.${s.slice(0, -1)}+`, `${h} .${p}.${s}`]) {
      throwsCode(() => v().verify(t), "ERR_JWS_INVALID");
    }
    throwsCode(() => v().verify(`${b64u("[]")}.${p}.${s}`), "ERR_JWS_INVALID");
  });

  test("a non-string token is ERR_JWT_INVALID", () => {
    for (const bad of [undefined, null, 1, {}, ["a.b.c"], new Uint8Array(3)]) throwsCode(() => v().verify(bad), "ERR_JWT_INVALID");
  });

  test('alg "none" is never accepted', () => {
    const t = `${b64u({ alg: "none", typ: "JWT" })}.${b64u({ sub: "a", exp: NOW + 60 })}.`;
    throwsCode(() => v().verify(t), "ERR_JOSE_ALG_NOT_ALLOWED");
    const t2 = `${b64u({ alg: "none" })}.${b64u({ sub: "a" })}.${b64u("sig")}`;
    throwsCode(() => v().verify(t2), "ERR_JOSE_ALG_NOT_ALLOWED");
    assert.throws(() => new Verifier(key, { algorithms: ["none"] }), TypeError);
  });

  test("alg outside the allowlist is ERR_JOSE_ALG_NOT_ALLOWED", () => {
    const t = hmacToken({ alg: "HS512" }, { exp: NOW + 60 }, SECRET, "sha512");
    throwsCode(() => v().verify(t), "ERR_JOSE_ALG_NOT_ALLOWED");
    assert.equal(v({ algorithms: ["HS512"] }).verify(t).payload.exp, NOW + 60);
    throwsCode(() => v().verify(hmacToken({ alg: "hs256" }, {})), "ERR_JOSE_ALG_NOT_ALLOWED");
  });

  test("header without alg or with a non-string alg", () => {
    throwsCode(() => v().verify(hmacToken({ typ: "JWT" }, { sub: "a" })), "ERR_JWS_INVALID");
    throwsCode(() => v().verify(hmacToken({ alg: 256 }, { sub: "a" })), "ERR_JWS_INVALID");
  });

  test("typ is compared as a media type when required", () => {
    const at = v({ typ: "at+jwt" });
    assert.ok(at.verify(goodToken({}, { typ: "at+jwt" })));
    assert.ok(at.verify(goodToken({}, { typ: "application/at+jwt" })));
    assert.ok(at.verify(goodToken({}, { typ: "AT+JWT" })));
    assert.ok(v({ typ: "application/at+jwt" }).verify(goodToken({}, { typ: "at+jwt" })));
    throwsCode(() => at.verify(goodToken({}, { typ: "JWT" })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "typ" });
    throwsCode(() => at.verify(hmacToken({ alg: "HS256" }, { exp: NOW + 60 })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "typ" });
    // not required: any typ passes
    assert.ok(v().verify(goodToken({}, { typ: "whatever" })));
  });
});

describe("claims", () => {
  test("expired: ERR_JWT_EXPIRED, claim exp, message in seconds", () => {
    const e = throwsCode(() => v().verify(goodToken({ exp: NOW - 120 })), "ERR_JWT_EXPIRED", { claim: "exp", reason: "check_failed" });
    assert.match(e.message, /\b120 ?(s|sec|secs|seconds?)\b.*ago/);
  });

  test("exp is exclusive: now == exp is expired", () => {
    throwsCode(() => v().verify(goodToken({ exp: NOW })), "ERR_JWT_EXPIRED");
    assert.ok(v().verify(goodToken({ exp: NOW + 1 })));
  });

  test("nbf in the future", () => {
    throwsCode(() => v().verify(goodToken({ nbf: NOW + 100 })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "nbf", reason: "check_failed" });
    assert.ok(v().verify(goodToken({ nbf: NOW })));
  });

  test("time claims must be numbers", () => {
    for (const c of ["exp", "nbf", "iat"]) {
      throwsCode(() => v().verify(goodToken({ [c]: String(NOW + 100) })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: c, reason: "invalid" });
    }
  });

  test("clockTolerance as number and as string", () => {
    const t = goodToken({ exp: NOW - 10, nbf: NOW + 10 });
    // nbf is checked before exp (as in jose), so the future nbf is what is reported.
    throwsCode(() => v().verify(t), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "nbf" });
    assert.ok(v({ clockTolerance: 30 }).verify(t));
    assert.ok(v({ clockTolerance: "30s" }).verify(t));
    throwsCode(() => v({ clockTolerance: "5s" }).verify(t), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "nbf" });
    throwsCode(() => v({ clockTolerance: "5s" }).verify(goodToken({ exp: NOW - 10 })), "ERR_JWT_EXPIRED", { claim: "exp" });
  });

  test("issuer, audience, subject mismatches carry claim and reason", () => {
    throwsCode(() => v({ issuer: "https://other" }).verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "iss", reason: "check_failed" });
    throwsCode(() => v({ audience: "other" }).verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "aud", reason: "check_failed" });
    throwsCode(() => v({ subject: "user-2" }).verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "sub", reason: "check_failed" });
    throwsCode(() => v({ issuer: "x" }).verify(goodToken({ iss: undefined })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "iss", reason: "missing" });
    throwsCode(() => v({ audience: "api" }).verify(goodToken({ aud: undefined })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "aud", reason: "missing" });
  });

  test("issuer and audience lists; aud as an array", () => {
    assert.ok(v({ issuer: ["a", "https://issuer.example"], audience: ["x", "api"] }).verify(goodToken()));
    assert.ok(v({ audience: "api" }).verify(goodToken({ aud: ["other", "api"] })));
    throwsCode(() => v({ audience: ["x", "y"] }).verify(goodToken({ aud: ["other", "api"] })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "aud" });
  });

  test("requiredClaims", () => {
    assert.ok(v({ requiredClaims: ["sub", "iat"] }).verify(goodToken()));
    throwsCode(() => v({ requiredClaims: ["sub", "email"] }).verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "email", reason: "missing" });
  });

  test("requiredScopes from a scope string or a scp array", () => {
    const o = v({ requiredScopes: ["read", "write"] });
    assert.ok(o.verify(goodToken({ scope: "read write admin" })));
    assert.ok(o.verify(goodToken({ scp: ["write", "read"] })));
    const e1 = throwsCode(() => o.verify(goodToken({ scope: "read" })), "ERR_JWT_CLAIM_VALIDATION_FAILED");
    assert.equal(typeof e1.claim, "string");
    throwsCode(() => o.verify(goodToken({ scope: "readwrite" })), "ERR_JWT_CLAIM_VALIDATION_FAILED");
    throwsCode(() => o.verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED");
  });

  test("requiredRoles", () => {
    const o = v({ requiredRoles: ["admin"] });
    assert.ok(o.verify(goodToken({ roles: ["user", "admin"] })));
    throwsCode(() => o.verify(goodToken({ roles: ["user"] })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "roles", reason: "check_failed" });
    throwsCode(() => o.verify(goodToken()), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "roles" });
  });

  test("claims: exact matches, no type coercion", () => {
    const o = v({ claims: { tenant: "acme", level: 2, staff: true } });
    assert.ok(o.verify(goodToken({ tenant: "acme", level: 2, staff: true })));
    throwsCode(() => o.verify(goodToken({ tenant: "evil", level: 2, staff: true })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "tenant", reason: "check_failed" });
    throwsCode(() => o.verify(goodToken({ tenant: "acme", level: "2", staff: true })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "level" });
    throwsCode(() => o.verify(goodToken({ tenant: "acme", level: 2, staff: "true" })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "staff" });
    throwsCode(() => o.verify(goodToken({ level: 2, staff: true })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "tenant", reason: "missing" });
  });

  test("maxTokenAge needs iat and bounds the token's age", () => {
    assert.ok(v({ maxTokenAge: "1h" }).verify(goodToken({ iat: NOW - 1800 })));
    throwsCode(() => v({ maxTokenAge: "1h" }).verify(goodToken({ iat: NOW - 7200 })), "ERR_JWT_EXPIRED", { claim: "iat" });
    throwsCode(() => v({ maxTokenAge: 3600 }).verify(goodToken({ iat: undefined })), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "iat", reason: "missing" });
  });

  test("currentDate as a Date and as epoch seconds", () => {
    const t = goodToken({ exp: NOW + 100 });
    assert.ok(new Verifier(key, { algorithms: ["HS256"], currentDate: new Date((NOW + 50) * 1000) }).verify(t));
    throwsCode(() => new Verifier(key, { algorithms: ["HS256"], currentDate: new Date((NOW + 150) * 1000) }).verify(t), "ERR_JWT_EXPIRED");
    throwsCode(() => new Verifier(key, { algorithms: ["HS256"], currentDate: NOW + 100.5 }).verify(t), "ERR_JWT_EXPIRED");
    // without currentDate the wall clock is used: NOW (2023) + 100 s is long past
    throwsCode(() => new Verifier(key, { algorithms: ["HS256"] }).verify(t), "ERR_JWT_EXPIRED");
  });

  test("checkClaims runs the claim checks alone", () => {
    const p = { iss: "i", aud: ["a", "b"], sub: "s", exp: NOW + 10, scope: "x y", roles: ["r"], tenant: "t" };
    checkClaims(p, { issuer: "i", audience: "b", subject: "s", requiredScopes: ["y"], requiredRoles: ["r"], claims: { tenant: "t" }, currentDate: NOW });
    throwsCode(() => checkClaims(p, { currentDate: NOW + 10 }), "ERR_JWT_EXPIRED", { claim: "exp" });
    throwsCode(() => checkClaims(p, { currentDate: new Date((NOW + 60) * 1000), clockTolerance: "30s" }), "ERR_JWT_EXPIRED");
    checkClaims(p, { currentDate: new Date((NOW + 20) * 1000), clockTolerance: "30s" });
    throwsCode(() => checkClaims(p, { issuer: "j", currentDate: NOW }), "ERR_JWT_CLAIM_VALIDATION_FAILED", { claim: "iss", reason: "check_failed" });
    assert.throws(() => checkClaims(p, { algorithms: ["HS256"] }), TypeError);
    assert.throws(() => checkClaims("not an object", {}), TypeError);
  });
});

describe("options are validated before any token is seen", () => {
  test("algorithms is required and non-empty", () => {
    assert.throws(() => new Verifier(key), TypeError);
    assert.throws(() => new Verifier(key, {}), TypeError);
    assert.throws(() => new Verifier(key, { algorithms: [] }), TypeError);
    assert.throws(() => new Verifier(key, { algorithms: "HS256" }), TypeError);
    assert.throws(() => new Verifier(key, { algorithms: ["HS257"] }), TypeError);
    assert.throws(() => verify(goodToken(), key, undefined), TypeError);
  });

  test("misuse is a TypeError with code ERR_INVALID_ARG_VALUE, whether JS or the core catches it", () => {
    const misuse = (e) => e instanceof TypeError && !(e instanceof JwtError) && e.code === "ERR_INVALID_ARG_VALUE";
    assert.throws(() => new Verifier(key, { algorithms: ["HS256"], audiance: "api" }), misuse); // caught in JS
    assert.throws(() => new Verifier(key, { algorithms: ["HS256"], clockTolerance: "soon" }), misuse); // caught by the core
    assert.throws(() => new Signer(Key.fromSecret(SECRET), { alg: "HS256" }).sign({ exp: 1 }), misuse); // core: exp is the Signer's
  });

  test("a secret too short for every allowed HMAC algorithm fails when the Verifier is built", () => {
    throwsCode(() => new Verifier(Key.fromSecret("only-16-bytes!!!"), { algorithms: ["HS256"] }), "ERR_JWK_INVALID");
  });

  test("an unknown option is a TypeError naming it", () => {
    assert.throws(() => new Verifier(key, { algorithms: ["HS256"], audiance: "api" }), (e) => e instanceof TypeError && /audiance/.test(e.message));
    assert.throws(() => new Verifier(key, { algorithms: ["HS256"], isser: "x" }), (e) => e instanceof TypeError && /isser/.test(e.message));
    assert.throws(() => checkClaims({}, { maxAge: 5 }), (e) => e instanceof TypeError && /maxAge/.test(e.message));
  });

  test("options of the wrong type are TypeErrors", () => {
    const bad = [
      { issuer: 1 }, { audience: [1] }, { subject: ["s"] }, { clockTolerance: -1 }, { clockTolerance: {} },
      { requiredClaims: "sub" }, { requiredScopes: [1] }, { claims: { a: {} } }, { claims: { a: null } },
      { currentDate: "2024-01-01" }, { currentDate: new Date(NaN) }, { typ: 1 },
    ];
    for (const o of bad) assert.throws(() => new Verifier(key, { algorithms: ["HS256"], ...o }), TypeError, JSON.stringify(o));
    assert.throws(() => new Verifier(key, null), TypeError);
  });

  test("malformed durations are refused at construction", () => {
    for (const d of ["soon", "5 parsecs", ""]) {
      assert.throws(() => new Verifier(key, { algorithms: ["HS256"], clockTolerance: d }), (e) => e instanceof TypeError || e instanceof JwtError);
    }
  });

  test("keys must be a Key, KeySet, JWK or JWKS", () => {
    for (const k of [undefined, null, "secret", 5, {}, [], new Uint8Array(32)]) assert.throws(() => new Verifier(k, base), TypeError);
  });
});

describe("key selection", () => {
  const a = Key.fromSecret("secret-a-secret-a-secret-a-secret-a", { kid: "a" });
  const b = Key.fromSecret("secret-b-secret-b-secret-b-secret-b", { kid: "b" });
  const set = KeySet.of([a, b]);
  const tok = (secret, kid) => hmacToken(kid === undefined ? { alg: "HS256" } : { alg: "HS256", kid }, { exp: NOW + 60 }, secret);

  test("kid picks the key", () => {
    const ver = new Verifier(set, base);
    assert.equal(ver.verify(tok("secret-a-secret-a-secret-a-secret-a", "a")).header.kid, "a");
    assert.equal(ver.verify(tok("secret-b-secret-b-secret-b-secret-b", "b")).header.kid, "b");
    throwsCode(() => ver.verify(tok("secret-a-secret-a-secret-a-secret-a", "b")), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
    throwsCode(() => ver.verify(tok("secret-a-secret-a-secret-a-secret-a", "c")), "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("without kid, several fitting keys is ERR_JWKS_MULTIPLE_MATCHING_KEYS", () => {
    throwsCode(() => new Verifier(set, base).verify(tok("secret-a-secret-a-secret-a-secret-a")), "ERR_JWKS_MULTIPLE_MATCHING_KEYS");
  });

  test("without kid, exactly one fitting key is used", () => {
    const rsa = Key.fromPem(crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }));
    const ver = new Verifier(KeySet.of([a, rsa]), { algorithms: ["HS256", "RS256"], currentDate: NOW });
    assert.ok(ver.verify(tok("secret-a-secret-a-secret-a-secret-a")));
  });

  test("a key bound to another alg does not fit", () => {
    const hs512 = Key.fromSecret(SECRET, { alg: "HS512" });
    assert.equal(hs512.alg, "HS512");
    throwsCode(() => new Verifier(hs512, { algorithms: ["HS256", "HS512"], currentDate: NOW }).verify(goodToken()), "ERR_JWKS_NO_MATCHING_KEY");
    const t512 = hmacToken({ alg: "HS512" }, { exp: NOW + 60 }, SECRET, "sha512");
    assert.ok(new Verifier(hs512, { algorithms: ["HS512"], currentDate: NOW }).verify(t512));
  });

  test("one key given alone without a kid verifies whatever kid the token carries (as jose does)", () => {
    const secret = "secret-a-secret-a-secret-a-secret-a";
    const withKid = tok(secret, "rotated-2026");
    assert.equal(new Verifier(Key.fromSecret(secret), base).verify(withKid).header.kid, "rotated-2026");
    const pair = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const esInput = `${b64u({ alg: "ES256", kid: "provider-kid" })}.${b64u({ sub: "u", exp: NOW + 60 })}`;
    const esSig = crypto.sign("sha256", Buffer.from(esInput), { key: pair.privateKey, dsaEncoding: "ieee-p1363" });
    const esTok = `${esInput}.${esSig.toString("base64url")}`;
    const esOpts = { algorithms: ["ES256"], currentDate: NOW };
    assert.equal(new Verifier(Key.fromPem(pair.publicKey.export({ type: "spki", format: "pem" })), esOpts).verify(esTok).payload.sub, "u");
    assert.equal(new Verifier(pair.publicKey.export({ format: "jwk" }), esOpts).verify(esTok).payload.sub, "u");
    // A set, even of one key, and a JWKS still need the kid to match.
    throwsCode(() => new Verifier(KeySet.of([Key.fromSecret(secret)]), base).verify(withKid), "ERR_JWKS_NO_MATCHING_KEY");
    throwsCode(() => new Verifier({ keys: [pair.publicKey.export({ format: "jwk" })] }, esOpts).verify(esTok), "ERR_JWKS_NO_MATCHING_KEY");
    // A key alone with its own kid must match it, and the message names no set.
    const e = throwsCode(() => new Verifier(a, base).verify(tok(secret, "x")), "ERR_JWKS_NO_MATCHING_KEY");
    assert.equal(e.message, 'the token\'s kid "x" is not this key\'s kid "a"');
    assert.ok(new Verifier(a, base).verify(tok(secret, "a")));
    // The alg binding still applies.
    throwsCode(() => new Verifier(Key.fromSecret(SECRET, { alg: "HS512" }), { algorithms: ["HS256", "HS512"], currentDate: NOW }).verify(goodToken({}, { kid: "k" })), "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("a key of the wrong type says what it is and what it can verify", () => {
    const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const input = `${b64u({ alg: "ES256" })}.${b64u({ exp: NOW + 60 })}`;
    const sig = crypto.sign("sha256", Buffer.from(input), { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
    const esTok = `${input}.${sig.toString("base64url")}`;
    const rsa = Key.fromPem(crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }));
    const opts = { algorithms: ["ES256"], currentDate: NOW };
    const e = throwsCode(() => new Verifier(rsa, opts).verify(esTok), "ERR_JWKS_NO_MATCHING_KEY");
    assert.equal(e.message, "the key is an RSA key, which cannot verify ES256 (it can verify RS256, RS384, RS512, PS256, PS384, PS512); check options.algorithms or the key");
    const s = throwsCode(() => new Verifier(KeySet.of([rsa, rsa]), opts).verify(esTok), "ERR_JWKS_NO_MATCHING_KEY");
    assert.equal(s.message, "no key in the set matches alg ES256: the set has 2 keys (2 RSA), none of which can verify ES256; check options.algorithms or the keys");
  });

  test("an empty key set matches nothing", () => {
    throwsCode(() => new Verifier(KeySet.of([]), base).verify(goodToken()), "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("a KeySet can back several verifiers and stays usable", () => {
    const v1 = new Verifier(set, base);
    const v2 = new Verifier(set, base);
    assert.ok(v1.verify(tok("secret-a-secret-a-secret-a-secret-a", "a")));
    assert.ok(v2.verify(tok("secret-b-secret-b-secret-b-secret-b", "b")));
    assert.equal(set.size, 2);
  });

  test("header jwk / jku / x5u / x5c never supply a key", () => {
    const attacker = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = attacker.publicKey.export({ format: "jwk" });
    const header = { alg: "ES256", jwk, jku: "https://evil.example/jwks", x5u: "https://evil.example/x5u" };
    const input = `${b64u(header)}.${b64u({ sub: "admin", exp: NOW + 60 })}`;
    const sig = crypto.sign("sha256", Buffer.from(input), { key: attacker.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url");
    throwsCode(() => new Verifier(key, { algorithms: ["ES256", "HS256"], currentDate: NOW }).verify(`${input}.${sig}`), "ERR_JWKS_NO_MATCHING_KEY");
  });
});

test("no error message or stack contains the token's signature", () => {
  // Each token fails at a different stage; none may echo its signature.
  const failing = [
    [hmacToken({ alg: "HS256", kid: "k1" }, { exp: NOW + 60 }, "not-the-secret"), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"],
    [goodToken({ exp: NOW - 60 }, { kid: "k1" }), "ERR_JWT_EXPIRED"],
    [goodToken({ aud: "other" }, { kid: "k1" }), "ERR_JWT_CLAIM_VALIDATION_FAILED"],
    [hmacToken({ alg: "HS512", kid: "k1" }, { exp: NOW + 60 }, SECRET, "sha512"), "ERR_JOSE_ALG_NOT_ALLOWED"],
    [hmacToken({ alg: "HS256", kid: "unknown" }, {}), "ERR_JWKS_NO_MATCHING_KEY"],
    [hmacToken({ alg: "HS256", kid: "k1", crit: ["x"], x: 1 }, {}), "ERR_JOSE_NOT_SUPPORTED"],
  ];
  const verifier = new Verifier(KeySet.of([Key.fromSecret(SECRET, { kid: "k1" })]), { algorithms: ["HS256"], audience: "api", currentDate: NOW });
  for (const [token, code] of failing) {
    const sig = token.split(".")[2];
    const e = throwsCode(() => verifier.verify(token), code);
    for (const text of [e.message, String(e.stack)]) {
      assert.ok(!text.includes(sig.slice(0, 12)), `${code} leaked the signature: ${text.slice(0, 160)}`);
    }
  }
  // A signature that is not base64url is not echoed either.
  const [h, p] = goodToken({}, { kid: "k1" }).split(".");
  const e = throwsCode(() => verifier.verify(`${h}.${p}.not*base64url*at*all`), "ERR_JWS_INVALID");
  assert.ok(!e.message.includes("not*base64url"));
});
