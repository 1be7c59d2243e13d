// The host-native signature backend for Node: RSA, RSA-PSS, ECDSA and Ed25519 signatures
// checked by node:crypto (OpenSSL) instead of in wasm. The core calls `verify` at the
// signature step, after its own checks of the signature (src/crypto/host.rs); the protocol is
// documented in src/wasm/host.rs. Each key is imported once, from the SPKI DER the core derives,
// into a KeyObject cached under the key's id (ids are never reused). A pure factory (no
// require): pkg/index.cjs passes node:crypto in.
"use strict";

/** The algorithms in the core's order (`Alg::ALL`): `alg` arrives as an index into this list. */
const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
/** Imported keys kept at most; the oldest is dropped (and re-imported on its next use). */
const MAX_KEYS = 1024;
const NOT_IMPORTED = -1;
const NOT_HANDLED = -2;

/** @param {typeof import("node:crypto")} crypto */
module.exports = function createNodeCrypto(crypto) {
  const { RSA_PKCS1_PSS_PADDING } = crypto.constants;
  // Per algorithm: the digest name and how the KeyObject is wrapped for crypto.verify.
  const SPECS = ALGS.map((alg) => {
    const bits = alg.slice(2);
    const hash = alg === "EdDSA" ? null : `sha${bits}`;
    if (alg.startsWith("PS")) return { hash, wrap: (key) => ({ key, padding: RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 }) };
    if (alg.startsWith("ES")) return { hash, wrap: (key) => ({ key, dsaEncoding: "ieee-p1363" }) };
    return { hash, wrap: (key) => key };
  });
  /** id -> { keyObject, byAlg: the verify arguments per algorithm } (null: not importable). */
  const keys = new Map();

  return {
    verify(id, alg, msg, sig) {
      const entry = keys.get(id);
      if (entry === undefined) return NOT_IMPORTED;
      if (entry === null) return NOT_HANDLED;
      const spec = SPECS[alg];
      if (spec === undefined) return NOT_HANDLED;
      let key = entry.byAlg[alg];
      if (key === undefined) key = entry.byAlg[alg] = spec.wrap(entry.keyObject);
      return crypto.verify(spec.hash, msg, key, sig) ? 1 : 0;
    },
    importKey(id, _alg, spki) {
      let entry = null;
      try {
        // `spki` is a view of wasm memory: copied, since the KeyObject outlives this call.
        entry = { keyObject: crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }), byAlg: [] };
      } catch {
        // Left to the core, which accepted the key.
      }
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
      keys.set(id, entry);
    },
  };
};
