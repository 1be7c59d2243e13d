// Remote key sets: a JWKS fetched over HTTP with `fetch`, for `Verifier.verifyAsync`.
// The rules, in one place: the set is cached for `cacheMaxAge` (or the response's
// `Cache-Control: max-age`, when shorter, but never below `cooldown`); a token with an unknown
// `kid` triggers at most one refetch per `cooldown`; concurrent callers share one fetch; a
// fetch that fails, times out or returns an unusable document never replaces a good set (the
// last good set keeps serving, and the next attempt waits for the cooldown); `oct` members are
// dropped, since a secret anyone can download is no secret. Header fields (`jku`, `x5u`, ...)
// never choose the URL. Built per API instance: the sets are the core's key sets.
import { JwtError, argError, callCore } from "./errors.js";
import { checkOptionNames, isPlainObject } from "./options.js";
import { MAX_JWKS_BYTES, discard, fetchFailed, hasReader, maxAgeOf, readBody } from "./jwks-response.js";

const REMOTE_OPTION_NAMES = ["cacheMaxAge", "cooldown", "timeout", "headers", "fetch"];
const DEFAULTS = { cacheMaxAge: "10m", cooldown: "30s", timeout: "5s" };

/**
 * @param {{ core: any }} ctx
 * @returns {{ RemoteKeySet: any, remoteKeySet: (url: string | URL, options?: object) => any }}
 */
export function createRemoteKeySet({ core }) {
  const CONSTRUCT = Symbol("jwtward.remote");

  /** Milliseconds from an option given as seconds or as a duration string. */
  function millis(value, name) {
    if (typeof value === "number") {
      if (!Number.isFinite(value) || value < 0) throw argError(`remoteKeySet options.${name} must be a non-negative number of seconds or a duration such as "30s"`);
      return value * 1000;
    }
    if (typeof value !== "string") throw argError(`remoteKeySet options.${name} must be a number of seconds or a duration such as "30s"`);
    return callCore(core.parseDuration, value, `remoteKeySet options.${name}`) * 1000;
  }

  /**
   * A JWKS at a URL, fetched on first use and kept fresh. Create one with `remoteKeySet(url)`,
   * once per URL per process, and give it to any number of `Verifier`s.
   */
  class RemoteKeySet {
    #url;
    #fetch;
    #headers;
    #cacheMaxAge;
    #cooldown;
    #timeout;
    /** The last good set (a core WasmKeySet), or null before the first successful fetch. */
    #set = null;
    /** Bumped on every successful fetch, so Verifiers know when to copy the keys again. */
    #version = 0;
    #freshUntil = 0;
    #lastAttempt = -Infinity;
    #lastError = null;
    #pending = null;

    /** @internal Use `remoteKeySet(url, options)`. */
    constructor(url, options, token) {
      if (token !== CONSTRUCT) throw argError("use remoteKeySet(url, options) to create a RemoteKeySet");
      let parsed;
      try {
        parsed = new URL(url);
      } catch {
        throw argError("remoteKeySet: url must be an absolute http(s) URL");
      }
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw argError("remoteKeySet: url must use https: (or http:)");
      const o = { ...DEFAULTS, ...checkOptionNames(options, REMOTE_OPTION_NAMES, "remoteKeySet options") };
      const fetchFn = o.fetch === undefined ? globalThis.fetch : o.fetch;
      if (typeof fetchFn !== "function") throw argError("remoteKeySet: no fetch function (pass options.fetch on runtimes without a global fetch)");
      if (o.headers !== undefined && !(isPlainObject(o.headers) && Object.values(o.headers).every((v) => typeof v === "string"))) {
        throw argError("remoteKeySet options.headers must be an object of strings");
      }
      this.#url = parsed.href;
      this.#fetch = fetchFn;
      this.#headers = { accept: "application/jwk-set+json, application/json", ...o.headers };
      this.#cacheMaxAge = millis(o.cacheMaxAge, "cacheMaxAge");
      this.#cooldown = millis(o.cooldown, "cooldown");
      this.#timeout = millis(o.timeout, "timeout");
      if (this.#timeout <= 0) throw argError("remoteKeySet options.timeout must be more than zero");
    }

    /** The URL the set is fetched from. */
    get url() {
      return this.#url;
    }

    /** Whether the cached set is within its max age (false before the first fetch). */
    get fresh() {
      return this.#set !== null && Date.now() < this.#freshUntil;
    }

    /** Fetches the JWKS now (sharing a fetch already under way), whatever the cache holds. */
    async reload() {
      if (this.#pending === null) {
        this.#pending = this.#load().finally(() => {
          this.#pending = null;
        });
      }
      return this.#pending;
    }

    async #load() {
      this.#lastAttempt = Date.now();
      let set;
      try {
        set = await this.#fetchSet();
      } catch (e) {
        this.#lastError = e;
        throw e;
      }
      // The previous set is NOT freed here: a verification may hold it between `current()` and
      // copying its keys (an await apart). The wasm objects are built with --weak-refs, so the
      // FinalizationRegistry frees it once nothing references it.
      this.#set = set.set;
      this.#version += 1;
      this.#lastError = null;
      const maxAge = set.maxAge === undefined ? this.#cacheMaxAge : Math.min(this.#cacheMaxAge, set.maxAge);
      // Never treat the set as stale sooner than the cooldown: a `max-age=0` must not turn
      // every verification into a request to the key server.
      this.#freshUntil = Date.now() + Math.max(maxAge, this.#cooldown);
    }

    async #fetchSet() {
      const url = this.#url;
      const controller = typeof AbortController === "function" ? new AbortController() : null;
      let timer;
      const timedOut = new Promise((_, reject) => {
        timer = setTimeout(() => {
          if (controller) controller.abort();
          reject(new JwtError("ERR_JWKS_TIMEOUT", `fetching the JWKS from ${url} took longer than ${this.#timeout} ms`));
        }, this.#timeout);
      });
      try {
        return await Promise.race([this.#request(url, controller), timedOut]);
      } finally {
        clearTimeout(timer);
      }
    }

    async #request(url, controller) {
      // Called as a plain function: browsers' and workerd's fetch throw "Illegal invocation"
      // when invoked as a method of another object (`this.#fetch(...)` would pass this set).
      const fetchFn = this.#fetch;
      let response;
      try {
        response = await fetchFn(url, {
          method: "GET",
          headers: this.#headers,
          redirect: "follow",
          ...(controller ? { signal: controller.signal } : {}),
        });
      } catch (e) {
        throw fetchFailed(url, (e && e.message) || String(e), e);
      }
      if (!response || (typeof response.text !== "function" && !hasReader(response.body))) throw fetchFailed(url, "fetch returned no response");
      if (response.status !== 200) {
        discard(response.body);
        throw fetchFailed(url, `expected HTTP 200, got ${response.status}`);
      }
      const length = Number(response.headers && response.headers.get ? response.headers.get("content-length") : NaN);
      if (length > MAX_JWKS_BYTES) {
        discard(response.body);
        if (controller) controller.abort();
        throw new JwtError("ERR_JWKS_INVALID", `the JWKS at ${url} is ${length} bytes; at most ${MAX_JWKS_BYTES} are accepted`);
      }
      const text = await readBody(url, response, controller);
      const set = callCore(core.WasmKeySet.fromRemoteJwks, text);
      return { set, maxAge: maxAgeOf(response.headers) };
    }

    /**
     * @internal The set to verify with: `{ set, version }`. Fetches when there is no set or it
     * is stale; a failed refresh of a stale set keeps serving the last good one.
     */
    async current() {
      if (this.#set === null) {
        // Without any set, a recent failure is reported again until the cooldown has passed.
        if (this.#lastError !== null && this.#pending === null && Date.now() - this.#lastAttempt < this.#cooldown) throw this.#lastError;
        await this.reload();
      } else if (Date.now() >= this.#freshUntil && (this.#pending !== null || Date.now() - this.#lastAttempt >= this.#cooldown)) {
        await this.reload().catch(() => {});
      }
      return { set: this.#set, version: this.#version };
    }

    /**
     * @internal After a token named a key the set lacks: refetch, at most once per cooldown.
     * Resolves true when a newer set is available.
     */
    async refreshForUnknownKey(version) {
      if (this.#version !== version) return true;
      if (this.#pending === null && Date.now() - this.#lastAttempt < this.#cooldown) return false;
      await this.reload().catch(() => {});
      return this.#version !== version;
    }

    get [Symbol.toStringTag]() {
      return "RemoteKeySet";
    }
  }

  /** A JWKS fetched from `url`, for `new Verifier(remoteKeySet(url), options).verifyAsync(token)`. */
  function remoteKeySet(url, options) {
    if (url instanceof URL) url = url.href;
    if (typeof url !== "string") throw argError("remoteKeySet: url must be a string or a URL");
    return new RemoteKeySet(url, options, CONSTRUCT);
  }

  return { RemoteKeySet, remoteKeySet };
}
