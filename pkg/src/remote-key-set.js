// Remote key sets: a JWKS fetched over HTTP with `fetch`, for `Verifier.verifyAsync`.
// The rules, in one place: the set is cached for `cacheMaxAge` (or the response's
// `Cache-Control: max-age`, when shorter, but never below `cooldown`); past that it is stale, and
// within `staleWhileRevalidate` it keeps serving while one refresh runs in the background (after
// it, verifications wait for the refresh); a token with an unknown `kid` triggers at most one
// refetch per `cooldown`; concurrent callers share one fetch; a fetch that fails, times out or
// returns an unusable document never replaces a good set (the last good set keeps serving, and
// the next attempt waits for the cooldown); `oct` members are dropped, since a secret anyone can
// download is no secret. Header fields (`jku`, `x5u`, ...) never choose the URL.
// With `store` (jwks-stores.js), a set fetched here is also written to a shared store, and a set
// this instance lacks or holds stale is first looked up there: a cold Worker isolate then reads
// the set another isolate fetched. A stored set is parsed like a network body and served at most
// until its fetch time + fresh lifetime + staleWhileRevalidate; a store that fails or hangs costs
// a network fetch, never a verification.
// `remoteKeySetFromIssuer` is the same set whose URL is the `jwks_uri` of the issuer's metadata
// (discovery.js), which is cached (and stored) by the same rules.
// Built per API instance: the sets are the core's key sets.
import { JwtError, argError, callCore } from "./errors.js";
import { checkOptionNames } from "./options.js";
import { fetchDocument, fetchOptions } from "./jwks-response.js";
import { bounded, checkStore, decodeEntry, encodeEntry } from "./jwks-stores.js";
import { checkIssuer, discoveryOptions, fetchMetadata, metadataUrl, parseMetadata } from "./discovery.js";

const REMOTE_OPTION_NAMES = ["cacheMaxAge", "cooldown", "timeout", "headers", "fetch", "store", "staleWhileRevalidate", "waitUntil"];
const ISSUER_OPTION_NAMES = [...REMOTE_OPTION_NAMES, "type", "allowHttpLoopback"];
const DEFAULTS = { cacheMaxAge: "10m", cooldown: "30s", timeout: "5s", staleWhileRevalidate: 0 };

/**
 * @param {{ core: any }} ctx
 */
export function createRemoteKeySet({ core }) {
  const CONSTRUCT = Symbol("jwtward.remote");

  /** Milliseconds from an option given as seconds or as a duration string. */
  function millis(value, name, what = "remoteKeySet") {
    if (typeof value === "number") {
      if (!Number.isFinite(value) || value < 0) throw argError(`${what} options.${name} must be a non-negative number of seconds or a duration such as "30s"`);
      return value * 1000;
    }
    if (typeof value !== "string") throw argError(`${what} options.${name} must be a number of seconds or a duration such as "30s"`);
    return callCore(core.parseDuration, value, `${what} options.${name}`) * 1000;
  }

  /** A document's fresh lifetime: cacheMaxAge, or a shorter max-age, never below the cooldown. */
  const lifetime = (self, maxAge) => Math.max(maxAge === undefined ? self.cacheMaxAge : Math.min(self.cacheMaxAge, maxAge), self.cooldown);

  /**
   * A JWKS at a URL, fetched on first use and kept fresh. Create one with `remoteKeySet(url)` or
   * `remoteKeySetFromIssuer(issuer)`, once per URL per process, and give it to any number of
   * `Verifier`s.
   */
  class RemoteKeySet {
    /** The JWKS URL; for an issuer's set, null until its metadata has been read. */
    #url;
    /** For an issuer's set: `{ issuer, url, allowHttpLoopback, freshUntil, hardUntil, fetchedAt }`. */
    #issuer = null;
    #fetch;
    #headers;
    #store;
    /** Given each background refresh, so the runtime keeps it alive (Workers cancel it with its request). */
    #waitUntil;
    #o;
    /** The last good set (a core WasmKeySet), or null before the first successful load. */
    #set = null;
    /** Bumped on every new set, so Verifiers know when to copy the keys again. */
    #version = 0;
    #fetchedAt = -Infinity;
    #freshUntil = 0;
    /** Past this the set is not served at all: a stored set's age limit (own fetches: none). */
    #hardUntil = Infinity;
    /** The last network attempt (the cooldown counts from it; store reads do not count). */
    #lastAttempt = -Infinity;
    #lastError = null;
    #pending = null;
    #pendingSince = 0;

    /** @internal Use `remoteKeySet(url, options)` or `remoteKeySetFromIssuer(issuer, options)`. */
    constructor(url, options, token, issuer) {
      if (token !== CONSTRUCT) throw argError("use remoteKeySet(url, options) to create a RemoteKeySet");
      const what = issuer === undefined ? "remoteKeySet" : "remoteKeySetFromIssuer";
      const given = checkOptionNames(options, issuer === undefined ? REMOTE_OPTION_NAMES : ISSUER_OPTION_NAMES, `${what} options`);
      const o = { ...DEFAULTS, ...given };
      if (issuer === undefined) {
        let parsed;
        try {
          parsed = new URL(url);
        } catch {
          throw argError("remoteKeySet: url must be an absolute http(s) URL");
        }
        if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw argError("remoteKeySet: url must use https: (or http:)");
        this.#url = parsed.href;
      } else {
        const { type, allowHttpLoopback } = discoveryOptions(o, what);
        const checked = checkIssuer(issuer, allowHttpLoopback, what);
        this.#url = null;
        this.#issuer = { issuer: checked, url: metadataUrl(checked, type), allowHttpLoopback, freshUntil: 0, hardUntil: Infinity, fetchedAt: -Infinity };
      }
      const { fetch, headers, timeout } = fetchOptions(o, what, millis);
      this.#fetch = fetch;
      this.#headers = headers;
      this.#store = checkStore(o.store, what);
      if (o.waitUntil !== undefined && typeof o.waitUntil !== "function") {
        throw argError(`${what} options.waitUntil must be a function, e.g. waitUntil from "cloudflare:workers"`);
      }
      this.#waitUntil = o.waitUntil === undefined ? null : o.waitUntil;
      this.#o = {
        cacheMaxAge: millis(o.cacheMaxAge, "cacheMaxAge", what),
        cooldown: millis(o.cooldown, "cooldown", what),
        timeout,
        swr: millis(o.staleWhileRevalidate, "staleWhileRevalidate", what),
      };
    }

    /** The URL the set is fetched from (for an issuer's set: its `jwks_uri`, undefined until known). */
    get url() {
      return this.#url === null ? undefined : this.#url;
    }

    /** The issuer whose metadata names the URL (`remoteKeySetFromIssuer`), else undefined. */
    get issuer() {
      return this.#issuer === null ? undefined : this.#issuer.issuer;
    }

    /** Whether the cached set is within its max age (false before the first fetch). */
    get fresh() {
      return this.#set !== null && Date.now() < this.#freshUntil;
    }

    /** Fetches the JWKS now from the network (sharing a fetch already under way), whatever the cache holds. */
    async reload() {
      return this.#reload("network");
    }

    /**
     * Resolves (never rejects) once no fetch of this set is under way, or after the longest a
     * load may take. In Workers, `ctx.waitUntil(keys.settled())` keeps a refresh started in the
     * background (staleWhileRevalidate) alive after the response has been sent; without it,
     * workerd may cancel the refresh with the request.
     */
    async settled() {
      const limit = Date.now() + this.#maxLoadMs();
      while (this.#pending !== null && Date.now() < limit) {
        const pending = this.#pending;
        let timer;
        await Promise.race([pending.catch(() => {}), new Promise((resolve) => (timer = setTimeout(resolve, limit - Date.now())))]);
        clearTimeout(timer);
        if (this.#pending === pending) break;
      }
    }

    /**
     * The longest a load can take: each of its steps (two store reads, the metadata and the JWKS
     * fetches, two store writes) is bounded by the timeout.
     */
    #maxLoadMs() {
      return 6 * this.#o.timeout + 1000;
    }

    /**
     * One load at a time, shared by every caller. A load left pending far past the timeout is
     * abandoned (workerd cancels I/O started by a request that has ended, so such a promise may
     * never settle) and a new one starts.
     * @param {"cold" | "refresh" | "network"} mode
     */
    #reload(mode) {
      const now = Date.now();
      if (this.#pending === null || now - this.#pendingSince > this.#maxLoadMs()) {
        const pending = this.#load(mode).finally(() => {
          if (this.#pending === pending) this.#pending = null;
        });
        this.#pending = pending;
        this.#pendingSince = now;
      }
      return this.#pending;
    }

    /**
     * "cold": no set; a usable stored one (fresh or within staleWhileRevalidate) is taken as is.
     * "refresh": the set is stale; a fresh stored one newer than it is taken, else the network.
     * "network": the network only (reload, an unknown kid).
     */
    async #load(mode) {
      const useStore = mode !== "network" && this.#store !== null;
      if (useStore) {
        // An issuer's set whose metadata this instance lacks: the metadata may be stored too.
        if (this.#issuer !== null && this.#url === null) await this.#metadataFromStore(mode === "cold");
        if (this.#url !== null && (await this.#fromStore(mode))) return;
      }
      this.#lastAttempt = Date.now();
      let loaded;
      try {
        const known = this.#url;
        const url = await this.#jwksUrl(mode);
        // Metadata just fetched named a URL the store was not asked about yet.
        if (useStore && url !== known && (await this.#fromStore(mode))) return;
        const { text, maxAge } = await fetchDocument({ fetch: this.#fetch, url, headers: { accept: "application/jwk-set+json, application/json", ...this.#headers }, timeout: this.#o.timeout });
        loaded = { url, text, set: callCore(core.WasmKeySet.fromRemoteJwks, text), fetchedAt: Date.now(), freshFor: lifetime(this.#o, maxAge) };
      } catch (e) {
        this.#lastError = e;
        throw e;
      }
      this.#adopt(loaded.set, loaded.fetchedAt, loaded.freshFor, Infinity);
      await this.#toStore(loaded.url, loaded.fetchedAt, loaded.freshFor, loaded.text);
    }

    #adopt(set, fetchedAt, freshFor, hardUntil) {
      // The previous set is NOT freed here: a verification may hold it between `current()` and
      // copying its keys (an await apart). The wasm objects are built with --weak-refs, so the
      // FinalizationRegistry frees it once nothing references it.
      this.#set = set;
      this.#version += 1;
      this.#lastError = null;
      this.#fetchedAt = fetchedAt;
      this.#freshUntil = fetchedAt + freshFor;
      this.#hardUntil = hardUntil;
    }

    /** Takes the stored set when it is usable for `mode`; true if taken. Never throws. */
    async #fromStore(mode) {
      const url = this.#url;
      const value = await bounded(() => this.#store.get(url), this.#o.timeout, null);
      const now = Date.now();
      const entry = decodeEntry(value, url, now);
      if (entry === null || entry.fetchedAt <= this.#fetchedAt) return false;
      // Never longer than this instance would keep a set it fetched, whatever the entry says.
      const freshFor = Math.min(entry.freshFor, Math.max(this.#o.cacheMaxAge, this.#o.cooldown));
      const hardUntil = entry.fetchedAt + freshFor + this.#o.swr;
      const fresh = now < entry.fetchedAt + freshFor;
      if (now >= hardUntil || (mode === "refresh" && !fresh)) return false;
      let set;
      try {
        set = callCore(core.WasmKeySet.fromRemoteJwks, entry.body);
      } catch {
        return false; // a poisoned or corrupt entry: refused, the network decides
      }
      this.#adopt(set, entry.fetchedAt, freshFor, hardUntil);
      return true;
    }

    /** Writes a document just fetched to the store; failures are ignored (the next isolate fetches). */
    async #toStore(url, fetchedAt, freshFor, text) {
      if (this.#store === null) return;
      const maxAgeSeconds = Math.ceil((freshFor + this.#o.swr) / 1000);
      const store = this.#store;
      await bounded(() => store.put(url, encodeEntry(url, fetchedAt, freshFor, text), maxAgeSeconds), this.#o.timeout, undefined);
    }

    /**
     * For an issuer's set: takes stored metadata newer than this instance's, if fresh (or, when
     * `staleOk`, within staleWhileRevalidate). Never throws.
     */
    async #metadataFromStore(staleOk) {
      const m = this.#issuer;
      const value = await bounded(() => this.#store.get(m.url), this.#o.timeout, null);
      const now = Date.now();
      const entry = decodeEntry(value, m.url, now);
      if (entry === null || entry.fetchedAt <= m.fetchedAt) return;
      const freshFor = Math.min(entry.freshFor, Math.max(this.#o.cacheMaxAge, this.#o.cooldown));
      if (now >= entry.fetchedAt + freshFor + (staleOk ? this.#o.swr : 0)) return;
      let metadata;
      try {
        metadata = parseMetadata(entry.body, m.url, m.issuer, m.allowHttpLoopback);
      } catch {
        return;
      }
      this.#useMetadata(metadata, entry.fetchedAt, freshFor, entry.fetchedAt + freshFor + this.#o.swr);
    }

    #useMetadata(metadata, fetchedAt, freshFor, hardUntil) {
      const m = this.#issuer;
      this.#url = new URL(metadata.jwks_uri).href;
      m.fetchedAt = fetchedAt;
      m.freshUntil = fetchedAt + freshFor;
      m.hardUntil = hardUntil;
    }

    /**
     * The JWKS URL: the configured one, or the issuer's `jwks_uri` from metadata cached by the
     * set's rules (a failed refresh keeps the last good metadata; without any, the error is thrown).
     */
    async #jwksUrl(mode) {
      const m = this.#issuer;
      if (m === null) return this.#url;
      if (this.#url !== null && Date.now() < m.freshUntil) return this.#url;
      // Stale metadata: another isolate may have stored fresher.
      if (this.#url !== null && mode !== "network" && this.#store !== null) {
        await this.#metadataFromStore(false);
        if (Date.now() < m.freshUntil) return this.#url;
      }
      if (this.#url !== null && Date.now() >= m.hardUntil) this.#url = null;
      try {
        const url = m.url;
        const { metadata, text, maxAge } = await fetchMetadata({ fetch: this.#fetch, url, issuer: m.issuer, headers: { accept: "application/json", ...this.#headers }, timeout: this.#o.timeout, allowHttpLoopback: m.allowHttpLoopback });
        const fetchedAt = Date.now();
        const freshFor = lifetime(this.#o, maxAge);
        this.#useMetadata(metadata, fetchedAt, freshFor, Infinity);
        await this.#toStore(url, fetchedAt, freshFor, text);
      } catch (e) {
        if (this.#url === null) throw e;
      }
      return this.#url;
    }

    /**
     * @internal The set to verify with: `{ set, version }`. Loads when there is no set; refreshes
     * a stale one (in the background within staleWhileRevalidate); a failed refresh keeps
     * serving the last good set, a stored one no longer than its age limit.
     */
    async current() {
      if (this.#set !== null && Date.now() >= this.#hardUntil) {
        this.#set = null;
        this.#hardUntil = Infinity;
        this.#fetchedAt = -Infinity;
      }
      if (this.#set === null) {
        // Without any set, a recent failure is reported again until the cooldown has passed.
        if (this.#lastError !== null && this.#pending === null && Date.now() - this.#lastAttempt < this.#o.cooldown) throw this.#lastError;
        await this.#reload("cold");
        if (this.#set === null) throw this.#lastError || new JwtError("ERR_JWKS_FETCH_FAILED", `the JWKS from ${this.#url || this.#issuer.url} is not available`);
      }
      const now = Date.now();
      if (now >= this.#freshUntil && (this.#pending !== null || now - this.#lastAttempt >= this.#o.cooldown)) {
        const refresh = this.#reload("refresh").catch(() => {});
        // Within staleWhileRevalidate the stale set answers now; past it, this call waits.
        if (now >= this.#freshUntil + this.#o.swr) await refresh;
        else if (this.#waitUntil !== null) {
          try {
            this.#waitUntil(refresh);
          } catch {
            // A waitUntil that cannot take it (outside a request): the refresh still runs as far as it can.
          }
        }
      }
      return { set: this.#set, version: this.#version };
    }

    /**
     * @internal After a token named a key the set lacks: refetch from the network, at most once
     * per cooldown. Resolves true when a newer set is available.
     */
    async refreshForUnknownKey(version) {
      if (this.#version !== version) return true;
      if (this.#pending !== null) {
        await this.#pending.catch(() => {});
        if (this.#version !== version) return true;
      }
      if (Date.now() - this.#lastAttempt < this.#o.cooldown) return false;
      await this.#reload("network").catch(() => {});
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

  /**
   * The key set of `issuer`: its JWKS URL is the `jwks_uri` of the issuer's metadata (OpenID
   * Connect Discovery, or RFC 8414 with `type: "oauth2"`), whose `issuer` must be `issuer`
   * exactly. Nothing is fetched until the first verification.
   */
  function remoteKeySetFromIssuer(issuer, options) {
    return new RemoteKeySet(null, options, CONSTRUCT, issuer === undefined ? null : issuer);
  }

  return { RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer, millis };
}
