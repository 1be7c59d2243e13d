// The asynchronous host backend for browsers and workerd: `verifyAsync` has RSA, RSA-PSS, ECDSA
// and Ed25519 signatures checked by WebCrypto (native code there, 5 to 20 times faster than the
// same arithmetic in wasm), in the two passes described in src/wasm/host.rs: the core runs
// every check up to the signature, this file asks `crypto.subtle.verify`, the core runs the
// rest. Keys are imported once from the SPKI DER the core derives, cached under the key's id
// (ids are never reused). A key or algorithm WebCrypto refuses (Ed25519 in an older browser)
// is answered `undefined`, and the core verifies it instead. A pure factory (no require).
"use strict";

const CURVES = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
/** Imported keys kept at most; the oldest is dropped (and imported again on its next use). */
const MAX_KEYS = 1024;

/** WebCrypto's names for a JWS algorithm: how to import the key, and how to verify. */
function params(alg) {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith("RS")) return { importAs: { name: "RSASSA-PKCS1-v1_5", hash }, verifyAs: { name: "RSASSA-PKCS1-v1_5" } };
  if (alg.startsWith("PS")) return { importAs: { name: "RSA-PSS", hash }, verifyAs: { name: "RSA-PSS", saltLength: Number(alg.slice(2)) / 8 } };
  if (alg.startsWith("ES")) return { importAs: { name: "ECDSA", namedCurve: CURVES[alg] }, verifyAs: { name: "ECDSA", hash } };
  if (alg === "EdDSA") return { importAs: { name: "Ed25519" }, verifyAs: { name: "Ed25519" } };
  return null;
}

/** The layout version of the core's requests (src/crypto/deferred.rs, `REQUEST_VERSION`). */
const REQUEST_VERSION = 2;

/**
 * Reads a request packed by the core (src/crypto/deferred.rs, `pack_request`): the request id
 * (pass it back with the verdict: the core applies a verdict only to the exact signature its
 * request carried), the key id, the algorithm's name, the signing input and the signature, as
 * views of `packed`.
 */
function unpack(packed) {
  if (packed[0] !== REQUEST_VERSION) throw new TypeError(`jwtward: the core's request is version ${packed[0]}, this host reads ${REQUEST_VERSION}`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const nameEnd = 18 + packed[17];
  const alg = String.fromCharCode(...packed.subarray(18, nameEnd));
  const msgEnd = nameEnd + 4 + view.getUint32(nameEnd, true);
  return {
    requestId: view.getFloat64(1, true),
    keyId: view.getFloat64(9, true),
    alg,
    msg: packed.subarray(nameEnd + 4, msgEnd),
    sig: packed.subarray(msgEnd),
  };
}

/**
 * @param {SubtleCrypto} subtle
 * @param {(keyId: number) => Uint8Array | undefined} spkiOf the core's `hostKeySpki`
 */
module.exports = function createWebCrypto(subtle, spkiOf) {
  /** alg name -> WebCrypto parameters (null: not a WebCrypto algorithm). */
  const PARAMS = new Map();
  const paramsOf = (alg) => {
    if (!PARAMS.has(alg)) PARAMS.set(alg, params(alg));
    return PARAMS.get(alg);
  };
  /** `${id}/${alg}` -> Promise of a CryptoKey, or of null when WebCrypto refused the key. */
  const keys = new Map();

  function importKey(keyId, alg, p) {
    const cacheKey = `${keyId}/${alg}`;
    let key = keys.get(cacheKey);
    if (key === undefined) {
      const spki = spkiOf(keyId);
      if (spki === undefined) return null;
      key = subtle.importKey("spki", spki, p.importAs, false, ["verify"]).catch(() => null);
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
      keys.set(cacheKey, key);
    }
    return key;
  }

  return {
    unpack,
    /**
     * The verdict on a packed core request: true or false, or undefined when WebCrypto cannot
     * check it (the core then does).
     */
    async verify(packed) {
      const { alg, keyId, msg, sig } = unpack(packed);
      const p = paramsOf(alg);
      if (!p) return undefined;
      const key = await importKey(keyId, alg, p);
      if (key === null) return undefined;
      try {
        return await subtle.verify(p.verifyAs, key, sig, msg);
      } catch {
        return undefined;
      }
    },
  };
};
