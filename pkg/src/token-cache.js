// The opt-in verified-token cache of a Verifier (`cache: { max, ttl }`): a bounded LRU of tokens
// that verified, so a token presented again skips the signature and claim work. The rules, in
// one place:
// - keyed by the SHA-256 of the token, never the token itself, so the cache holds no bearer
//   credential a heap dump could replay;
// - only successes are kept: an error is recomputed every time (a forged token costs its full
//   verification, and cannot evict good entries faster than valid tokens would);
// - an entry is used only while the token would still pass the time checks at the verifier's
//   `now` (wall clock, or the fixed `currentDate`): before `nbf - clockTolerance` (and, with
//   maxTokenAge, `iat - clockTolerance`) it is skipped, and from `exp + clockTolerance` (or past
//   `iat + maxTokenAge + clockTolerance`) it is dropped; it also never outlives `ttl`;
// - the Verifier clears the cache whenever its keys change (a remote key set's new version), so
//   a result is never trusted after the key that verified it may have gone;
// - an entry keeps the JSON text the core returned, and a hit parses it again: the answer is
//   then exactly the uncached one (a signed `__proto__` member stays an own property, as
//   JSON.parse makes it, never a prototype or extra claims), and a fresh object each time, so a
//   caller that edits its result cannot change the next one.
// Built per API instance: its duration strings are parsed by that instance's core.
import { argError } from "./errors.js";
import { checkOptionNames } from "./options.js";

const CACHE_OPTION_NAMES = ["max", "ttl"];
/** The default and the most entries a cache may hold. */
const DEFAULT_TTL = "10m";
const MAX_ENTRIES = 1_000_000;

/**
 * @param {{ parseSeconds: (v: string, what: string) => number }} ctx the core's duration parser
 * @returns {{ TokenCache: any }}
 */
export function createTokenCache({ parseSeconds }) {

  /** An own property only: a payload's time claims are never read from a prototype. */
  function own(object, name) {
    return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined;
  }

  /** A duration option as seconds. */
  function seconds(value, what) {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
    if (typeof value === "string") return parseSeconds(value, what);
    throw argError(`${what} must be a number of seconds or a duration string such as "30s", "5m"`);
  }

  class TokenCache {
    #max;
    #ttl;
    #hash;
    /** cache key -> { text, notBefore, expiresAt, ageLimit } (Map order is the LRU order). */
    #entries = new Map();

    /**
     * @param {unknown} options the `cache` option: `{ max, ttl? }`
     * @param {(token: string) => string} hash SHA-256 of the token, as text
     * @param {{ clockTolerance: number, maxTokenAge: number | undefined }} timing in seconds
     */
    constructor(options, hash, timing) {
      const o = checkOptionNames(options, CACHE_OPTION_NAMES, "options.cache");
      if (!(Number.isSafeInteger(o.max) && o.max > 0 && o.max <= MAX_ENTRIES)) {
        throw argError(`options.cache.max must be a whole number of entries from 1 to ${MAX_ENTRIES}`);
      }
      this.#max = o.max;
      this.#ttl = seconds(o.ttl === undefined ? DEFAULT_TTL : o.ttl, "options.cache.ttl");
      this.#hash = hash;
      this.timing = timing;
    }

    /** The cached result for `token` at `now` (epoch seconds), freshly parsed, or undefined. */
    get(token, now) {
      const key = this.#hash(token);
      const entry = this.#entries.get(key);
      if (entry === undefined) return undefined;
      if (now >= entry.expiresAt || now > entry.ageLimit) {
        this.#entries.delete(key);
        return undefined;
      }
      if (now < entry.notBefore) return undefined;
      // Most recently used last.
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return JSON.parse(entry.text);
    }

    /**
     * Keeps the core's answer `text` (JSON of `{ header, payload }`), verified at `now`, for as
     * long as its time claims allow; `result` is that text already parsed, read for the times.
     */
    set(token, text, result, now) {
      const { clockTolerance: tol, maxTokenAge } = this.timing;
      const exp = own(result.payload, "exp");
      const nbf = own(result.payload, "nbf");
      const iat = own(result.payload, "iat");
      const hasIat = typeof iat === "number";
      const entry = {
        text,
        notBefore: Math.max(typeof nbf === "number" ? nbf - tol : -Infinity, maxTokenAge !== undefined && hasIat ? iat - tol : -Infinity),
        expiresAt: Math.min(typeof exp === "number" ? exp + tol : Infinity, now + this.#ttl),
        ageLimit: maxTokenAge !== undefined && hasIat ? iat + maxTokenAge + tol : Infinity,
      };
      const key = this.#hash(token);
      this.#entries.delete(key);
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value);
      this.#entries.set(key, entry);
    }

    /** Forgets every entry (the verifier's keys changed). */
    clear() {
      this.#entries.clear();
    }

    get size() {
      return this.#entries.size;
    }
  }

  return { TokenCache };
}
