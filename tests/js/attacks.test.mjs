// Attack classes that depend on the JS layer: what arguments of the wrong type do, public keys
// handed to Key.fromSecret in every form (string, bytes, JWK text) and key sources of the wrong
// kind, the allowlist as the JS API takes it, lone surrogates (which JS strings can hold and
// UTF-8 cannot), prototype pollution of option objects, and oversized input, which must be
// refused before it is copied into wasm memory (that memory never shrinks). The token-level
// classes are tested natively in tests/attacks.rs; keys.test.mjs has the basic PEM confusion.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";

const { jwtward, wasmMemoryBytes } = await import("./observe-wasm.mjs");
const { Key, KeySet, Verifier, Signer, verify, decode, decodeHeader } = jwtward;
const { b64u, hmacToken, throwsCode, NOW, SECRET } = await import("./helpers.mjs");

const ARG = "ERR_INVALID_ARG_VALUE";
const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = crypto.generateKeyPairSync("ed25519");
const keyPairs = [
  ["RS256", rsa],
  ["ES256", ec],
  ["EdDSA", ed],
];

function signWith(alg, privateKey, payload = { sub: "admin", exp: NOW + 60 }) {
  const input = `${b64u({ alg })}.${b64u(payload)}`;
  const [hash, opts] = alg === "EdDSA" ? [null, {}] : ["sha256", alg === "ES256" ? { dsaEncoding: "ieee-p1363" } : {}];
  return `${input}.${crypto.sign(hash, Buffer.from(input), { key: privateKey, ...opts }).toString("base64url")}`;
}

/** A public key in every form it is published in, as strings or bytes a caller could pass on. */
function publicForms(publicKey) {
  const spki = publicKey.export({ type: "spki", format: "pem" });
  const jwk = publicKey.export({ format: "jwk" });
  const forms = {
    "PEM SPKI": spki,
    "PEM after a space": ` ${spki}`,
    "PEM after a tab": `\t${spki}`,
    "PEM after a BOM": `\uFEFF${spki}`,
    "PEM after a no-break space": `\u00A0${spki}`,
    "PEM after a label line": `public key:\n${spki}`,
    "PEM, CRLF": spki.replace(/\n/g, "\r\n"),
    "DER SPKI bytes": new Uint8Array(publicKey.export({ type: "spki", format: "der" })),
    "JWK JSON": JSON.stringify(jwk),
    "JWK JSON, pretty": JSON.stringify(jwk, null, 2),
    "JWKS JSON": JSON.stringify({ keys: [jwk] }),
  };
  if (publicKey.asymmetricKeyType === "rsa") {
    forms["PEM PKCS#1"] = publicKey.export({ type: "pkcs1", format: "pem" });
    forms["DER PKCS#1 bytes"] = new Uint8Array(publicKey.export({ type: "pkcs1", format: "der" }));
  }
  return forms;
}

const secretBytes = (form) => (typeof form === "string" ? Buffer.from(form, "utf8") : Buffer.from(form));

// CVE-2016-10555 (jwt-simple), CVE-2015-9235 / CVE-2022-23541 (node-jsonwebtoken),
// CVE-2023-48223 and GHSA-mvf2-f6gm-w987, GHSA-g3jj-5cmm-3hxx (fast-jwt): a public key read as
// an HMAC secret lets anyone sign.
test("Key.fromSecret refuses a public key in every form, as a string, as bytes and as an oct JWK", () => {
  let checked = 0;
  for (const [alg, pair] of keyPairs) {
    for (const [form, value] of Object.entries(publicForms(pair.publicKey))) {
      throwsCode(() => Key.fromSecret(value), "ERR_JWK_INVALID");
      if (typeof value === "string") throwsCode(() => Key.fromSecret(new TextEncoder().encode(value)), "ERR_JWK_INVALID");
      throwsCode(() => Key.fromSecret(value, { alg: "HS256" }), "ERR_JWK_INVALID");
      throwsCode(() => Key.fromJwk({ kty: "oct", k: secretBytes(value).toString("base64url") }), "ERR_JWK_INVALID");
      checked++;
    }
  }
  assert.equal(checked, 3 * 11 + 2);
});

test("an HS256 token MACed with the public key fails against every way of passing that key", () => {
  for (const [alg, pair] of keyPairs) {
    const jwk = pair.publicKey.export({ format: "jwk" });
    const sources = {
      Key: Key.fromPem(pair.publicKey.export({ type: "spki", format: "pem" })),
      "JWK object": jwk,
      "JWKS object": { keys: [jwk] },
      KeySet: KeySet.fromJwks({ keys: [{ ...jwk, kid: "k1" }] }),
    };
    const real = signWith(alg, pair.privateKey);
    for (const [form, value] of Object.entries(publicForms(pair.publicKey))) {
      const forged = hmacToken({ alg: "HS256" }, { sub: "admin", exp: NOW + 60 }, secretBytes(value));
      const forgedKid = hmacToken({ alg: "HS256", kid: "k1" }, { sub: "admin", exp: NOW + 60 }, secretBytes(value));
      for (const [how, keys] of Object.entries(sources)) {
        const both = new Verifier(keys, { algorithms: ["HS256", alg], currentDate: NOW });
        throwsCode(() => both.verify(forged), "ERR_JWKS_NO_MATCHING_KEY");
        throwsCode(() => both.verify(forgedKid), "ERR_JWKS_NO_MATCHING_KEY");
        throwsCode(() => verify(forged, keys, { algorithms: [alg], currentDate: NOW }), "ERR_JOSE_ALG_NOT_ALLOWED");
        assert.equal(both.verify(real).payload.sub, "admin", `${alg} via ${how}: the real token verifies`);
      }
    }
  }
});

test("a key given as a string, Buffer or KeyObject is a TypeError, never taken for a secret", () => {
  const spki = rsa.publicKey.export({ type: "spki", format: "pem" });
  const forged = hmacToken({ alg: "HS256" }, { sub: "admin" }, spki);
  const notKeys = [spki, Buffer.from(spki), new Uint8Array(8), rsa.publicKey, SECRET, null, undefined, 0, [], [rsa.publicKey.export({ format: "jwk" })], { kty: 1 }, { keys: "x" }];
  for (const keys of notKeys) {
    assert.throws(() => new Verifier(keys, { algorithms: ["HS256"] }), (e) => e instanceof TypeError && e.code === ARG, String(keys).slice(0, 30));
    assert.throws(() => verify(forged, keys, { algorithms: ["HS256"] }), (e) => e instanceof TypeError && e.code === ARG);
  }
});

test("a token that is not a string is refused as a token, whatever it converts to", () => {
  const good = hmacToken({ alg: "HS256" }, { sub: "admin" });
  const v = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"] });
  assert.equal(v.verify(good).payload.sub, "admin");
  const impostors = [new String(good), Buffer.from(good), { toString: () => good }, { valueOf: () => good }, [good], null, undefined, 1, true, Symbol("t"), () => good, new URL(`https://x/${good}`)];
  for (const t of impostors) {
    throwsCode(() => v.verify(t), "ERR_JWT_INVALID");
    throwsCode(() => decode(t), "ERR_JWT_INVALID");
    throwsCode(() => decodeHeader(t), "ERR_JWT_INVALID");
  }
});

// CVE-2015-9235, CVE-2022-23540 (node-jsonwebtoken: no algorithms meant "trust the header").
test("the allowlist is required, cannot name none, and none tokens fail with every algorithm allowed", () => {
  const k = Key.fromSecret(SECRET);
  for (const algorithms of [undefined, null, "HS256", [], ["none"], ["None"], ["NONE"], ["HS256", "none"], [null], ["hs256"], [{ toString: () => "HS256" }]]) {
    assert.throws(() => new Verifier(k, { algorithms }), (e) => e instanceof TypeError && e.code === ARG, JSON.stringify(algorithms));
  }
  assert.throws(() => new Verifier(k), (e) => e instanceof TypeError && e.code === ARG);
  assert.throws(() => new Verifier(k, {}), (e) => e instanceof TypeError && e.code === ARG);
  const all = new Verifier(k, { algorithms: ["HS256", "HS384", "HS512"] });
  for (const alg of ["none", "None", "NONE", "nOnE", "none ", ""]) {
    for (const sig of ["", "c2ln"]) throwsCode(() => all.verify(`${b64u({ alg })}.${b64u({ sub: "admin" })}.${sig}`), "ERR_JOSE_ALG_NOT_ALLOWED");
  }
});

// RFC 8259 8.2 / RFC 7493 2.1: a lone surrogate has no UTF-8 form. JSON.stringify escapes it,
// the core refuses the escape: an option is never silently turned into U+FFFD.
test("lone surrogates in options are refused, not replaced", () => {
  const k = Key.fromSecret(SECRET);
  for (const o of [{ issuer: "\uD800" }, { audience: ["api", "\uDC00"] }, { subject: "a\uD800b" }, { claims: { tenant: "\uDFFF" } }, { requiredClaims: ["\uD800"] }]) {
    assert.throws(() => new Verifier(k, { algorithms: ["HS256"], ...o }), (e) => e instanceof TypeError && e.code === ARG, JSON.stringify(o));
  }
  // The token itself is base64url: a surrogate in it fails as an encoding error.
  const good = hmacToken({ alg: "HS256" }, {});
  throwsCode(() => new Verifier(k, { algorithms: ["HS256"] }).verify(`${good}\uD800`), "ERR_JWS_INVALID");
});

// Prototype pollution (e.g. through a vulnerable deep-merge elsewhere in the application) must
// not change what a Verifier or Signer checks: options are read from their own properties only.
test("polluted Object.prototype does not reach options", () => {
  const expired = hmacToken({ alg: "HS256" }, { sub: "admin", exp: NOW - 60, iat: NOW - 120 });
  const polluted = { currentDate: NOW - 3600, clockTolerance: 1e9, maxTokenAge: undefined, algorithms: ["HS256"], audience: "x", issuer: "x", maxTokenSize: 1, alg: "HS384", kid: "evil", expiresIn: "100y" };
  for (const [name, value] of Object.entries(polluted)) Object.prototype[name] = value;
  try {
    const v = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"], currentDate: NOW });
    throwsCode(() => v.verify(expired), "ERR_JWT_EXPIRED");
    const defaults = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"] });
    throwsCode(() => defaults.verify(expired), "ERR_JWT_EXPIRED");
    const key = Key.fromSecret(SECRET);
    assert.deepEqual([key.alg, key.kid], [undefined, undefined]);
    const token = new Signer(key, { alg: "HS256" }).sign({ sub: "a" });
    const { payload } = decode(token);
    assert.equal(payload.exp - payload.iat, 900, "default lifetime, not the polluted one");
    assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60, "the wall clock, not the polluted currentDate");
  } finally {
    for (const name of Object.keys(polluted)) delete Object.prototype[name];
  }
});

const MiB = 1024 * 1024;

test("oversized input is refused before it is copied into wasm memory", () => {
  const v = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"] });
  v.verify(hmacToken({ alg: "HS256" }, {})); // warm up
  const before = wasmMemoryBytes();
  const huge = "a".repeat(64 * MiB);
  throwsCode(() => v.verify(huge), "ERR_JWT_INVALID");
  throwsCode(() => verify(huge, Key.fromSecret(SECRET), { algorithms: ["HS256"] }), "ERR_JWT_INVALID");
  throwsCode(() => decode(huge), "ERR_JWT_INVALID");
  throwsCode(() => decodeHeader(huge), "ERR_JWT_INVALID");
  throwsCode(() => v.verify("\u00e9".repeat(16 * MiB)), "ERR_JWT_INVALID");
  const small = new Verifier(Key.fromSecret(SECRET), { algorithms: ["HS256"], maxTokenSize: 100 });
  throwsCode(() => small.verify(hmacToken({ alg: "HS256" }, { pad: "x".repeat(200) })), "ERR_JWT_INVALID");
  throwsCode(() => KeySet.fromJwks({ keys: [{ kty: "oct", k: "A".repeat(16 * MiB) }] }), "ERR_JWKS_INVALID");
  throwsCode(() => new Verifier({ keys: [{ kty: "oct", k: "A".repeat(16 * MiB) }] }, { algorithms: ["HS256"] }), "ERR_JWKS_INVALID");
  const grown = (wasmMemoryBytes() - before) / MiB;
  assert.ok(grown < 1, `wasm memory grew by ${grown.toFixed(1)} MiB for input that was refused for its size`);
  // The JS check and the core agree on the limit: 16384 bytes verify, 16385 do not.
  const ofLength = (len) => {
    for (let pad = 12_300; pad > 0; pad--) {
      for (const typ of ["", "J", "JW"]) {
        const t = hmacToken({ alg: "HS256", typ }, { pad: "x".repeat(pad) });
        if (t.length === len) return t;
      }
    }
    throw new Error(`no token of ${len} bytes`);
  };
  assert.equal(v.verify(ofLength(16_384)).payload.pad.length > 12_000, true);
  throwsCode(() => v.verify(ofLength(16_385)), "ERR_JWT_INVALID");
});
