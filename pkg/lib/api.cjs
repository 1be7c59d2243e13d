// The whole public JavaScript API of jwtward, written once as a factory over the
// wasm-bindgen module (`jwtward_core`). Each runtime entry (Node CJS/ESM today, browsers and
// workerd later) loads the core its own way and calls `createApi(core)`. This file holds the
// JS-side contract: argument validation (so a typo in an option never silently disables a
// check), the single conversion of core errors into `JwtError`, thin wrapper classes that keep
// the wasm objects private, and `bearerToken`, which is plain JS. No runtime dependencies.
"use strict";

/** Names accepted in `ClaimOptions`, the claim checks shared by `Verifier` and `checkClaims`. */
const CLAIM_OPTION_NAMES = [
  "issuer",
  "audience",
  "subject",
  "clockTolerance",
  "maxTokenAge",
  "requiredClaims",
  "requiredScopes",
  "requiredRoles",
  "claims",
  "currentDate",
];
/** Names accepted in `VerifyOptions`: the claim checks plus the header checks and limits. */
const VERIFY_OPTION_NAMES = ["algorithms", "typ", "maxTokenSize", "cache", ...CLAIM_OPTION_NAMES];
const SIGNER_OPTION_NAMES = ["alg", "kid", "typ", "issuer", "audience", "expiresIn", "notBefore", "jti"];
const SIGN_OVERRIDE_NAMES = ["expiresIn", "subject", "currentDate"];
const KEY_OPTION_NAMES = ["alg", "kid"];
/** The JWS algorithms jwtward supports (`none` is deliberately absent). */
const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * The core's input limits (DEFAULT_MAX_TOKEN_SIZE in src/decode.rs, MAX_JWKS_SIZE in
 * src/keys/jwks.rs), checked here too: a string passed to wasm is first copied into wasm memory,
 * which never shrinks, so oversized input is refused before it crosses. A string's length in
 * UTF-16 code units never exceeds its UTF-8 length, so nothing the core accepts is refused here.
 */
const DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;
const MAX_JWKS_SIZE = 256 * 1024;

/** RFC 6750 section 2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
 * Linear on any input: anchored, and each repetition is followed by a disjoint class. */
const BEARER_RE = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;
/** A longer Authorization value is refused before any work: far above any token a Verifier
 * would take in practice (HTTP servers cap a header well below this). */
const MAX_AUTHORIZATION_LENGTH = 1024 * 1024 + 1024;

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Builds the public API over one instance of the wasm-bindgen module.
 * @param {typeof import("../dist/node/jwtward_core.js")} core
 * @param {{ createRemote: Function, createRefresh: Function, createCache: Function, hashToken?: (token: string) => string }} parts
 *   the factories of the other lib/ files, passed in because these files are also shipped as ES
 *   modules and so cannot `require` each other; `hashToken` is the host's SHA-256, if it has
 *   one; `asyncCrypto` checks signatures for `verifyAsync` (WebCrypto, lib/webcrypto.cjs), if the
 *   runtime's is faster than the core's
 */
module.exports = function createApi(core, parts) {
  /**
   * The one error class of jwtward. `code` is stable (the `jose` vocabulary); claim failures
   * also carry `claim` (e.g. "exp", "aud") and `reason` ("missing", "check_failed", "invalid").
   */
  class JwtError extends Error {
    /**
     * @param {string} code one of the `ErrorCode` strings
     * @param {string} message what went wrong, in words a person can act on
     * @param {{ claim?: string, reason?: string, cause?: unknown }} [options]
     */
    constructor(code, message, options = {}) {
      super(message, options.cause === undefined ? undefined : { cause: options.cause });
      this.code = code;
      if (options.claim !== undefined) this.claim = options.claim;
      if (options.reason !== undefined) this.reason = options.reason;
    }
  }
  Object.defineProperty(JwtError.prototype, "name", { value: "JwtError", writable: true, configurable: true });

  /** The single conversion point: an error thrown by the core becomes a `JwtError`; anything else is rethrown unchanged. */
  function convertError(e) {
    if (e instanceof JwtError) return e;
    if (e instanceof Error && e.name === "JwtError" && typeof e.code === "string") {
      const converted = new JwtError(e.code, e.message, {
        claim: typeof e.claim === "string" ? e.claim : undefined,
        reason: typeof e.reason === "string" ? e.reason : undefined,
      });
      // Start the stack at the public function the user called, not inside this file.
      if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(converted, callCore);
      return converted;
    }
    return e;
  }

  /** Runs one core call, converting its errors. */
  function callCore(fn, ...args) {
    try {
      return fn(...args);
    } catch (e) {
      throw convertError(e);
    }
  }

  // ---------------------------------------------------------------- argument helpers

  function isPlainObject(v) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  }

  function checkOptionNames(options, allowed, what) {
    if (options === undefined) return Object.create(null);
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw argError(`${what} must be an object`);
    }
    for (const name of Object.keys(options)) {
      if (!allowed.includes(name)) {
        throw argError(`${what}: unknown option "${name}" (known options: ${allowed.join(", ")})`);
      }
    }
    // Own enumerable properties only, so what is validated is exactly what is serialised; no
    // prototype either, so a polluted Object.prototype (say a `currentDate`) is never read.
    return Object.assign(Object.create(null), options);
  }

  function isStringArray(v) {
    return Array.isArray(v) && v.every((s) => typeof s === "string");
  }

  /**
   * A misuse of the API (not a rejected token): a TypeError carrying the same code as the ones
   * the core raises for bad options, so callers can tell the two apart by `code` alone.
   */
  function argError(message) {
    const e = new TypeError(message);
    e.code = "ERR_INVALID_ARG_VALUE";
    return e;
  }

  function expect(ok, what, expected) {
    if (!ok) throw argError(`${what} must be ${expected}`);
  }

  function checkAlg(v, what) {
    if (typeof v !== "string" || !ALGS.includes(v)) {
      throw argError(`${what} must be one of ${ALGS.join(", ")}; got ${typeof v === "string" ? JSON.stringify(v.slice(0, 32)) : typeof v}`);
    }
  }

  function checkDuration(v, what) {
    expect(
      (typeof v === "number" && Number.isFinite(v) && v >= 0) || typeof v === "string",
      what,
      'a number of seconds or a duration string such as "30s", "5m"',
    );
  }

  const utf8Encoder = new TextEncoder();
  let utf8Buffer = new Uint8Array(4096);
  /**
   * The token as UTF-8 bytes in a reused buffer (valid until the next call): handing these to the
   * core is cheaper than wasm-bindgen's per-character copy of a string. Very long tokens (which
   * the core refuses anyway, unless maxTokenSize allows them) get a buffer of their own.
   */
  function utf8(token) {
    const need = token.length * 3;
    const buffer = need <= utf8Buffer.length ? utf8Buffer : need <= 1 << 16 ? (utf8Buffer = new Uint8Array(need)) : new Uint8Array(need);
    return buffer.subarray(0, utf8Encoder.encodeInto(token, buffer).written);
  }

  /** Epoch seconds from `currentDate` (Date or epoch seconds), or the wall clock. */
  function nowFrom(currentDate) {
    if (currentDate === undefined) return Date.now() / 1000;
    return currentDate instanceof Date ? currentDate.getTime() / 1000 : currentDate;
  }

  function checkCurrentDate(v, what) {
    if (v === undefined) return;
    expect(
      (v instanceof Date && !Number.isNaN(v.getTime())) || (typeof v === "number" && Number.isFinite(v)),
      what,
      "a valid Date or a number of epoch seconds",
    );
  }

  /**
   * Validates claim options in JS so a wrong type or a typo fails loudly before crossing into wasm.
   * The core validates the JSON it receives too, but JSON.stringify is lossy in exactly the
   * dangerous direction: NaN becomes null and undefined or a function disappears, which the core
   * would read as "option not set" and silently skip a check. So values are checked here, before
   * serialising.
   */
  function checkClaimOptionValues(o) {
    const has = (k) => o[k] !== undefined;
    if (has("issuer")) expect(typeof o.issuer === "string" || isStringArray(o.issuer), "options.issuer", "a string or an array of strings");
    if (has("audience")) expect(typeof o.audience === "string" || isStringArray(o.audience), "options.audience", "a string or an array of strings");
    if (has("subject")) expect(typeof o.subject === "string", "options.subject", "a string");
    if (has("clockTolerance")) checkDuration(o.clockTolerance, "options.clockTolerance");
    if (has("maxTokenAge")) checkDuration(o.maxTokenAge, "options.maxTokenAge");
    for (const k of ["requiredClaims", "requiredScopes", "requiredRoles"]) {
      if (has(k)) expect(isStringArray(o[k]), `options.${k}`, "an array of strings");
    }
    if (has("claims")) {
      expect(
        isPlainObject(o.claims) &&
          Object.values(o.claims).every((v) => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))),
        "options.claims",
        "an object whose values are strings, numbers or booleans",
      );
    }
    checkCurrentDate(o.currentDate, "options.currentDate");
  }

  /** JSON text of the options without `currentDate` and `cache`, which stay in JS. */
  function optionsJson(o) {
    const { currentDate: _date, cache: _cache, ...rest } = o;
    return JSON.stringify(rest);
  }

  function toJsonText(value, what) {
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw argError(`${what} cannot be serialised to JSON: ${e && e.message}`);
    }
    if (typeof text !== "string") throw argError(`${what} cannot be serialised to JSON`);
    return text;
  }

  function checkToken(token, maxSize = DEFAULT_MAX_TOKEN_SIZE) {
    if (typeof token !== "string") {
      throw new JwtError("ERR_JWT_INVALID", `a token must be a string, got ${token === null ? "null" : typeof token}`);
    }
    if (token.length > maxSize) throw new JwtError("ERR_JWT_INVALID", `token is longer than the ${maxSize} bytes allowed`);
  }

  function keyOptions(opts, what) {
    const o = checkOptionNames(opts, KEY_OPTION_NAMES, what);
    if (o.alg !== undefined) checkAlg(o.alg, `${what}.alg`);
    if (o.kid !== undefined) expect(typeof o.kid === "string", `${what}.kid`, "a string");
    return o;
  }

  // ---------------------------------------------------------------- keys

  const CONSTRUCT = Symbol("jwtward.construct");
  let innerKey;
  let innerKeySet;

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

    /** A key from PEM text: SPKI or PKCS#1 public keys, PKCS#8 or SEC1 private keys. */
    static fromPem(pem, opts) {
      if (typeof pem !== "string") throw argError("Key.fromPem: the PEM must be a string");
      const o = keyOptions(opts, "Key.fromPem options");
      return new Key(callCore(core.WasmKey.fromPem, pem, o.alg, o.kid), CONSTRUCT);
    }

    /** A key from a JWK object (kty RSA, EC, OKP or oct). */
    static fromJwk(jwk) {
      if (jwk === null || typeof jwk !== "object" || Array.isArray(jwk)) throw argError("Key.fromJwk: the JWK must be an object");
      return new Key(callCore(core.WasmKey.fromJwk, toJsonText(jwk, "the JWK")), CONSTRUCT);
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

  /** A set of keys; a token's `kid` (or else its `alg`) picks the key that verifies it. */
  class KeySet {
    #inner;

    /** @internal Use `KeySet.fromJwks` or `KeySet.of`. */
    constructor(inner, token) {
      if (token !== CONSTRUCT) throw argError("use KeySet.fromJwks or KeySet.of to create a KeySet");
      this.#inner = inner;
    }

    static {
      innerKeySet = (s) => s.#inner;
    }

    /** A set from a JWKS object `{ keys: [...] }`; unsupported keys are skipped, a malformed JWKS throws ERR_JWKS_INVALID. */
    static fromJwks(jwks) {
      if (!isPlainObject(jwks) || !Array.isArray(jwks.keys)) {
        throw new JwtError("ERR_JWKS_INVALID", 'a JWKS must be an object with a "keys" array');
      }
      const text = toJsonText(jwks, "the JWKS");
      if (text.length > MAX_JWKS_SIZE) throw new JwtError("ERR_JWKS_INVALID", `JWKS is longer than the ${MAX_JWKS_SIZE} bytes allowed`);
      return new KeySet(callCore(core.WasmKeySet.fromJwks, text), CONSTRUCT);
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
    const set = key === null ? innerKeySet(KeySet.fromJwks(keys)) : new core.WasmKeySet();
    try {
      if (key !== null) callCore(() => set.add(innerKey(key)));
      return use(set);
    } finally {
      set.free();
    }
  }

  // ---------------------------------------------------------------- verifying

  const { RemoteKeySet, remoteKeySet } = parts.createRemote(core, { JwtError, argError, checkOptionNames, isPlainObject, callCore });
  const VERIFY_ASYNC_OPTION_NAMES = ["isRevoked"];
  const parseSeconds = (value, what) => callCore(core.parseDuration, value, what);
  const { TokenCache } = parts.createCache({ argError, checkOptionNames, parseSeconds });
  /** SHA-256 of a token, the cache key: the host's own hash where it has one, else the core's. */
  const hashToken = parts.hashToken || ((token) => core.cacheKey(token));
  const asyncCrypto = parts.asyncCrypto || null;

  /** The `cache` option as a TokenCache, with the time options it must respect in seconds. */
  function tokenCache(o) {
    const asSeconds = (v, what) => (v === undefined ? undefined : typeof v === "number" ? v : parseSeconds(v, what));
    return new TokenCache(o.cache, hashToken, {
      clockTolerance: asSeconds(o.clockTolerance, "options.clockTolerance") || 0,
      maxTokenAge: asSeconds(o.maxTokenAge, "options.maxTokenAge"),
    });
  }

  /**
   * Verifies tokens against fixed keys and options. Options are validated and cross into wasm
   * once, here; `verify` then only passes the token and the current time.
   */
  class Verifier {
    #inner;
    #currentDate;
    #maxTokenSize;
    /** For a remote key set: the set, and the version of it the core verifier holds. */
    #remote = null;
    #remoteVersion = -1;
    /** The verified-token cache (`options.cache`), or null. */
    #cache = null;

    constructor(keys, options) {
      if (options === undefined) throw argError("new Verifier(keys, options): options with a non-empty `algorithms` list are required");
      const o = checkOptionNames(options, VERIFY_OPTION_NAMES, "Verifier options");
      expect(Array.isArray(o.algorithms) && o.algorithms.length > 0, "options.algorithms", "a non-empty array of algorithm names");
      for (const alg of o.algorithms) checkAlg(alg, "each of options.algorithms");
      if (o.typ !== undefined) expect(typeof o.typ === "string", "options.typ", "a string");
      if (o.maxTokenSize !== undefined) expect(Number.isSafeInteger(o.maxTokenSize) && o.maxTokenSize > 0, "options.maxTokenSize", "a positive integer (bytes)");
      checkClaimOptionValues(o);
      this.#currentDate = o.currentDate;
      this.#maxTokenSize = o.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
      if (o.cache !== undefined) this.#cache = tokenCache(o);
      const json = optionsJson(o);
      if (keys instanceof RemoteKeySet) {
        this.#remote = keys;
        keys = KeySet.of([]);
      }
      this.#inner = withWasmKeySet(keys, (set) => callCore(() => new core.WasmVerifier(set, json)));
    }

    /** Verifies the signature, header and claims; returns the decoded header and payload or throws `JwtError`. */
    verify(token) {
      if (this.#remote !== null) throw argError("this Verifier uses a remoteKeySet, whose keys arrive over the network: use verifyAsync");
      checkToken(token, this.#maxTokenSize);
      return this.#verifyNow(token);
    }

    #verifyNow(token) {
      const now = nowFrom(this.#currentDate);
      const cache = this.#cache;
      if (cache !== null) {
        const hit = cache.get(token, now);
        if (hit !== undefined) return hit;
      }
      const text = callCore(() => this.#inner.verifyUtf8(utf8(token), now));
      const result = JSON.parse(text);
      if (cache !== null) cache.set(token, text, result, now);
      return result;
    }

    /**
     * Verifies like `verify`, with any key source: a remote key set is fetched (and refetched
     * once per cooldown for an unknown `kid`). With `isRevoked`, the token must carry a `jti`
     * and is refused with `ERR_JWT_REVOKED` when the hook answers true.
     */
    async verifyAsync(token, opts) {
      const o = checkOptionNames(opts, VERIFY_ASYNC_OPTION_NAMES, "verifyAsync options");
      if (o.isRevoked !== undefined) expect(typeof o.isRevoked === "function", "verifyAsync options.isRevoked", "a function");
      checkToken(token, this.#maxTokenSize);
      const result = this.#remote === null ? await this.#verifyNowAsync(token) : await this.#verifyRemote(token);
      if (o.isRevoked !== undefined) await checkRevoked(o.isRevoked, result.payload);
      return result;
    }

    /**
     * `#verifyNow` with the signature checked by the runtime's asynchronous crypto when there is
     * one (the core's two passes, src/wasm/host.rs); otherwise the same as `#verifyNow`.
     */
    async #verifyNowAsync(token) {
      if (asyncCrypto === null) return this.#verifyNow(token);
      const now = nowFrom(this.#currentDate);
      const cache = this.#cache;
      if (cache !== null) {
        const hit = cache.get(token, now);
        if (hit !== undefined) return hit;
      }
      const inner = this.#inner;
      const first = callCore(() => inner.verifyStart(utf8(token), now));
      let text = first;
      if (typeof first !== "string") {
        const { keyId, alg } = asyncCrypto.unpack(first);
        const valid = await asyncCrypto.verify(first);
        // The keys may have changed while WebCrypto worked: the second pass selects the key
        // again, and a verdict for another key is ignored (the core verifies instead).
        text = callCore(() => inner.verifyFinish(utf8(token), now, keyId, alg, typeof valid === "boolean" ? valid : undefined));
      }
      const result = JSON.parse(text);
      // The second pass ran with the keys in force now, so its result may be cached now.
      if (cache !== null) cache.set(token, text, result, now);
      return result;
    }

    async #verifyRemote(token) {
      const remote = this.#remote;
      this.#useKeys(await remote.current());
      try {
        return await this.#verifyNowAsync(token);
      } catch (e) {
        // A kid the set lacks may be a key the issuer has just rotated in.
        if (!(e instanceof JwtError && e.code === "ERR_JWKS_NO_MATCHING_KEY")) throw e;
        if (!(await remote.refreshForUnknownKey(this.#remoteVersion))) throw e;
        this.#useKeys(await remote.current());
        return await this.#verifyNowAsync(token);
      }
    }

    #useKeys({ set, version }) {
      if (version === this.#remoteVersion) return;
      // Nothing verified with the old keys is trusted once they change.
      if (this.#cache !== null) this.#cache.clear();
      callCore(() => this.#inner.setKeys(set));
      this.#remoteVersion = version;
    }

    get [Symbol.toStringTag]() {
      return "Verifier";
    }
  }

  /** Fails closed: no `jti`, a hook that throws, or an answer other than a boolean all refuse the token. */
  async function checkRevoked(isRevoked, payload) {
    if (typeof payload.jti !== "string") {
      throw new JwtError("ERR_JWT_CLAIM_VALIDATION_FAILED", 'the token has no "jti" claim, so it cannot be checked for revocation', {
        claim: "jti",
        reason: "missing",
      });
    }
    const revoked = await isRevoked(payload.jti, payload);
    if (typeof revoked !== "boolean") throw argError("verifyAsync options.isRevoked must return (or resolve to) a boolean");
    if (revoked) throw new JwtError("ERR_JWT_REVOKED", "the token has been revoked");
  }

  /** One-shot `new Verifier(keys, options).verify(token)`; keep a `Verifier` when verifying many tokens. */
  function verify(token, keys, options) {
    return new Verifier(keys, options).verify(token);
  }

  /** Runs the claim checks alone on an already-trusted payload; throws `JwtError` on failure. */
  function checkClaims(payload, options) {
    if (!isPlainObject(payload)) throw argError("checkClaims: the payload must be an object");
    const o = checkOptionNames(options, CLAIM_OPTION_NAMES, "checkClaims options");
    checkClaimOptionValues(o);
    callCore(core.checkClaims, toJsonText(payload, "the payload"), optionsJson(o), nowFrom(o.currentDate));
  }

  const DECODE_OPTION_NAMES = ["maxTokenSize"];

  /** The `maxTokenSize` of `decode`/`decodeHeader` options, checked as the Verifier's. */
  function decodeLimit(options, what) {
    const o = checkOptionNames(options, DECODE_OPTION_NAMES, `${what} options`);
    if (o.maxTokenSize === undefined) return DEFAULT_MAX_TOKEN_SIZE;
    expect(Number.isSafeInteger(o.maxTokenSize) && o.maxTokenSize > 0, "options.maxTokenSize", "a positive integer (bytes)");
    return o.maxTokenSize;
  }

  /**
   * Runs the core's decode under `max`. The core's `decode`/`decodeHeader` apply its default
   * limit (16 KiB) themselves; a larger one needs the core's limit-taking variant.
   */
  function decodeWith(plain, limited, token, max) {
    if (max <= DEFAULT_MAX_TOKEN_SIZE || typeof limited !== "function") return callCore(plain, token);
    return callCore(limited, token, Math.min(max, 0xffffffff));
  }

  /** Decodes a token WITHOUT checking its signature: for inspection only, never for trust decisions. */
  function decode(token, options) {
    const max = decodeLimit(options, "decode");
    checkToken(token, max);
    return JSON.parse(decodeWith(core.decode, core.decodeWithLimit, token, max));
  }

  /** Decodes a token's header WITHOUT checking anything else. */
  function decodeHeader(token, options) {
    const max = decodeLimit(options, "decodeHeader");
    checkToken(token, max);
    return JSON.parse(decodeWith(core.decodeHeader, core.decodeHeaderWithLimit, token, max));
  }

  // ---------------------------------------------------------------- issuing

  /** Issues tokens with a private or secret key: fixed header and registered claims, a fresh `jti`, `iat` and `exp`. */
  class Signer {
    #inner;

    constructor(key, opts) {
      if (!(key instanceof Key)) throw argError("new Signer(key, opts): key must be a Key");
      if (!key.isPrivate) throw argError("new Signer(key, opts): signing needs a private key or an HMAC secret, not a public key");
      const o = checkOptionNames(opts, SIGNER_OPTION_NAMES, "Signer options");
      checkAlg(o.alg, "Signer options.alg");
      for (const k of ["kid", "typ", "issuer"]) if (o[k] !== undefined) expect(typeof o[k] === "string", `Signer options.${k}`, "a string");
      if (o.audience !== undefined) expect(typeof o.audience === "string" || isStringArray(o.audience), "Signer options.audience", "a string or an array of strings");
      if (o.expiresIn !== undefined) checkDuration(o.expiresIn, "Signer options.expiresIn");
      if (o.notBefore !== undefined) checkDuration(o.notBefore, "Signer options.notBefore");
      if (o.jti !== undefined) expect(typeof o.jti === "boolean", "Signer options.jti", "a boolean");
      this.#inner = callCore(() => new core.WasmSigner(innerKey(key), JSON.stringify(o)));
    }

    /** Signs `claims` (plus the configured ones) into a compact JWS. */
    sign(claims = {}, overrides) {
      if (!isPlainObject(claims)) throw argError("Signer.sign: claims must be an object");
      const o = checkOptionNames(overrides, SIGN_OVERRIDE_NAMES, "Signer.sign overrides");
      if (o.expiresIn !== undefined) checkDuration(o.expiresIn, "overrides.expiresIn");
      if (o.subject !== undefined) {
        expect(typeof o.subject === "string", "overrides.subject", "a string");
        // Like every other claim the Signer sets: one source per claim, never a silent replacement.
        if (Object.prototype.hasOwnProperty.call(claims, "sub") && claims.sub !== undefined) {
          throw argError('Signer.sign: claims.sub and overrides.subject both set the "sub" claim; give only one');
        }
      }
      checkCurrentDate(o.currentDate, "overrides.currentDate");
      return callCore(() => this.#inner.sign(toJsonText(claims, "the claims"), optionsJson(o), nowFrom(o.currentDate)));
    }

    get [Symbol.toStringTag]() {
      return "Signer";
    }
  }

  /** A fresh asymmetric key pair for `alg` (RS*, PS*, ES*, EdDSA), both halves bound to `alg`. */
  function generateKeyPair(alg, opts) {
    checkAlg(alg, "generateKeyPair: alg");
    const o = checkOptionNames(opts, ["kid"], "generateKeyPair options");
    if (o.kid !== undefined) expect(typeof o.kid === "string", "generateKeyPair options.kid", "a string");
    const pair = callCore(core.generateKeyPair, alg, o.kid);
    try {
      return { privateKey: new Key(pair.privateKey(), CONSTRUCT), publicKey: new Key(pair.publicKey(), CONSTRUCT) };
    } finally {
      pair.free();
    }
  }

  // ---------------------------------------------------------------- HTTP helper

  function authorizationValue(input) {
    if (typeof input === "string") return input;
    if (input === null || typeof input !== "object") return null;
    // Fetch Request (or anything with Headers under .headers)
    if (input.headers && typeof input.headers.get === "function") return input.headers.get("authorization");
    // Fetch Headers
    if (typeof input.get === "function") return input.get("authorization");
    // Node IncomingMessage: its headers are a plain object
    if (input.headers !== null && typeof input.headers === "object" && !Array.isArray(input.headers)) input = input.headers;
    // Node headers object: lowercase keys, a value may be repeated as an array
    const v = input.authorization;
    if (Array.isArray(v)) return v.length === 1 ? v[0] : null;
    return v;
  }

  const isBlank = (c) => c === 0x20 || c === 0x09;

  /**
   * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1), or null.
   * Accepts a Fetch `Request`, a `Headers`, a Node headers object (or request) or the header value. Never throws.
   */
  function bearerToken(input) {
    let value;
    try {
      value = authorizationValue(input);
    } catch {
      return null;
    }
    if (typeof value !== "string" || value.length > MAX_AUTHORIZATION_LENGTH) return null;
    // Surrounding spaces and tabs are not part of a header value. Trimmed by index: a regex such
    // as /[ \t]+$/g backtracks over every run of blanks and is quadratic in them.
    let start = 0;
    let end = value.length;
    while (start < end && isBlank(value.charCodeAt(start))) start++;
    while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
    const m = BEARER_RE.exec(start === 0 && end === value.length ? value : value.slice(start, end));
    return m ? m[1] : null;
  }

  const refresh = parts.createRefresh(core, { JwtError, argError, callCore, checkOptionNames, checkDuration, isPlainObject });
  return {
    decode,
    decodeHeader,
    Key,
    KeySet,
    RemoteKeySet,
    remoteKeySet,
    Verifier,
    verify,
    checkClaims,
    bearerToken,
    JwtError,
    Signer,
    generateKeyPair,
    ...refresh,
  };
};
