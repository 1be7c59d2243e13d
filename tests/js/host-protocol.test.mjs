// The host protocol v2 (src/wasm/host.rs) through the real modules: the full one (pkg/dist/node)
// and the slim one without asymmetric arithmetic (pkg/dist/slim/node), each a fresh instance.
// - An asynchronous verdict is bound to its exact request: WebCrypto's verdict for token A
//   never completes token B (same key, A's header and signature over another payload).
// - The slim module with the node:crypto host generates, signs and verifies every asymmetric
//   algorithm synchronously; without a host it says to use the async methods or jwtward/full.
// - coreTables() gives the core's algorithm names, limits and error codes.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createNodeCrypto } = require("../../pkg/src/hosts/node-crypto.js");
const createWebCrypto = require("../../pkg/src/hosts/webcrypto.js").default;

/** A fresh instance of the module at `glue`, with `host` installed (or none). */
function load(glue, host) {
  const path = require.resolve(glue);
  const saved = require.cache[path];
  delete require.cache[path];
  try {
    const core = require(path);
    core.setHostCrypto(host);
    return core;
  } finally {
    if (saved) require.cache[path] = saved;
  }
}
const FULL = "../../pkg/dist/node/jwtward_core.js";
const SLIM = "../../pkg/dist/slim/node/jwtward_core.js";
const ASYM = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const NOW = 1_700_000_000;
const utf8 = (s) => new TextEncoder().encode(s);

/** Two tokens of one key: A, and B = A's header and signature over another payload. */
function tokens(core, alg) {
  const pair = core.generateKeyPair(alg, undefined);
  const signer = new core.WasmSigner(pair.privateKey(), JSON.stringify({ alg, expiresIn: 600 }));
  const a = signer.sign(JSON.stringify({ sub: "alice" }), "{}", NOW);
  const other = signer.sign(JSON.stringify({ sub: "mallory" }), "{}", NOW);
  const [h, , s] = a.split(".");
  const b = `${h}.${other.split(".")[1]}.${s}`;
  const keys = new core.WasmKeySet();
  keys.add(pair.publicKey());
  const verifier = new core.WasmVerifier(keys, JSON.stringify({ algorithms: [alg] }));
  return { a, b, verifier };
}

for (const [name, glue] of [["full", FULL], ["slim", SLIM]]) {
  test(`${name} module: a WebCrypto verdict for token A never completes token B`, async () => {
    // Keys and tokens are made with the node:crypto host (the slim module has no other way).
    const core = load(glue, createNodeCrypto(crypto));
    const webCrypto = createWebCrypto(crypto.webcrypto.subtle, core.hostKeySpki);
    for (const alg of ["ES256", "RS256", "EdDSA"]) {
      const { a, b, verifier } = tokens(core, alg);
      const request = verifier.verifyStart(utf8(a), NOW + 1);
      assert.ok(request instanceof Uint8Array, `${alg}: the first pass asks the host`);
      const { requestId, alg: named, keyId } = webCrypto.unpack(request);
      assert.equal(named, alg);
      assert.equal(typeof keyId, "number");
      assert.equal(await webCrypto.verify(request), true);
      // The verdict for A, handed to the second pass of B: refused.
      assert.throws(() => verifier.verifyFinish(utf8(b), NOW + 1, requestId, named, true), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
      // ...and, being consumed, it no longer completes A in the slim module (no core to fall
      // back on); a fresh request for A completes it.
      const again = verifier.verifyStart(utf8(a), NOW + 1);
      const fresh = webCrypto.unpack(again);
      const text = verifier.verifyFinish(utf8(a), NOW + 1, fresh.requestId, fresh.alg, await webCrypto.verify(again));
      assert.equal(JSON.parse(text).payload.sub, "alice");
      if (name === "slim") {
        assert.throws(() => verifier.verifyFinish(utf8(a), NOW + 1, fresh.requestId, fresh.alg, true), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" });
      }
    }
  });
}

test("slim module with the node:crypto host: every asymmetric algorithm, synchronously", () => {
  const core = load(SLIM, createNodeCrypto(crypto));
  for (const alg of ASYM) {
    const { a, b, verifier } = tokens(core, alg);
    assert.equal(JSON.parse(verifier.verify(a, NOW + 1)).payload.sub, "alice", alg);
    assert.throws(() => verifier.verify(b, NOW + 1), { code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" }, alg);
  }
  // A private key given without its public half: derived by the host.
  const { privateKey } = crypto.generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" });
  const key = core.WasmKey.fromPem(pem, "EdDSA", undefined);
  const expected = crypto.createPublicKey(privateKey).export({ format: "jwk" }).x;
  assert.equal(JSON.parse(key.toPublicJwk()).x, expected);
});

test("slim module without a host: asymmetric operations name verifyAsync/signAsync and jwtward/full", () => {
  const withHost = load(SLIM, createNodeCrypto(crypto));
  const { a, verifier } = tokens(withHost, "ES256");
  withHost.setHostCrypto(undefined);
  for (const run of [() => verifier.verify(a, NOW + 1), () => withHost.generateKeyPair("ES256", undefined)]) {
    assert.throws(run, (e) => e.code === "ERR_JOSE_NOT_SUPPORTED" && /verifyAsync\/signAsync, or import jwtward\/full/.test(e.message));
  }
  // HMAC needs no host.
  const secret = withHost.WasmKey.fromSecret(new Uint8Array(32).fill(7), "HS256", undefined);
  const signer = new withHost.WasmSigner(secret, JSON.stringify({ alg: "HS256" }));
  const token = signer.sign("{}", "{}", NOW);
  const keys = new withHost.WasmKeySet();
  keys.add(secret);
  assert.ok(new withHost.WasmVerifier(keys, JSON.stringify({ algorithms: ["HS256"] })).verify(token, NOW + 1));
});

test("coreTables: the core's algorithms, limits and error codes, from both modules", () => {
  for (const [glue, asym] of [[FULL, true], [SLIM, false]]) {
    const tables = JSON.parse(load(glue, undefined).coreTables());
    assert.equal(tables.protocol, 2);
    assert.equal(tables.asym, asym);
    assert.deepEqual(tables.algs, ["HS256", "HS384", "HS512", ...ASYM]);
    assert.equal(tables.limits.DEFAULT_MAX_TOKEN_SIZE, 16 * 1024);
    assert.equal(tables.limits.MAX_JWKS_SIZE, 256 * 1024);
    assert.ok(tables.errorCodes.includes("ERR_JWS_SIGNATURE_VERIFICATION_FAILED"));
  }
});

test("signAsync's two steps (slim module, WebCrypto): the finish is bound to its start, and the core checks the signature's form", async () => {
  const core = load(SLIM, undefined);
  const webCrypto = createWebCrypto(crypto.webcrypto.subtle, core.hostKeySpki);
  const jwk = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  const key = core.WasmKey.fromJwk(JSON.stringify(jwk));
  const options = JSON.stringify({ alg: "ES256", expiresIn: 600 });
  const signer = new core.WasmSigner(key, options);
  const other = new core.WasmSigner(key, options);
  const start = (s, sub) => {
    const packed = s.signStart(JSON.stringify({ sub }), "{}", NOW);
    assert.ok(packed instanceof Uint8Array);
    return { packed, ...webCrypto.unpackSign(packed) };
  };
  const refused = (fn, why) => assert.throws(fn, (e) => e.code === "ERR_JOSE_NOT_SUPPORTED" && why.test(e.message), String(why));
  const a = start(signer, "alice");
  assert.equal(a.alg, "ES256");
  assert.equal(a.keyId, signer.keyId);
  // No key material in a request: the private scalar is nowhere in it.
  assert.equal(Buffer.from(a.packed).indexOf(Buffer.from(jwk.d, "base64url")), -1);
  // The key reaches the host only through importPrivateKey.
  assert.equal(webCrypto.hasPrivateKey(a.keyId, "ES256"), false);
  await signer.exportKeyToHost(webCrypto);
  assert.equal(webCrypto.hasPrivateKey(a.keyId, "ES256"), true);
  const sigA = await webCrypto.sign(a.packed);

  // Wrong things, each refused, none consuming A's request on the way (except the last).
  refused(() => other.signFinish(a.requestId, "ES256", sigA), /another Signer/);
  const b = start(signer, "bob");
  refused(() => signer.signFinish(a.requestId + 0.5, "ES256", sigA), /no pending request/);
  refused(() => signer.signFinish(123456789, "ES256", sigA), /no pending request/);
  const c = start(signer, "carol");
  refused(() => signer.signFinish(c.requestId, "ES384", sigA), /another algorithm/);
  const d = start(signer, "dave");
  refused(() => signer.signFinish(d.requestId, "ES256", sigA.subarray(0, 63)), /form/);
  const e = start(signer, "erin");
  refused(() => signer.signFinish(e.requestId, "ES256", new Uint8Array(64)), /form/); // r = s = 0
  const f = start(signer, "frank");
  refused(() => signer.signFinish(f.requestId, "ES256", new Uint8Array(64).fill(0xff)), /form/); // r, s >= n

  // A's signature completes A, once: the token carries A's claims and node:crypto verifies it.
  const tokenA = signer.signFinish(a.requestId, "ES256", sigA);
  const [h, p, s] = tokenA.split(".");
  assert.equal(JSON.parse(Buffer.from(p, "base64url")).sub, "alice");
  const pub = crypto.createPublicKey({ key: { ...jwk, d: undefined }, format: "jwk" });
  assert.ok(crypto.verify("sha256", Buffer.from(`${h}.${p}`), { key: pub, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url")));
  refused(() => signer.signFinish(a.requestId, "ES256", sigA), /no pending request/);
  // A's signature handed to B's request: the token is B's claims, never A's, and does not verify.
  const tokenB = signer.signFinish(b.requestId, "ES256", sigA);
  assert.equal(JSON.parse(Buffer.from(tokenB.split(".")[1], "base64url")).sub, "bob");
  const [hb, pb, sb] = tokenB.split(".");
  assert.equal(crypto.verify("sha256", Buffer.from(`${hb}.${pb}`), { key: pub, dsaEncoding: "ieee-p1363" }, Buffer.from(sb, "base64url")), false);

  // HMAC never leaves the core: signStart returns the token itself.
  const secret = core.WasmKey.fromSecret(new Uint8Array(32).fill(7), "HS256", undefined);
  assert.equal(typeof new core.WasmSigner(secret, JSON.stringify({ alg: "HS256" })).signStart("{}", "{}", NOW), "string");
});
