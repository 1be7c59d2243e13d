// Interoperability with `jose`, the reference JS implementation, for every algorithm: tokens
// signed by jose verify with jwtward, and tokens signed by jwtward verify with jose. Keys move
// between the two as JWK (and PKCS#8 on jose's side).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as jose from "jose";
import { Key, Signer, Verifier, generateKeyPair as ourGenerateKeyPair, JwtError } from "jwtward";

const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const ISS = "https://issuer.example";
const AUD = "https://api.example";

/** A jose key pair (or secret) with both halves as JWK and CryptoKey objects. */
async function joseKeys(alg) {
  if (alg.startsWith("HS")) {
    const secret = await jose.generateSecret(alg, { extractable: true });
    const jwk = await jose.exportJWK(secret);
    return { signKey: secret, verifyKey: secret, privateJwk: jwk, publicJwk: jwk };
  }
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const privateJwk = await jose.exportJWK(privateKey);
  const publicJwk = await jose.exportJWK(publicKey);
  // Alternate how jose re-imports its signing key: from PKCS#8 PEM or from JWK.
  const signKey = ALGS.indexOf(alg) % 2 === 0 ? await jose.importPKCS8(await jose.exportPKCS8(privateKey), alg) : await jose.importJWK(privateJwk, alg);
  return { signKey, verifyKey: publicKey, privateJwk, publicJwk };
}

for (const alg of ALGS) {
  test(`${alg}: jose signs, jwtward verifies`, async () => {
    const k = await joseKeys(alg);
    const token = await new jose.SignJWT({ scope: "read write", n: 7 })
      .setProtectedHeader({ alg, typ: "JWT", kid: "k1" })
      .setIssuer(ISS)
      .setAudience(AUD)
      .setSubject("user-1")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(k.signKey);
    const verifier = new Verifier(Key.fromJwk({ ...k.publicJwk, kid: "k1" }), { algorithms: [alg], issuer: ISS, audience: AUD, requiredScopes: ["write"] });
    const { header, payload } = verifier.verify(token);
    assert.equal(header.alg, alg);
    assert.equal(payload.sub, "user-1");
    assert.equal(payload.n, 7);
    // wrong audience still refused
    assert.throws(
      () => new Verifier({ keys: [{ ...k.publicJwk, kid: "k1" }] }, { algorithms: [alg], audience: "other" }).verify(token),
      (e) => e instanceof JwtError && e.code === "ERR_JWT_CLAIM_VALIDATION_FAILED" && e.claim === "aud",
    );
    // a one-character change to the signature is refused
    const [h, p, s] = token.split(".");
    const bad = `${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
    assert.throws(() => verifier.verify(bad), (e) => e instanceof JwtError && e.code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
  });

  test(`${alg}: jwtward signs, jose verifies`, async () => {
    const k = await joseKeys(alg);
    // jose's private JWK imported into jwtward
    const ours = Key.fromJwk(k.privateJwk);
    const token = new Signer(ours, { alg, issuer: ISS, audience: AUD }).sign({ role: "admin" }, { subject: "user-2" });
    const { payload, protectedHeader } = await jose.jwtVerify(token, k.verifyKey, { algorithms: [alg], issuer: ISS, audience: AUD, subject: "user-2", typ: "JWT" });
    assert.equal(protectedHeader.alg, alg);
    assert.equal(payload.role, "admin");
    assert.equal(payload.exp - payload.iat, 900);
    assert.equal(typeof payload.jti, "string");

    if (!alg.startsWith("HS")) {
      // a jwtward-generated pair: its public JWK imported into jose
      const pair = ourGenerateKeyPair(alg, { kid: "ours" });
      const t2 = new Signer(pair.privateKey, { alg, issuer: ISS, audience: AUD }).sign({});
      const joseKey = await jose.importJWK(pair.publicKey.toPublicJwk(), alg);
      const r = await jose.jwtVerify(t2, joseKey, { algorithms: [alg], issuer: ISS, audience: AUD });
      assert.equal(r.protectedHeader.kid, "ours");
      // and through a JWKS
      const jwks = jose.createLocalJWKSet({ keys: [pair.publicKey.toPublicJwk()] });
      assert.equal((await jose.jwtVerify(t2, jwks, { algorithms: [alg] })).payload.iss, ISS);
    }
  });
}
