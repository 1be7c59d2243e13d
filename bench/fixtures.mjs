// Keys and tokens shared by every benchmark: one key pair per algorithm made with node:crypto
// (independent of jwtward), and one token per algorithm signed by hand with node:crypto, so
// no library under test produced the input it is measured on. Claims: iss, aud, sub, iat, exp
// and jti, the shape of a typical access token; verifiers check iss and aud.
import crypto from "node:crypto";

export const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "ES512", "EdDSA"];
export const ISSUER = "https://issuer.example";
export const AUDIENCE = "api";

const HASH = { 256: "sha256", 384: "sha384", 512: "sha512" };
const CURVE = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };

function b64u(value) {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

function keyPair(alg) {
  if (alg.startsWith("HS")) {
    const secret = crypto.randomBytes(Number(alg.slice(2)) / 8).toString("base64url");
    return { secret };
  }
  const { publicKey, privateKey } = alg.startsWith("ES")
    ? crypto.generateKeyPairSync("ec", { namedCurve: CURVE[alg] })
    : alg === "EdDSA"
      ? crypto.generateKeyPairSync("ed25519")
      : crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { publicKey, privateKey };
}

function signInput(alg, keys, input) {
  const hash = HASH[alg.slice(2)];
  if (alg.startsWith("HS")) return crypto.createHmac(hash, keys.secret).update(input).digest();
  if (alg === "EdDSA") return crypto.sign(null, Buffer.from(input), keys.privateKey);
  if (alg.startsWith("ES")) return crypto.sign(hash, Buffer.from(input), { key: keys.privateKey, dsaEncoding: "ieee-p1363" });
  if (alg.startsWith("PS")) {
    const saltLength = Number(alg.slice(2)) / 8;
    return crypto.sign(hash, Buffer.from(input), { key: keys.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength });
  }
  return crypto.sign(hash, Buffer.from(input), keys.privateKey);
}

/** A token for `alg` over the usual claims; `nowSeconds` sets iat, and exp one hour later. */
export function makeToken(alg, keys, nowSeconds = Math.floor(Date.now() / 1000), extra = {}) {
  const header = { alg, typ: "JWT" };
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "user-1234567890",
    iat: nowSeconds,
    exp: nowSeconds + 3600,
    jti: crypto.randomUUID(),
    scope: "orders:read orders:write",
    ...extra,
  };
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${signInput(alg, keys, input).toString("base64url")}`;
}

/**
 * One fixture per algorithm: the key in every form a library wants (secret text, PEM, JWK,
 * KeyObject) and a token.
 */
export function fixtures(algs = ALGS) {
  const out = {};
  for (const alg of algs) {
    const keys = keyPair(alg);
    const f = { alg, keys, token: makeToken(alg, keys) };
    if (!alg.startsWith("HS")) {
      f.publicPem = keys.publicKey.export({ type: "spki", format: "pem" });
      f.privatePem = keys.privateKey.export({ type: "pkcs8", format: "pem" });
      f.publicJwk = keys.publicKey.export({ format: "jwk" });
      f.privateJwk = keys.privateKey.export({ format: "jwk" });
    }
    out[alg] = f;
  }
  return out;
}
