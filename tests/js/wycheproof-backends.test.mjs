// The Wycheproof vectors through each signature backend the package has: the node:crypto host
// under the slim core (jwtward in Node, Deno and Bun) and under the full core (jwtward/full
// there), the full core's pure wasm (jwtward/full elsewhere), and WebCrypto in the two passes
// that `verifyAsync` uses in browsers and workerd (here Node's WebCrypto), under both cores.
// All must give every
// vector the same outcome, with the tallies pinned in tests/common/wycheproof.rs (no invalid
// vector accepted; 108 HMAC vectors refused by policy; the 5 "acceptable" PKCS#1 v1.5
// signatures without the DigestInfo NULL rejected). Each backend runs in its own fresh wasm
// instance, and the host's calls are counted, so a silent fallback to the core cannot pass as
// a node:crypto run. A missing vector file fails the test.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { freshCore } from "./fresh-core.mjs";

const require = createRequire(import.meta.url);
const DIR = new URL("../vectors/wycheproof/", import.meta.url);

/** The same table as tests/common/wycheproof.rs: (valid, invalid, acceptable, passed,
 * hmac-policy, key-refused, pss-params, acceptable-rejected). */
const EXPECTED = {
  "ecdsa_secp256r1_sha256_p1363_test.json": ["ES256", [173, 89, 0, 262, 0, 0, 0, 0]],
  "ecdsa_secp384r1_sha384_p1363_test.json": ["ES384", [193, 87, 0, 280, 0, 0, 0, 0]],
  "ecdsa_secp521r1_sha512_p1363_test.json": ["ES512", [231, 87, 0, 318, 0, 0, 0, 0]],
  "ed25519_test.json": ["EdDSA", [88, 63, 0, 151, 0, 0, 0, 0]],
  "hmac_sha256_test.json": ["HS256", [66, 108, 0, 138, 36, 0, 0, 0]],
  "hmac_sha384_test.json": ["HS384", [66, 108, 0, 138, 36, 0, 0, 0]],
  "hmac_sha512_test.json": ["HS512", [66, 108, 0, 138, 36, 0, 0, 0]],
  "rsa_pss_2048_sha256_mgf1_32_test.json": ["PS256", [63, 45, 0, 108, 0, 0, 0, 0]],
  "rsa_pss_4096_sha384_mgf1_48_test.json": ["PS384", [95, 46, 0, 141, 0, 0, 0, 0]],
  "rsa_pss_4096_sha512_mgf1_64_test.json": ["PS512", [132, 47, 0, 179, 0, 0, 0, 0]],
  "rsa_signature_2048_sha256_test.json": ["RS256", [9, 249, 1, 258, 0, 0, 0, 1]],
  "rsa_signature_2048_sha384_test.json": ["RS384", [7, 250, 1, 257, 0, 0, 0, 1]],
  "rsa_signature_2048_sha512_test.json": ["RS512", [8, 250, 1, 258, 0, 0, 0, 1]],
  "rsa_signature_3072_sha256_test.json": ["RS256", [8, 250, 1, 258, 0, 0, 0, 1]],
  "rsa_signature_4096_sha256_test.json": ["RS256", [7, 250, 1, 257, 0, 0, 0, 1]],
};

/** The node:crypto host, wrapped to count the signatures it was asked about. */
function countingNodeHost() {
  const host = require("../../pkg/src/hosts/node-crypto.js").createNodeCrypto(crypto);
  const counted = { calls: 0, verify: (...a) => (counted.calls++, host.verify(...a)), importKey: (...a) => host.importKey(...a) };
  return counted;
}

const hex = (s) => Uint8Array.from(Buffer.from(s, "hex"));
const SHA = { 256: "SHA-256", 384: "SHA-384", 512: "SHA-512" };

/** A raw signature check through the core with the node:crypto host or none. */
function syncCheck(key, alg, msg, sig) {
  key.verifySignature(alg, msg, sig);
}

/** The same check in the two passes of the asynchronous path, with WebCrypto answering. */
function webCryptoCheck(webCrypto, counter) {
  return async (key, alg, msg, sig) => {
    const request = key.verifySignatureStart(alg, msg, sig);
    if (request === undefined) return;
    counter.calls++;
    const { requestId, alg: named } = webCrypto.unpack(request);
    const valid = await webCrypto.verify(request);
    if (typeof valid === "boolean") counter.answered++;
    key.verifySignatureFinish(alg, msg, sig, requestId, named, typeof valid === "boolean" ? valid : undefined);
  };
}

/** Runs one file; returns the tally and each vector's outcome ("ok" or the error code). */
async function runFile(core, file, alg, check = syncCheck) {
  const doc = JSON.parse(readFileSync(new URL(file, DIR), "utf8"));
  const hashLen = alg === "EdDSA" ? 64 : Number(alg.slice(2)) / 8;
  const t = { valid: 0, invalid: 0, acceptable: 0, passed: 0, hmac: 0, keyRefused: 0, pss: 0, accRejected: 0, unexpected: [] };
  const outcomes = [];
  for (const group of doc.testGroups) {
    const pssMismatch =
      file.startsWith("rsa_pss") && (group.sLen !== hashLen || group.mgfSha !== SHA[alg.slice(2)] || group.sha !== SHA[alg.slice(2)]);
    let groupKey = null;
    let keyError = null;
    if (!alg.startsWith("HS")) {
      const jwk = group.publicKeyJwk || group.keyJwk;
      try {
        groupKey = jwk ? core.WasmKey.fromJwk(JSON.stringify(jwk)) : core.WasmKey.fromPem(group.publicKeyPem, undefined, undefined);
      } catch (e) {
        keyError = e;
        assert.equal(e.code, "ERR_JWK_INVALID", `${file}: key refused with ${e.code}`);
      }
    }
    for (const tc of group.tests) {
      t[tc.result]++;
      const label = `${file} #${tc.tcId} (${tc.result}, ${tc.comment})`;
      let hmacShort = false;
      let outcome;
      try {
        if (keyError) throw keyError;
        let key = groupKey;
        let sig;
        if (alg.startsWith("HS")) {
          const raw = hex(tc.key);
          sig = hex(tc.tag);
          hmacShort = raw.length < hashLen || sig.length < hashLen;
          key = core.WasmKey.fromSecret(raw, undefined, undefined);
        } else {
          sig = hex(tc.sig);
        }
        await check(key, alg, hex(tc.msg), sig);
        outcome = "ok";
      } catch (e) {
        if (typeof e.code !== "string") throw e;
        outcome = e.code;
      }
      outcomes.push(outcome);
      const ok = outcome === "ok";
      if (keyError) t.keyRefused++;
      else if (tc.result === "valid" && pssMismatch) ok ? t.unexpected.push(`${label}: non-JWS PSS accepted`) : t.pss++;
      else if (tc.result === "valid" && ok) t.passed++;
      else if (tc.result === "valid" && hmacShort && ["ERR_JWK_INVALID", "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"].includes(outcome)) t.hmac++;
      else if (tc.result === "valid") t.unexpected.push(`${label}: rejected: ${outcome}`);
      else if (tc.result === "invalid") ok ? t.unexpected.push(`${label}: ACCEPTED`) : t.passed++;
      else ok ? t.unexpected.push(`${label}: acceptable accepted`) : t.accRejected++;
    }
  }
  assert.equal(outcomes.length, doc.numberOfTests, `${file}: ran ${outcomes.length} of ${doc.numberOfTests}`);
  return { t, outcomes };
}

test("the vector directory holds exactly the pinned files", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort();
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
});

test("Wycheproof: node:crypto, WebCrypto and wasm backends agree, under both cores, with the pinned tallies", async () => {
  const host = countingNodeHost();
  const slimHost = countingNodeHost();
  const nodeCore = freshCore(host, "full");
  const slimNodeCore = freshCore(slimHost, "slim");
  const wasmCore = freshCore(undefined, "full");
  const slimCore = freshCore(undefined, "slim");
  const webCrypto = require("../../pkg/src/hosts/webcrypto.js").default(globalThis.crypto.subtle, wasmCore.hostKeySpki);
  const slimWebCrypto = require("../../pkg/src/hosts/webcrypto.js").default(globalThis.crypto.subtle, slimCore.hostKeySpki);
  for (const [file, [alg, want]] of Object.entries(EXPECTED)) {
    const before = host.calls;
    const slimBefore = slimHost.calls;
    const node = await runFile(nodeCore, file, alg);
    const slimNode = await runFile(slimNodeCore, file, alg);
    const wasm = await runFile(wasmCore, file, alg);
    const webRuns = [];
    for (const [core, crypto] of [[wasmCore, webCrypto], [slimCore, slimWebCrypto]]) {
      const counter = { calls: 0, answered: 0 };
      const web = await runFile(core, file, alg, webCryptoCheck(crypto, counter));
      assert.deepEqual(web.outcomes, wasm.outcomes, `${file}: WebCrypto and the core disagree`);
      if (alg.startsWith("HS")) assert.equal(counter.calls, 0, file);
      else assert.ok(counter.answered > web.outcomes.length / 2 && counter.answered === counter.calls, `${file}: WebCrypto answered ${counter.answered} of ${counter.calls}`);
      webRuns.push(web);
    }
    for (const run of [node, slimNode, wasm, ...webRuns]) {
      const { t } = run;
      assert.deepEqual(t.unexpected, [], file);
      assert.deepEqual([t.valid, t.invalid, t.acceptable, t.passed, t.hmac, t.keyRefused, t.pss, t.accRejected], want, file);
    }
    assert.deepEqual(node.outcomes, wasm.outcomes, `${file}: the backends disagree`);
    assert.deepEqual(slimNode.outcomes, wasm.outcomes, `${file}: the slim core with node:crypto and the full core disagree`);
    // HMAC stays in the core; every other file must really have gone through node:crypto.
    for (const [counted, start, run] of [[host, before, node], [slimHost, slimBefore, slimNode]]) {
      if (alg.startsWith("HS")) assert.equal(counted.calls, start, file);
      else assert.ok(counted.calls - start > run.outcomes.length / 2, `${file}: only ${counted.calls - start} host calls`);
    }
  }
});
