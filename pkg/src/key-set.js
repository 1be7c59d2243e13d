// `KeySet`: a set of keys a token's `kid` (or else its `alg`) picks from, and `withWasmKeySet`,
// which turns any accepted key source into a core key set for one call.
import { JwtError, argError, callCore } from "./errors.js";
import { INSPECT, isPlainObject, toJsonText } from "./options.js";
import { MAX_JWKS_SIZE } from "./tables.js";

/**
 * @param {{ core: any, Key: any, innerKey: (key: any) => any }} ctx
 * @returns {{ KeySet: any, withWasmKeySet: <T>(keys: unknown, use: (set: any) => T) => T }}
 */
export function createKeySet({ core, Key, innerKey }) {
  const CONSTRUCT = Symbol("jwtward.construct");
  let innerKeySet;

  /** A set of keys; a token's `kid` (or else its `alg`) picks the key that verifies it. */
  class KeySet {
    #inner;

    /** @internal Use `KeySet.fromJwks`, `KeySet.fromX509Map` or `KeySet.of`. */
    constructor(inner, token) {
      if (token !== CONSTRUCT) throw argError("use KeySet.fromJwks, KeySet.fromX509Map or KeySet.of to create a KeySet");
      this.#inner = inner;
    }

    static {
      innerKeySet = (s) => s.#inner;
    }

    /** A set from a JWKS object `{ keys: [...] }`; unsupported keys are skipped, a malformed JWKS throws ERR_JWKS_INVALID. */
    static fromJwks(jwks) {
      if (!isPlainObject(jwks) || !Array.isArray(jwks.keys)) {
        const certificates = isPlainObject(jwks) && Object.values(jwks).some((v) => typeof v === "string" && v.includes("-----BEGIN CERTIFICATE-----"));
        const hint = certificates ? ": this is a { kid: certificate } map (as Google publishes for Firebase), load it with KeySet.fromX509Map" : "";
        throw new JwtError("ERR_JWKS_INVALID", `a JWKS must be an object with a "keys" array${hint}`);
      }
      const text = toJsonText(jwks, "the JWKS");
      if (text.length > MAX_JWKS_SIZE) throw new JwtError("ERR_JWKS_INVALID", `JWKS is longer than the ${MAX_JWKS_SIZE} bytes allowed`);
      return new KeySet(callCore(core.WasmKeySet.fromJwks, text), CONSTRUCT);
    }

    /**
     * A set from a `{ [kid]: certificatePem }` document, the form Google publishes for Firebase ID
     * tokens: each certificate's public key, under its member's name as `kid`. Only the key is
     * taken: the certificates' chain, dates and extensions are not checked. Certificates that are
     * malformed or hold an unsupported key are skipped; a value that is not a string throws
     * ERR_JWKS_INVALID.
     */
    static fromX509Map(map) {
      if (!isPlainObject(map)) {
        throw new JwtError("ERR_JWKS_INVALID", 'KeySet.fromX509Map expects an object { "<kid>": "-----BEGIN CERTIFICATE-----..." }');
      }
      const text = toJsonText(map, "the certificate map");
      if (text.length > MAX_JWKS_SIZE) throw new JwtError("ERR_JWKS_INVALID", `the certificate map is longer than the ${MAX_JWKS_SIZE} bytes allowed`);
      return new KeySet(callCore(core.WasmKeySet.fromX509Map, text), CONSTRUCT);
    }

    /** A set of the given keys (copied in). */
    static of(keys) {
      if (!Array.isArray(keys)) throw argError("KeySet.of expects an array of Key");
      const set = new core.WasmKeySet();
      for (const k of keys) {
        if (!(k instanceof Key)) throw argError("KeySet.of expects an array of Key");
        callCore(() => set.add(innerKey(k)));
      }
      return new KeySet(set, CONSTRUCT);
    }

    /** The number of usable keys. */
    get size() {
      return this.#inner.size;
    }

    /** The public parts as a JWKS (secrets are never exported). */
    toJwks() {
      return JSON.parse(callCore(() => this.#inner.toJwks()));
    }

    get [Symbol.toStringTag]() {
      return "KeySet";
    }

    [INSPECT]() {
      return `KeySet { size: ${this.size} }`;
    }
  }

  /**
   * Runs `use` with any accepted key source as a core key set. The core copies what it keeps,
   * so a set built here just for this call is freed at once rather than left to the GC.
   */
  function withWasmKeySet(keys, use) {
    if (keys instanceof KeySet) return use(innerKeySet(keys));
    let key;
    if (keys instanceof Key) key = keys;
    else if (isPlainObject(keys) && Array.isArray(keys.keys)) key = null;
    else if (isPlainObject(keys) && typeof keys.kty === "string") key = Key.fromJwk(keys);
    else throw argError("keys must be a Key, a KeySet, a remoteKeySet, a JWK object or a JWKS object { keys: [...] }");
    // One key given alone (not a set): the core lets it verify whatever kid the token
    // carries when the key has no kid of its own, as jose and jsonwebtoken do.
    const set = key === null ? innerKeySet(KeySet.fromJwks(keys)) : callCore(() => core.WasmKeySet.single(innerKey(key)));
    try {
      return use(set);
    } finally {
      set.free();
    }
  }

  return { KeySet, withWasmKeySet };
}
