// The core's own RSA public-key operation and encoding checks (src/crypto/rust_crypto/rsa.rs),
// run in a pure-wasm instance, against node:crypto (OpenSSL) over random keys and signatures:
// valid RS*/PS* signatures, each with corrupted copies (a flipped bit, a random value below n,
// n - 1, a PSS salt of another length), must get exactly OpenSSL's verdict under JWS's rules.
// JWTWARD_RSA_CROSSCHECK_KEYS sets how many keys (default 40; the performance work ran 1000).
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { freshCore } from "./fresh-core.mjs";
const generateKeyPair = promisify(crypto.generateKeyPair);
const KEYS = Number(process.env.JWTWARD_RSA_CROSSCHECK_KEYS || 40);
const SIGS_PER_KEY = 12;
const ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const { RSA_PKCS1_PSS_PADDING } = crypto.constants;

const hashOf = (alg) => `sha${alg.slice(2)}`;
const jwsOptions = (alg, key) => (alg.startsWith("PS") ? { key, padding: RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 } : key);

function randomKeySpec(i) {
  const bits = i % 10 === 9 ? 4096 : i % 5 === 4 ? 3072 : 2048;
  const exponents = [65537, 65537, 65537, 3, 17, 257, 0x10001 + 2 * (1 + crypto.randomInt(1 << 20))];
  return { modulusLength: bits, publicExponent: exponents[crypto.randomInt(exponents.length)] };
}

test(`RSA verification in wasm agrees with node:crypto over ${KEYS} random keys`, { timeout: 30 * 60 * 1000 }, async () => {
  const core = freshCore(undefined);
  let checks = 0;
  let accepted = 0;
  const keyPairs = await Promise.all(Array.from({ length: KEYS }, (_, i) => generateKeyPair("rsa", randomKeySpec(i))));
  for (const { publicKey, privateKey } of keyPairs) {
    const jwk = publicKey.export({ format: "jwk" });
    const key = core.WasmKey.fromJwk(JSON.stringify(jwk));
    const n = BigInt(`0x${Buffer.from(jwk.n, "base64url").toString("hex")}`);
    const k = Buffer.from(jwk.n, "base64url").length;
    const toBytes = (v) => Buffer.from(v.toString(16).padStart(2 * k, "0"), "hex");
    for (let s = 0; s < SIGS_PER_KEY; s++) {
      const alg = ALGS[crypto.randomInt(ALGS.length)];
      const msg = crypto.randomBytes(crypto.randomInt(1, 300));
      const good = crypto.sign(hashOf(alg), msg, jwsOptions(alg, privateKey));
      const flipped = Buffer.from(good);
      flipped[crypto.randomInt(k)] ^= 1 << crypto.randomInt(8);
      const candidates = [good, flipped, toBytes(BigInt(`0x${crypto.randomBytes(k).toString("hex")}`) % n), toBytes(n - 1n)];
      if (alg.startsWith("PS")) {
        for (const saltLength of [0, Number(alg.slice(2)) / 8 + 1]) {
          candidates.push(crypto.sign(hashOf(alg), msg, { key: privateKey, padding: RSA_PKCS1_PSS_PADDING, saltLength }));
        }
      }
      for (const sig of candidates) {
        const expected = crypto.verify(hashOf(alg), msg, jwsOptions(alg, publicKey), sig);
        let ours;
        try {
          key.verifySignature(alg, msg, sig);
          ours = true;
        } catch (e) {
          assert.equal(e.code, "ERR_JWS_SIGNATURE_VERIFICATION_FAILED", e.message);
          ours = false;
        }
        assert.equal(ours, expected, `${alg}, ${k * 8}-bit key, e=${Buffer.from(jwk.e, "base64url").toString("hex")}`);
        checks++;
        if (ours) accepted++;
      }
    }
    key.free();
  }
  assert.ok(accepted >= KEYS * SIGS_PER_KEY, `${accepted} accepted`);
  console.log(`# rsa cross-check: ${KEYS} keys, ${checks} signatures, ${accepted} valid, all agreeing with node:crypto`);
});
