// `Verifier` (options validated and sent to the core once, then token after token, with
// `verifyAsync` for remote key sets, host crypto and revocation), the one-shot `verify`, and
// `checkClaims` on an already-trusted payload.
import { JwtError, argError, asyncRequired, callCore } from "./errors.js";
import {
  CLAIM_OPTION_NAMES,
  VERIFY_ASYNC_OPTION_NAMES,
  VERIFY_OPTION_NAMES,
  checkAlg,
  checkClaimOptionValues,
  checkMaxTokenSize,
  checkOptionNames,
  checkToken,
  expect,
  isPlainObject,
  nowFrom,
  optionsJson,
  toJsonText,
} from "./options.js";
import { checkRevoked } from "./revocation.js";
import { DEFAULT_MAX_TOKEN_SIZE } from "./tables.js";

/**
 * @param {{ core: any, KeySet: any, withWasmKeySet: Function, RemoteKeySet: any, TokenCache: any,
 *           parseSeconds: (v: string, what: string) => number, hashToken: (token: string) => string,
 *           asyncCrypto: { unpack: Function, verify: Function } | null, asyncOnly?: boolean }} ctx
 *   `hashToken` keys the token cache; `asyncCrypto` checks signatures for `verifyAsync`
 *   (WebCrypto, hosts/webcrypto.js) where the runtime's is faster than the core's, else null;
 *   `asyncOnly`: the core has no synchronous asymmetric crypto (slim module, web), so `verify`
 *   turns its refusal into a TypeError naming verifyAsync and jwtward/full
 */
export function createVerifier({ core, KeySet, withWasmKeySet, RemoteKeySet, TokenCache, parseSeconds, hashToken, asyncCrypto, asyncOnly = false }) {
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
      if (o.maxTokenSize !== undefined) checkMaxTokenSize(o.maxTokenSize);
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
      if (!asyncOnly) return this.#verifyNow(token);
      try {
        return this.#verifyNow(token);
      } catch (e) {
        throw asyncRequired(e, "Verifier#verify", "verifyAsync");
      }
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
     * one (the core's two passes, src/wasm/host.rs, protocol v2); otherwise the same as `#verifyNow`.
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
        const { requestId, alg } = asyncCrypto.unpack(first);
        const valid = await asyncCrypto.verify(first);
        // The keys may have changed while WebCrypto worked: the second pass selects the key
        // again, and the core applies the verdict only to the exact request it answers (the
        // same algorithm, key, signing input and signature); otherwise the core verifies.
        text = callCore(() => inner.verifyFinish(utf8(token), now, requestId, alg, typeof valid === "boolean" ? valid : undefined));
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

  return { Verifier, verify, checkClaims };
}
