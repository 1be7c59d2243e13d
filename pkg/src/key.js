// `Key`: one verification or signing key, a thin wrapper that keeps the core's key object
// private. Built per API instance over its core (see api.js).
import { JwtError, argError, callCore, needsHostCrypto } from "./errors.js";
import { INSPECT, keyOptions, toJsonText } from "./options.js";

/**
 * @param {{ core: any, asyncOnly?: boolean }} ctx `asyncOnly`: the core has no synchronous
 *   asymmetric crypto (slim module in browsers and workerd), so a private key without its public
 *   half (whose public key only curve arithmetic could compute) cannot be loaded: the error says
 *   which form to give instead
 * @returns {{ Key: any, innerKey: (key: any) => any, wrapKey: (inner: any) => any }} the class,
 *   and for the other files of this API: the core key of a Key, and a Key around a core key
 */
export function createKey({ core, asyncOnly = false }) {
  /** The core's key import, with the slim web module's refusal explained in terms of key formats. */
  function importKey(fn, ...args) {
    try {
      return callCore(fn, ...args);
    } catch (e) {
      if (!asyncOnly || !needsHostCrypto(e)) throw e;
      throw new JwtError(
        "ERR_JOSE_NOT_SUPPORTED",
        "this EC or Ed25519 private key comes without its public key, which only curve arithmetic can compute, and " +
          "this entry (the default in browsers and workers) has none: give the key with its public half (a JWK with " +
          '"x" (and "y"), as WebCrypto\'s exportKey("jwk") writes it, or PKCS#8 / SEC1 that carries the public key), ' +
          'or import "jwtward/full"',
        { cause: e },
      );
    }
  }

  const CONSTRUCT = Symbol("jwtward.construct");
  let innerKey;

  /**
   * A verification or signing key: an HMAC secret, or an RSA, EC (P-256/384/521) or Ed25519 key.
   * Secret and private material stays inside the wasm core and never appears in messages or inspection.
   */
  class Key {
    #inner;

    /** @internal Use `Key.fromSecret`, `Key.fromPem`, `Key.fromJwk` or `generateKeyPair`. */
    constructor(inner, token) {
      if (token !== CONSTRUCT) throw argError("use Key.fromSecret, Key.fromPem, Key.fromJwk or generateKeyPair to create a Key");
      this.#inner = inner;
    }

    static {
      innerKey = (k) => k.#inner;
    }

    /** An HMAC key; a string secret is taken as its UTF-8 bytes. */
    static fromSecret(secret, opts) {
      let bytes;
      if (typeof secret === "string") bytes = new TextEncoder().encode(secret);
      else if (secret instanceof Uint8Array) bytes = secret;
      else throw argError("Key.fromSecret: the secret must be a string or a Uint8Array");
      const o = keyOptions(opts, "Key.fromSecret options");
      return new Key(callCore(core.WasmKey.fromSecret, bytes, o.alg, o.kid), CONSTRUCT);
    }

    /**
     * A key from PEM text: SPKI or PKCS#1 public keys, PKCS#8 or SEC1 private keys, or an X.509
     * certificate, of which only the public key is used (its chain, dates and extensions are not
     * checked). Indentation, CRLF and literal `\n` in a one-line value are tolerated.
     */
    static fromPem(pem, opts) {
      if (typeof pem !== "string") throw argError("Key.fromPem: the PEM must be a string");
      const o = keyOptions(opts, "Key.fromPem options");
      return new Key(importKey(core.WasmKey.fromPem, pem, o.alg, o.kid), CONSTRUCT);
    }

    /** A key from a JWK object (kty RSA, EC, OKP or oct); with only `x5c`, its first certificate's key. */
    static fromJwk(jwk) {
      if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) throw argError("Key.fromJwk: the JWK must be an object");
      return new Key(importKey(core.WasmKey.fromJwk, toJsonText(jwk, "the JWK")), CONSTRUCT);
    }

    /** The key id, if any. */
    get kid() {
      return this.#inner.kid;
    }
    /** The algorithm this key is restricted to, if any. */
    get alg() {
      return this.#inner.alg;
    }
    /** "RSA", "EC", "OKP" or "oct". */
    get kty() {
      return this.#inner.kty;
    }
    /** True for private keys and HMAC secrets. */
    get isPrivate() {
      return this.#inner.isPrivate;
    }

    /** The public part as a JWK; throws `JwtError` for HMAC secrets, which have none. */
    toPublicJwk() {
      return JSON.parse(callCore(() => this.#inner.toPublicJwk()));
    }

    get [Symbol.toStringTag]() {
      return "Key";
    }

    [INSPECT]() {
      return `Key { kty: ${JSON.stringify(this.kty)}, alg: ${JSON.stringify(this.alg)}, kid: ${JSON.stringify(this.kid)}, isPrivate: ${this.isPrivate} }`;
    }
  }

  return { Key, innerKey, wrapKey: (inner) => new Key(inner, CONSTRUCT) };
}
