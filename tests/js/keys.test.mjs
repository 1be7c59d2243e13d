// Keys in every accepted form (secret string/bytes, PEM in each encoding, JWK, JWKS), algorithm
// confusion defences, and the promise that secret material never leaks into messages or inspection.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import util from "node:util";
import { Key, KeySet, Verifier, Signer, JwtError, decode } from "jwtward";
import { b64u, hmacToken, throwsCode, NOW, SECRET } from "./helpers.mjs";

const rsa = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
const ed = crypto.generateKeyPairSync("ed25519");
const pem = (k, type) => k.export({ type, format: "pem" });

function nodeSign(alg, privateKey) {
  const input = `${b64u({ alg, typ: "JWT" })}.${b64u({ sub: "s", exp: NOW + 60 })}`;
  const opts = alg === "EdDSA" ? [null, { key: privateKey }] : alg === "ES256" ? ["sha256", { key: privateKey, dsaEncoding: "ieee-p1363" }] : ["sha256", { key: privateKey }];
  return `${input}.${crypto.sign(opts[0], Buffer.from(input), opts[1]).toString("base64url")}`;
}
const ok = (k, alg, t) => new Verifier(k, { algorithms: [alg], currentDate: NOW }).verify(t);

test("secret as a string is its UTF-8 bytes", () => {
  const s = "pässwörd-ünïcödé-secret-of-some-length-🔑";
  const t = hmacToken({ alg: "HS256" }, { exp: NOW + 60 }, Buffer.from(s, "utf8"));
  assert.ok(ok(Key.fromSecret(s), "HS256", t));
  assert.ok(ok(Key.fromSecret(new TextEncoder().encode(s)), "HS256", t));
  assert.ok(ok(Key.fromSecret(Buffer.from(s, "utf8")), "HS256", t));
  const k = Key.fromSecret(s, { alg: "HS256", kid: "h1" });
  assert.deepEqual([k.kty, k.alg, k.kid, k.isPrivate], ["oct", "HS256", "h1", true]);
  assert.equal(Key.fromSecret(s).alg, undefined);
  assert.equal(Key.fromSecret(s).kid, undefined);
});

test("PEM: SPKI, PKCS#1 public; PKCS#8, SEC1, PKCS#1 private", () => {
  const rt = nodeSign("RS256", rsa.privateKey);
  for (const p of [pem(rsa.publicKey, "spki"), pem(rsa.publicKey, "pkcs1")]) {
    const k = Key.fromPem(p);
    assert.deepEqual([k.kty, k.isPrivate], ["RSA", false]);
    assert.ok(ok(k, "RS256", rt));
  }
  for (const p of [pem(rsa.privateKey, "pkcs8"), pem(rsa.privateKey, "pkcs1")]) {
    const k = Key.fromPem(p, { alg: "RS256", kid: "r" });
    assert.deepEqual([k.kty, k.isPrivate, k.alg, k.kid], ["RSA", true, "RS256", "r"]);
    // a private key verifies too, and signs
    assert.ok(ok(k, "RS256", new Signer(k, { alg: "RS256" }).sign({})));
  }
  const et = nodeSign("ES256", ec.privateKey);
  assert.ok(ok(Key.fromPem(pem(ec.publicKey, "spki")), "ES256", et));
  for (const p of [pem(ec.privateKey, "pkcs8"), pem(ec.privateKey, "sec1")]) {
    const k = Key.fromPem(p);
    assert.deepEqual([k.kty, k.isPrivate], ["EC", true]);
    assert.ok(ok(Key.fromPem(pem(ec.publicKey, "spki")), "ES256", new Signer(k, { alg: "ES256" }).sign({})));
  }
  const dt = nodeSign("EdDSA", ed.privateKey);
  assert.ok(ok(Key.fromPem(pem(ed.publicKey, "spki")), "EdDSA", dt));
  assert.equal(Key.fromPem(pem(ed.privateKey, "pkcs8")).kty, "OKP");
});

test("PEM with CRLF line endings and a trailing newline", () => {
  const p = pem(ec.publicKey, "spki").replace(/\n/g, "\r\n") + "\n";
  assert.ok(ok(Key.fromPem(p), "ES256", nodeSign("ES256", ec.privateKey)));
});

test("bad PEMs are JwtErrors", () => {
  const good = pem(ec.publicKey, "spki");
  for (const p of ["", "hello", good.replace("PUBLIC KEY", "CERTIFICATE"), good.slice(0, 60), good.replace(/\n.{4}/, "\n!!!!"), "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----"]) {
    throwsCode(() => Key.fromPem(p), "ERR_JWK_INVALID");
  }
  const dsa = crypto.generateKeyPairSync("x25519");
  throwsCode(() => Key.fromPem(pem(dsa.publicKey, "spki")), "ERR_JOSE_NOT_SUPPORTED");
});

test("JWK and JWKS round trips; public export only", () => {
  const jwk = rsa.publicKey.export({ format: "jwk" });
  const k = Key.fromJwk({ ...jwk, kid: "r1", alg: "RS256", use: "sig" });
  assert.deepEqual([k.kty, k.kid, k.alg, k.isPrivate], ["RSA", "r1", "RS256", false]);
  const pub = k.toPublicJwk();
  assert.equal(pub.n, jwk.n);
  assert.equal(pub.e, jwk.e);
  assert.equal(pub.kid, "r1");
  const priv = Key.fromJwk({ ...ec.privateKey.export({ format: "jwk" }), kid: "e1" });
  assert.equal(priv.isPrivate, true);
  assert.equal(priv.toPublicJwk().d, undefined);
  assert.ok(ok(Key.fromJwk(ec.publicKey.export({ format: "jwk" })), "ES256", nodeSign("ES256", ec.privateKey)));
  // Verifier accepts a JWK or a JWKS object directly
  assert.ok(ok(ec.publicKey.export({ format: "jwk" }), "ES256", nodeSign("ES256", ec.privateKey)));
  assert.ok(ok({ keys: [ec.publicKey.export({ format: "jwk" })] }, "ES256", nodeSign("ES256", ec.privateKey)));

  const oct = Key.fromJwk({ kty: "oct", k: Buffer.from(SECRET).toString("base64url"), kid: "o" });
  assert.deepEqual([oct.kty, oct.isPrivate], ["oct", true]);
  assert.ok(ok(oct, "HS256", hmacToken({ alg: "HS256" }, { exp: NOW + 60 })));
  throwsCode(() => oct.toPublicJwk(), "ERR_JOSE_NOT_SUPPORTED");

  const set = KeySet.fromJwks({ keys: [{ ...jwk, kid: "r1" }, { ...ec.publicKey.export({ format: "jwk" }), kid: "e1" }, { ...ed.publicKey.export({ format: "jwk" }), kid: "d1" }] });
  assert.equal(set.size, 3);
  const out = set.toJwks();
  assert.deepEqual(out.keys.map((x) => x.kid).sort(), ["d1", "e1", "r1"]);
  for (const x of out.keys) assert.equal(x.d, undefined);
  assert.equal(KeySet.fromJwks(out).size, 3);
});

test("toJwks never exports secrets or private parts", () => {
  const set = KeySet.of([Key.fromSecret(SECRET, { kid: "s" }), Key.fromPem(pem(ec.privateKey, "pkcs8"), { kid: "e" })]);
  assert.equal(set.size, 2);
  const text = JSON.stringify(set.toJwks());
  assert.ok(!text.includes(Buffer.from(SECRET).toString("base64url")));
  assert.ok(!text.includes('"d"'));
  assert.ok(!text.includes('"k"'));
});

test("JWKS: unsupported keys are skipped, malformed JWKS throws ERR_JWKS_INVALID", () => {
  const good = { ...ec.publicKey.export({ format: "jwk" }), kid: "e" };
  const set = KeySet.fromJwks({ keys: [good, { kty: "EC", crv: "secp256k1", x: good.x, y: good.y }, { kty: "X448" }] });
  assert.equal(set.size, 1);
  for (const bad of [null, "{}", [], {}, { keys: "x" }, { keys: {} }, 7]) throwsCode(() => KeySet.fromJwks(bad), "ERR_JWKS_INVALID");
});

test("bad JWKs are JwtErrors", () => {
  const g = ec.publicKey.export({ format: "jwk" });
  for (const bad of [{}, { kty: "RSA" }, { kty: "EC", crv: "P-256", x: g.x }, { ...g, x: "!!" }, { ...g, x: g.y }, { kty: "oct" }, { kty: "oct", k: 5 }, { kty: "RSA", n: "AQAB", e: "" }]) {
    throwsCode(() => Key.fromJwk(bad), "ERR_JWK_INVALID");
  }
  throwsCode(() => Key.fromJwk({ kty: "EC", crv: "P-192", x: g.x, y: g.y }), "ERR_JOSE_NOT_SUPPORTED");
  for (const bad of [null, "jwk", 5, [g]]) assert.throws(() => Key.fromJwk(bad), TypeError);
});

test("argument types are checked", () => {
  for (const bad of [undefined, null, 5, {}, [1, 2], new ArrayBuffer(8)]) assert.throws(() => Key.fromSecret(bad), TypeError);
  assert.throws(() => Key.fromPem(Buffer.from(pem(ec.publicKey, "spki"))), TypeError);
  assert.throws(() => Key.fromSecret(SECRET, { alg: "HS999" }), TypeError);
  assert.throws(() => Key.fromSecret(SECRET, { algorithm: "HS256" }), TypeError);
  assert.throws(() => Key.fromSecret(SECRET, { kid: 5 }), TypeError);
  assert.throws(() => new Key(), TypeError);
  assert.throws(() => new KeySet(), TypeError);
  assert.throws(() => KeySet.of([{}]), TypeError);
  assert.throws(() => KeySet.of("k"), TypeError);
});

test("confusion: an RSA public key's PEM bytes used as an HMAC secret do not verify", () => {
  const publicPem = pem(rsa.publicKey, "spki");
  const forged = hmacToken({ alg: "HS256", typ: "JWT" }, { sub: "admin", exp: NOW + 60 }, publicPem);
  // The verifier holds the RSA public key and (carelessly) allows both families.
  const ver = new Verifier(Key.fromPem(publicPem), { algorithms: ["RS256", "HS256"], currentDate: NOW });
  throwsCode(() => ver.verify(forged), "ERR_JWKS_NO_MATCHING_KEY");
  const fromJwk = new Verifier(rsa.publicKey.export({ format: "jwk" }), { algorithms: ["RS256", "HS256"], currentDate: NOW });
  throwsCode(() => fromJwk.verify(forged), "ERR_JWKS_NO_MATCHING_KEY");
});

test("confusion: an RSA key never verifies HS256, an HMAC key never verifies RS256", () => {
  const rsaKey = Key.fromPem(pem(rsa.privateKey, "pkcs8"));
  throwsCode(() => new Verifier(rsaKey, { algorithms: ["HS256"], currentDate: NOW }).verify(hmacToken({ alg: "HS256" }, { exp: NOW + 60 })), "ERR_JWKS_NO_MATCHING_KEY");
  throwsCode(() => new Verifier(Key.fromSecret(SECRET), { algorithms: ["RS256"], currentDate: NOW }).verify(nodeSign("RS256", rsa.privateKey)), "ERR_JWKS_NO_MATCHING_KEY");
  // EC P-256 key cannot verify an ES384 token; Ed25519 key cannot verify ES256
  const es = nodeSign("ES256", ec.privateKey);
  const relabelled = `${b64u({ alg: "ES384" })}.${es.split(".")[1]}.${es.split(".")[2]}`;
  throwsCode(() => new Verifier(Key.fromPem(pem(ec.publicKey, "spki")), { algorithms: ["ES384"], currentDate: NOW }).verify(relabelled), "ERR_JWKS_NO_MATCHING_KEY");
  throwsCode(() => new Verifier(Key.fromPem(pem(ed.publicKey, "spki")), { algorithms: ["ES256"], currentDate: NOW }).verify(es), "ERR_JWKS_NO_MATCHING_KEY");
});

test("secret and private material never appears in messages or inspection", () => {
  const secret = "s3cr3t-VALUE-that-must-never-leak-0123456789";
  const k = Key.fromSecret(secret, { kid: "leak-test" });
  const privPem = pem(ec.privateKey, "pkcs8");
  const pk = Key.fromPem(privPem);
  const d = ec.privateKey.export({ format: "jwk" }).d;
  const needles = [secret, Buffer.from(secret).toString("base64url"), Buffer.from(secret).toString("hex"), d, privPem.split("\n")[1]];
  const shown = [String(k), util.inspect(k, { showHidden: true, depth: 10 }), JSON.stringify(k), String(pk), util.inspect(pk, { showHidden: true, depth: 10 }), JSON.stringify(pk)];
  const msgs = [];
  const collect = (fn) => {
    try {
      fn();
    } catch (e) {
      msgs.push(String(e.message), String(e.stack), util.inspect(e));
    }
  };
  collect(() => new Verifier(k, { algorithms: ["HS256"], currentDate: NOW }).verify(hmacToken({ alg: "HS256" }, { exp: NOW + 60 }, "other")));
  collect(() => new Verifier(k, { algorithms: ["HS256"], currentDate: NOW }).verify(hmacToken({ alg: "HS256" }, { exp: NOW - 60 }, secret)));
  collect(() => k.toPublicJwk());
  collect(() => new Signer(k, { alg: "RS256" }));
  collect(() => new Signer(pk, { alg: "ES384" }));
  collect(() => Key.fromPem(privPem.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\n!")));
  collect(() => Key.fromJwk({ ...ec.privateKey.export({ format: "jwk" }), x: "AAAA" }));
  collect(() => Key.fromJwk({ kty: "oct", k: Buffer.from(secret).toString("base64url"), alg: "HS999" }));
  assert.ok(msgs.length >= 6, `expected errors, got ${msgs.length}`);
  for (const text of [...shown, ...msgs]) for (const n of needles) assert.ok(!text.includes(n), `leaked into: ${text.slice(0, 200)}`);
  assert.equal(String(k), "[object Key]");
  assert.match(util.inspect(k), /Key \{.*kid: "leak-test"/);
});

test("the decoded signature is returned as-is (decode is for inspection only)", () => {
  const t = nodeSign("ES256", ec.privateKey);
  assert.equal(decode(t).signature, t.split(".")[2]);
  assert.ok(JwtError);
});
