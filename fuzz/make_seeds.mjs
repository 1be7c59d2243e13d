// Writes the committed seed corpora, fuzz/corpus/<target>/, from the fixture keys in
// fuzz/keys/ and the test vectors, with node:crypto (independent of jwtward's own signer), and
// fuzz/dict/token.dict (base64url of common headers, which the fuzzer cannot guess by bytes).
// Valid tokens use the kids and satisfy the strict options of fuzz/src/lib.rs at its NOW, so
// the fuzzer starts from inputs that reach every check. Run: node fuzz/make_seeds.mjs
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const NOW = 1_763_900_000;
const HMAC_SECRET = Buffer.from("fuzz-hmac-secret-0123456789abcdef0123456789abcdef0123456789abcdef");
const key = (name) => crypto.createPrivateKey(fs.readFileSync(path.join(here, "keys", `${name}.pem`)));
const keys = { rsa: key("rsa"), p256: key("p256"), p384: key("p384"), p521: key("p521"), ed: key("ed25519") };

const b64u = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const HASH = { 256: "sha256", 384: "sha384", 512: "sha512" };

function sign(alg, input) {
  const bits = alg.slice(2);
  if (alg.startsWith("HS")) return crypto.createHmac(HASH[bits], HMAC_SECRET).update(input).digest();
  if (alg === "EdDSA") return crypto.sign(null, Buffer.from(input), keys.ed);
  const ec = { ES256: keys.p256, ES384: keys.p384, ES512: keys.p521 }[alg];
  if (ec) return crypto.sign(HASH[bits], Buffer.from(input), { key: ec, dsaEncoding: "ieee-p1363" });
  const padding = alg.startsWith("PS") ? crypto.constants.RSA_PKCS1_PSS_PADDING : crypto.constants.RSA_PKCS1_PADDING;
  return crypto.sign(HASH[bits], Buffer.from(input), { key: keys.rsa, padding, saltLength: Number(bits) / 8 });
}

function token(header, payload, alg = header.alg) {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${sign(alg, input).toString("base64url")}`;
}

// Satisfies STRICT in fuzz/src/lib.rs; the plain verifiers accept it too.
const strictPayload = {
  iss: "https://id.example", aud: ["api", "web"], sub: "user-1", iat: NOW - 10, nbf: NOW - 10, exp: NOW + 600,
  jti: "j-1", scope: "read write", scp: ["admin"], roles: ["ops"], tenant: "acme", n: 2,
};
const strictHeader = (alg, kid) => ({ alg, typ: "at+jwt", ...(kid ? { kid } : {}) });
const payloads = [
  strictPayload,
  {},
  { sub: "a", exp: NOW - 1 },
  { exp: "1900000000", nbf: true, aud: 1 },
  { exp: 1e308, iat: -0, nbf: 9007199254740993 },
  { nested: { a: [[[[1, { b: null }]]]], s: "\u00e9\u{1F600}\\u0000" } },
];
const headerTricks = [
  { alg: "none" }, { alg: "HS256", crit: ["exp"], exp: 1 }, { alg: "HS256", b64: false, crit: ["b64"] },
  { alg: "HS256", kid: "../../dev/null" }, { alg: "HS256", jwk: { kty: "oct", k: "AAAA" } }, { alg: "HS256", kid: 1 },
];

const tokensFor = (algs, kidOf) => [
  ...algs.flatMap((alg) => payloads.map((p) => token(strictHeader(alg, kidOf(alg)), p))),
  ...algs.map((alg) => token({ alg }, strictPayload)),
];
const corpora = {
  decode: [],
  verify_hmac: [],
  verify_rsa: tokensFor(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"], () => "rsa"),
  verify_ec: tokensFor(["ES256", "ES384", "ES512"], (alg) => ({ ES256: "p256", ES384: "p384", ES512: "p521" })[alg]),
  verify_eddsa: tokensFor(["EdDSA"], () => "ed"),
  jwk: [],
  jwks: [],
  pem: [],
  decode_vs_verify: [],
};

const hmacTokens = [...tokensFor(["HS256", "HS384", "HS512"], () => undefined), ...headerTricks.map((h) => token(h, strictPayload, "HS256"))];
corpora.verify_hmac.push(...hmacTokens);
// Structured seeds: header JSON, 0xFF, payload JSON (the target encodes and signs them).
for (const alg of ["HS256", "HS384", "HS512"]) {
  for (const p of payloads) corpora.verify_hmac.push(Buffer.concat([Buffer.from(JSON.stringify(strictHeader(alg))), Buffer.from([0xff]), Buffer.from(JSON.stringify(p))]));
}
for (const h of headerTricks) corpora.verify_hmac.push(Buffer.concat([Buffer.from(JSON.stringify(h)), Buffer.from([0xff]), Buffer.from(JSON.stringify(strictPayload))]));
const vectors = path.join(here, "..", "tests", "vectors");
const cookbook = (p) => JSON.parse(fs.readFileSync(path.join(vectors, "jose-cookbook", p), "utf8"));
const rfcTokens = ["jws/4_1.rsa_v15_signature.json", "jws/4_2.rsa-pss_signature.json", "jws/4_3.ecdsa_signature.json", "jws/4_4.hmac-sha2_integrity_protection.json", "curve25519/jws.json"].map(
  (f) => cookbook(f).output.compact,
);
const everyToken = [...hmacTokens, ...corpora.verify_rsa, ...corpora.verify_ec, ...corpora.verify_eddsa, ...rfcTokens];
corpora.decode.push(...everyToken, "a.b.c", "e30.e30.", "..", `${b64u({ alg: "HS256" })}.${b64u([1])}.AA`);
corpora.decode_vs_verify.push(...hmacTokens, ...rfcTokens, `${b64u({ alg: "HS512", typ: "JWT" })}.${b64u("not json")}.x`);

// Keys: every fixture key as private and public JWK, an oct key, the RFC 7520 keys.
const jwks = [];
for (const [kid, k] of Object.entries(keys)) {
  const priv = { ...k.export({ format: "jwk" }), kid };
  const pub = { ...crypto.createPublicKey(k).export({ format: "jwk" }), kid, use: "sig" };
  corpora.jwk.push(JSON.stringify(priv), JSON.stringify(pub));
  jwks.push(pub);
}
const oct = { kty: "oct", k: HMAC_SECRET.toString("base64url"), alg: "HS256", kid: "hs" };
corpora.jwk.push(JSON.stringify(oct), '{"kty":"RSA","n":"AQAB","e":"AQAB"}', '{"kty":"EC","crv":"P-256","x":"","y":""}');
for (const f of fs.readdirSync(path.join(vectors, "jose-cookbook", "jwk"))) corpora.jwk.push(JSON.stringify(cookbook(`jwk/${f}`)));
corpora.jwks.push(JSON.stringify({ keys: jwks }), JSON.stringify({ keys: [...jwks, oct] }), JSON.stringify({ keys: jwks.map(({ kid, ...k }) => k) }), '{"keys":[]}', '{"keys":[1]}');

// PEM: a label index byte, then DER (see fuzz_targets/pem.rs), and the raw text form (index 255).
const LABEL = { spki: 0, rsaPublic: 1, pkcs8: 2, rsaPrivate: 3, sec1: 4 };
const withLabel = (i, der) => Buffer.concat([Buffer.from([i]), der]);
for (const [name, k] of Object.entries(keys)) {
  const pub = crypto.createPublicKey(k);
  corpora.pem.push(withLabel(LABEL.spki, pub.export({ type: "spki", format: "der" })), withLabel(LABEL.pkcs8, k.export({ type: "pkcs8", format: "der" })));
  corpora.pem.push(withLabel(255, Buffer.from(k.export({ type: "pkcs8", format: "pem" }))));
  if (name === "rsa") {
    corpora.pem.push(withLabel(LABEL.rsaPublic, pub.export({ type: "pkcs1", format: "der" })), withLabel(LABEL.rsaPrivate, k.export({ type: "pkcs1", format: "der" })));
  } else if (name !== "ed") {
    corpora.pem.push(withLabel(LABEL.sec1, k.export({ type: "sec1", format: "der" })));
  }
}

for (const [target, inputs] of Object.entries(corpora)) {
  const dir = path.join(here, "corpus", target);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const input of inputs) {
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
    const name = crypto.createHash("sha1").update(bytes).digest("hex"); // libFuzzer's own naming
    fs.writeFileSync(path.join(dir, name), bytes);
  }
  console.log(`${target}: ${inputs.length} seeds`);
}

// The fragments a token fuzzer cannot build byte by byte: whole base64url-encoded headers.
const fragments = ['{"alg":"HS256"}', '{"alg":"HS384"}', '{"alg":"HS512"}', '{"alg":"RS256"}', '{"alg":"PS256"}', '{"alg":"ES256"}', '{"alg":"ES384"}',
  '{"alg":"ES512"}', '{"alg":"EdDSA"}', '{"alg":"none"}', '{"alg":"ES256","kid":"p256"}', '{"alg":"ES384","kid":"p384"}', '{"alg":"ES512","kid":"p521"}',
  '{"alg":"RS256","kid":"rsa"}', '{"alg":"EdDSA","kid":"ed"}', '{"alg":"HS256","typ":"at+jwt"}', '{"alg":"HS256","crit":["b64"],"b64":false}',
  "{}", '{"exp":1763900600}', '{"sub":"user-1"}', "[]", "null"];
const dict = ["# base64url of common headers and payloads; written by fuzz/make_seeds.mjs", 'sep="."', 'pad="="', 'plus="+"', 'slash="/"', 'space=" "',
  'bom="\\xef\\xbb\\xbf"', 'eyJ="eyJ"', 'In0="In0"', 'fQ="fQ"', 'e30="e30"', ...fragments.map((f, i) => `t${i}="${b64u(f)}"`)];
fs.writeFileSync(path.join(here, "dict", "token.dict"), `${dict.join("\n")}\n`);
