// The host-native crypto for Node (protocol v2, documented in src/wasm/host.rs): RSA, RSA-PSS,
// ECDSA and Ed25519 signatures checked and made by node:crypto (OpenSSL) instead of in wasm,
// key pairs generated and public keys derived by it. The core calls `verify` at the signature
// step, after its own checks of the signature (src/crypto/host.rs), and `sign` with keys it has
// parsed and checked; it checks the form of every signature and imports every key this file
// returns. Algorithms arrive by their JOSE name. Each key is imported once, from the SPKI
// (public) or PKCS#8 (private) DER the core derives, into a KeyObject cached under the key's id
// (ids are never reused). Errors never carry key material: they are swallowed here and the core
// reports its own. Pure factories (nothing imported): the Node, Deno and Bun entries pass
// node:crypto in, through `nodeRuntime` below.

/** Imported keys kept at most, per kind; the oldest is dropped (and re-imported on its next use). */
const MAX_KEYS = 1024;
const NOT_IMPORTED = -1;
const NOT_HANDLED = -2;

/**
 * One DER element at `at`: its tag and where its contents start and end (null if malformed).
 * @param {Uint8Array} der
 */
function element(der, at) {
  if (at + 2 > der.length) return null;
  const tag = der[at];
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || start + count > der.length) return null;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i];
    start += count;
  }
  return start + length > der.length ? null : { tag, start, end: start + length };
}

/**
 * A PKCS#8 key's AlgorithmIdentifier and private bytes: an EC key's scalar d (RFC 5915
 * ECPrivateKey) or an Ed25519 seed (RFC 8410), or null for any other shape.
 * @param {Uint8Array} der
 */
function privateParts(der) {
  const SEQUENCE = 0x30, INTEGER = 0x02, OCTETS = 0x04;
  const outer = element(der, 0);
  if (!outer || outer.tag !== SEQUENCE) return null;
  const version = element(der, outer.start);
  if (!version || version.tag !== INTEGER) return null;
  const algorithm = element(der, version.end);
  if (!algorithm || algorithm.tag !== SEQUENCE) return null;
  const wrapped = element(der, algorithm.end);
  if (!wrapped || wrapped.tag !== OCTETS) return null;
  const inner = element(der, wrapped.start);
  if (!inner) return null;
  let key = inner;
  if (inner.tag === SEQUENCE) {
    const ecVersion = element(der, inner.start);
    key = ecVersion && ecVersion.tag === INTEGER ? element(der, ecVersion.end) : null;
  }
  if (!key || key.tag !== OCTETS) return null;
  return { algorithm: der.subarray(version.end, algorithm.end), key: der.subarray(key.start, key.end) };
}

/** @param {typeof import("node:crypto")} crypto */
export function createNodeCrypto(crypto) {
  const { RSA_PKCS1_PSS_PADDING } = crypto.constants;
  /** Per algorithm name: the digest and how a KeyObject is wrapped for crypto.verify/sign. */
  const SPECS = new Map();
  for (const alg of ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]) {
    const bits = alg.slice(2);
    const hash = alg === "EdDSA" ? null : `sha${bits}`;
    let wrap = (key) => key;
    if (alg.startsWith("PS")) wrap = (key) => ({ key, padding: RSA_PKCS1_PSS_PADDING, saltLength: Number(bits) / 8 });
    if (alg.startsWith("ES")) wrap = (key) => ({ key, dsaEncoding: "ieee-p1363" });
    SPECS.set(alg, { hash, wrap });
  }
  /** What node:crypto generates for each algorithm (RSA: 2048 bits, e = 65537, as the core). */
  const GENERATE = {
    RS: ["rsa", { modulusLength: 2048, publicExponent: 65537 }],
    PS: ["rsa", { modulusLength: 2048, publicExponent: 65537 }],
    ES256: ["ec", { namedCurve: "P-256" }],
    ES384: ["ec", { namedCurve: "P-384" }],
    ES512: ["ec", { namedCurve: "P-521" }],
    EdDSA: ["ed25519", {}],
  };
  /** id -> { keyObject, byAlg: the wrapped key per algorithm } (null: not importable). */
  const keys = new Map();
  const privateKeys = new Map();
  /** The last EC or Ed25519 pair generateKeyPair made (its private parts and SPKI), until derivePublic asks for its public half. */
  let generated = null;

  /** Equal lengths and bytes, in time independent of the bytes (they are private keys). */
  function sameBytes(a, b) {
    return a.length === b.length && crypto.timingSafeEqual(a, b);
  }

  function remember(map, id, entry) {
    if (map.size >= MAX_KEYS) map.delete(map.keys().next().value);
    map.set(id, entry);
  }

  function wrapped(entry, alg, spec) {
    let key = entry.byAlg.get(alg);
    if (key === undefined) {
      key = spec.wrap(entry.keyObject);
      entry.byAlg.set(alg, key);
    }
    return key;
  }

  return {
    verify(id, alg, msg, sig) {
      const entry = keys.get(id);
      if (entry === undefined) return NOT_IMPORTED;
      const spec = SPECS.get(alg);
      if (entry === null || spec === undefined) return NOT_HANDLED;
      return crypto.verify(spec.hash, msg, wrapped(entry, alg, spec), sig) ? 1 : 0;
    },
    importKey(id, _alg, spki) {
      let entry = null;
      try {
        // `spki` is a view of wasm memory: copied, since the KeyObject outlives this call.
        entry = { keyObject: crypto.createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" }), byAlg: new Map() };
      } catch {
        // Left to the core, which accepted the key.
      }
      remember(keys, id, entry);
    },
    /** The JWS signature, or undefined when private key `id` is not imported yet. */
    sign(id, alg, msg) {
      const entry = privateKeys.get(id);
      if (entry === undefined) return undefined;
      const spec = SPECS.get(alg);
      if (spec === undefined) throw new TypeError(`${alg} is not signed by this host`);
      return crypto.sign(spec.hash, msg, wrapped(entry, alg, spec));
    },
    importPrivateKey(id, _alg, pkcs8) {
      let keyObject;
      try {
        keyObject = crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
      } catch {
        // Never rethrown: OpenSSL's message could describe the key.
        throw new TypeError("node:crypto could not import the private key");
      }
      remember(privateKeys, id, { keyObject, byAlg: new Map() });
    },
    /** A new private key for `alg`, as PKCS#8 DER. */
    generateKeyPair(alg) {
      const spec = GENERATE[alg] || GENERATE[alg.slice(0, 2)];
      if (spec === undefined || alg.startsWith("HS")) throw new TypeError(`${alg} keys are not generated by this host`);
      const { privateKey, publicKey } = crypto.generateKeyPairSync(spec[0], spec[1]);
      const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" });
      // EC and Ed25519: the core asks derivePublic for this key's public half next.
      const parts = spec[0] === "rsa" ? null : privateParts(pkcs8);
      generated = parts && { ...parts, spki: publicKey.export({ format: "der", type: "spki" }) };
      return pkcs8;
    },
    /** The SPKI DER of the public half of a PKCS#8 private key. */
    derivePublic(_alg, pkcs8) {
      // The public half of the pair just generated (the core re-encodes the private key, so the
      // algorithm and private bytes are compared, not the DER): OpenSSL made it already.
      const last = generated;
      generated = null;
      const asked = last && privateParts(pkcs8);
      if (asked && sameBytes(asked.algorithm, last.algorithm) && sameBytes(asked.key, last.key)) return last.spki;
      try {
        const privateKey = crypto.createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" });
        return crypto.createPublicKey(privateKey).export({ format: "der", type: "spki" });
      } catch {
        throw new TypeError("node:crypto could not derive the public key");
      }
    },
  };
}

/**
 * What the Node, Deno and Bun entries (slim or full) give `createApi`: `core` with this host
 * installed, and node:crypto's SHA-256 for the verified-token cache. `backend` "wasm" leaves the
 * core without a host (tests and comparisons; the slim core then has no asymmetric crypto).
 * @param {any} core the wasm-bindgen module, initialised
 * @param {typeof import("node:crypto")} crypto
 * @param {string | undefined} backend JWTWARD_BACKEND: "node" (the default) or "wasm"
 */
export function nodeRuntime(core, crypto, backend) {
  const chosen = backend || "node";
  if (chosen !== "wasm" && chosen !== "node") {
    throw new TypeError(`JWTWARD_BACKEND must be "node" or "wasm", got ${JSON.stringify(backend)}`);
  }
  if (chosen === "node") core.setHostCrypto(createNodeCrypto(crypto));
  // node:crypto's one-shot hash where the runtime has it (Node 21.7+), else a Hash object.
  const hashToken = typeof crypto.hash === "function"
    ? (token) => crypto.hash("sha256", token, "base64url")
    : (token) => crypto.createHash("sha256").update(token).digest("base64url");
  return { core, hashToken };
}
