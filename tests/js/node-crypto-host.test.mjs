// pkg/src/hosts/node-crypto.js on its own: derivePublic answers for the pair generateKeyPair just made
// with OpenSSL's own public half (no second derivation: the core asks right after generating,
// with the private key re-encoded in its minimal form), and only for that pair: another key, the
// same scalar under another algorithm, or malformed DER go to OpenSSL as before.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { createRequire } from "node:module";

const createNodeCrypto = createRequire(import.meta.url)("../../pkg/src/hosts/node-crypto.js").createNodeCrypto;

/** The host over a node:crypto whose createPrivateKey calls are counted (a derivation parses one). */
function countingHost() {
  const counted = Object.create(crypto);
  counted.parses = 0;
  counted.createPrivateKey = (...args) => (counted.parses++, crypto.createPrivateKey(...args));
  return { host: createNodeCrypto(counted), counted };
}

const privateKeyOf = (pkcs8) => crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
const spkiOf = (pkcs8) => crypto.createPublicKey(privateKeyOf(pkcs8)).export({ format: "der", type: "spki" });

const der = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  assert.ok(body.length < 128);
  return Buffer.concat([Buffer.from([tag, body.length]), body]);
};
const EC_PUBLIC_KEY = Buffer.from("06072a8648ce3d0201", "hex");
const CURVES = { ES256: "06082a8648ce3d030107", ES384: "06052b81040022", ES512: "06052b81040023" };

/** An EC scalar as the core encodes it for derivePublic: PKCS#8 around an ECPrivateKey with no parameters or public key. */
function minimalEc(alg, d) {
  const algorithm = der(0x30, EC_PUBLIC_KEY, Buffer.from(CURVES[alg], "hex"));
  const ecPrivateKey = der(0x30, Buffer.from([0x02, 0x01, 0x01]), der(0x04, d));
  return der(0x30, Buffer.from([0x02, 0x01, 0x00]), algorithm, der(0x04, ecPrivateKey));
}
const scalarOf = (pkcs8) => Buffer.from(privateKeyOf(pkcs8).export({ format: "jwk" }).d, "base64url");

for (const alg of ["ES256", "ES384", "ES512", "EdDSA"]) {
  test(`${alg}: derivePublic of the pair just generated is OpenSSL's public half, with no second derivation`, () => {
    const { host, counted } = countingHost();
    const pkcs8 = host.generateKeyPair(alg);
    const asked = alg === "EdDSA" ? pkcs8 : minimalEc(alg, scalarOf(pkcs8));
    const before = counted.parses;
    assert.deepEqual(Buffer.from(host.derivePublic(alg, asked)), spkiOf(pkcs8));
    assert.equal(counted.parses, before, "derived again");
    // Asked again: the remembered pair is spent, OpenSSL derives (the same key).
    assert.deepEqual(Buffer.from(host.derivePublic(alg, asked)), spkiOf(pkcs8));
    assert.equal(counted.parses, before + 1);
  });

  test(`${alg}: derivePublic of another key, after a generation, is that key's public half`, () => {
    const { host } = countingHost();
    const mine = host.generateKeyPair(alg);
    const other = host.generateKeyPair(alg);
    const form = (pkcs8) => (alg === "EdDSA" ? pkcs8 : minimalEc(alg, scalarOf(pkcs8)));
    assert.deepEqual(Buffer.from(host.derivePublic(alg, form(mine))), spkiOf(mine));
    assert.deepEqual(Buffer.from(host.derivePublic(alg, form(other))), spkiOf(other));
  });
}

test("the generated scalar under another algorithm identifier is not the generated key", () => {
  const { host, counted } = countingHost();
  const pkcs8 = host.generateKeyPair("ES256");
  const d = scalarOf(pkcs8);
  const before = counted.parses;
  // P-256's scalar labelled secp256k1 (1.3.132.0.10): OpenSSL decides, never the remembered pair.
  const k1 = der(0x30, Buffer.from([0x02, 0x01, 0x00]), der(0x30, EC_PUBLIC_KEY, Buffer.from("06052b8104000a", "hex")), der(0x04, der(0x30, Buffer.from([0x02, 0x01, 0x01]), der(0x04, d))));
  let answer;
  try {
    answer = Buffer.from(host.derivePublic("ES256", k1));
  } catch (e) {
    assert.ok(e instanceof TypeError);
  }
  assert.equal(counted.parses, before + 1);
  if (answer) assert.notDeepEqual(answer, spkiOf(pkcs8));
});

test("malformed DER is left to OpenSSL, which refuses it without describing it", () => {
  const { host } = countingHost();
  host.generateKeyPair("ES256");
  for (const bad of [new Uint8Array(0), Uint8Array.of(0x30), Uint8Array.of(0x30, 0x82, 0xff, 0xff), Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00)]) {
    assert.throws(() => host.derivePublic("ES256", bad), (e) => e instanceof TypeError && e.message === "node:crypto could not derive the public key");
  }
});
