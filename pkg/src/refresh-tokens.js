// Refresh tokens: `RefreshTokens` (issue, rotate, revoke), `generateRefreshToken` and `hashToken`.
// The stores it runs on are in stores/.
//
// Division of labour: the rotation RULES live in the Rust core only (`WasmRefreshPolicy.decide`
// returns a decision). Stores are dumb atomic storage: they read records and apply one
// compare-and-set (`commit`) whose contents the core wrote. `RefreshTokens.rotate` glues the two:
// read -> decide -> commit, and on a lost race (the commit did not land because a concurrent
// caller changed a record first) read again and decide again, a bounded number of times.
import { JwtError, argError, callCore } from "./errors.js";
import { checkDuration, checkOptionNames, clockFrom, describe, expect, isPlainObject } from "./options.js";
import { isText } from "./stores/contract.js";

const REFRESH_OPTION_NAMES = ["store", "ttl", "familyLifetime", "reuseGrace", "now"];
/** Read-decide-commit rounds before giving up. One lost race resolves on the next read (the
 * winner's rotation is then visible), so more than two rounds means a store that never lands. */
const MAX_ROUNDS = 8;
/** Longer strings cannot be one of our tokens: refused before hashing. A routed token is a family
 * id (22 characters), a "." and at most 256 random bytes (342 characters). */
const MAX_TOKEN_CHARS = 22 + 1 + 342;

/**
 * @param {{ core: any }} ctx
 * @returns {{ RefreshTokens: any, generateRefreshToken: (bytes?: number) => string, hashToken: (token: string) => string }}
 */
export function createRefreshTokens({ core }) {
  // ---------------------------------------------------------------- tokens

  /** A fresh refresh token: `bytes` (16 to 256, default 32) from the platform CSPRNG, base64url. */
  function generateRefreshToken(bytes = 32) {
    expect(Number.isSafeInteger(bytes) && bytes >= 16 && bytes <= 256, "generateRefreshToken: bytes", "an integer from 16 to 256");
    return callCore(core.generateRefreshToken, bytes);
  }

  /** SHA-256 of the token, base64url: store this, never the token. */
  function hashToken(token) {
    expect(typeof token === "string", "hashToken: token", "a string");
    return core.hashToken(token);
  }

  // ---------------------------------------------------------------- RefreshTokens

  const STORE_METHODS = ["read", "readFamily", "commit", "familiesOf"];

  function checkStore(store) {
    if (store === null || typeof store !== "object") {
      throw argError("RefreshTokens options.store must be a RefreshStore (a MemoryStore, a RedisStore or your own)");
    }
    const missing = STORE_METHODS.filter((m) => typeof store[m] !== "function");
    if (missing.length > 0) throw argError(`RefreshTokens options.store is not a RefreshStore: missing ${missing.join(", ")}`);
  }

  function storeError(message) {
    const e = new TypeError(`the refresh store ${message}`);
    e.code = "ERR_INVALID_RETURN_VALUE";
    return e;
  }

  function gaveUp() {
    // Not a rejected token: the store kept refusing commits (or contention never settled). A
    // code of its own, so a caller can answer 503 (try again) rather than 401.
    return new JwtError(
      "ERR_REFRESH_CONFLICT",
      `the refresh store did not accept a change after ${MAX_ROUNDS} attempts: try again; if it persists, check that the store's commit applies a compare-and-set`,
    );
  }

  /**
   * Issues, rotates and revokes refresh tokens over a `RefreshStore`. The rules (expiry, the
   * grace window, reuse detection) are the core's; this class reads, asks the core, and commits.
   */
  class RefreshTokens {
    #store;
    #policy;
    #now;

    /**
     * @param {{ store: object, ttl?: number|string, familyLifetime?: number|string, reuseGrace?: number|string,
     *           now?: () => Date|number }} options
     */
    constructor(options) {
      if (options === undefined) throw argError("new RefreshTokens(options): options with a `store` are required");
      const o = checkOptionNames(options, REFRESH_OPTION_NAMES, "RefreshTokens options");
      checkStore(o.store);
      for (const k of ["ttl", "familyLifetime", "reuseGrace"]) if (o[k] !== undefined) checkDuration(o[k], `RefreshTokens options.${k}`);
      this.#now = clockFrom(o.now, "RefreshTokens options.now");
      const policy = { ttl: o.ttl, familyLifetime: o.familyLifetime, reuseGrace: o.reuseGrace };
      this.#policy = callCore(() => new core.WasmRefreshPolicy(JSON.stringify(policy)));
      this.#store = o.store;
    }

    /** Starts a family (a login) for `subject`; `data` (a JSON object) comes back on every rotation. */
    async issue(subject, data) {
      expect(typeof subject === "string" && subject.length > 0, "RefreshTokens.issue: subject", "a non-empty string");
      let dataJson;
      if (data !== undefined) {
        expect(isPlainObject(data), "RefreshTokens.issue: data", "a plain object");
        try {
          dataJson = JSON.stringify(data);
        } catch (e) {
          throw argError(`RefreshTokens.issue: data cannot be serialised to JSON: ${e && e.message}`);
        }
      }
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const issued = JSON.parse(callCore(() => this.#policy.issue(subject, dataJson, this.#now())));
        // A fresh family id and token hash: only a store that refuses everything fails here.
        if (await this.#commit(issued.commit)) return { token: issued.token, familyId: issued.familyId, expiresAt: issued.expiresAt };
      }
      throw gaveUp();
    }

    /**
     * Exchanges a refresh token for its successor. Throws `JwtError`: `ERR_REFRESH_INVALID`,
     * `ERR_REFRESH_EXPIRED`, `ERR_REFRESH_REVOKED`, or `ERR_REFRESH_REUSED` (the token was already
     * rotated, outside `reuseGrace`: its whole family is now revoked); `ERR_REFRESH_CONFLICT` when
     * the store never accepted the change (not the token's fault).
     */
    async rotate(token) {
      if (typeof token !== "string") {
        throw new JwtError("ERR_REFRESH_INVALID", `a refresh token must be a string, got ${describe(token)}`);
      }
      if (token.length > MAX_TOKEN_CHARS) throw new JwtError("ERR_REFRESH_INVALID", "malformed refresh token: too long");
      // The routing tag (the family id in `<familyId>.<secret>`; undefined for a token from before
      // routing) tells a sharded store where the records live. The core checks it against them.
      const familyId = callCore(core.refreshTokenFamily, token);
      const hash = core.hashToken(token);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const read = await this.#store.read(hash, familyId);
        if (read === null || typeof read !== "object" || !isText(read.token) || !isText(read.sealed) || !isText(read.family)) {
          throw storeError("read() must resolve to { token, sealed, family }, each a string or null");
        }
        const text = (v) => (typeof v === "string" ? v : undefined);
        const decision = JSON.parse(
          callCore(() => this.#policy.decide(token, text(read.token), text(read.sealed), text(read.family), this.#now())),
        );
        if (decision.action === "replay") return decision.result;
        if (await this.#commit(decision.commit)) {
          if (decision.action === "rotate") return decision.result;
          // Reuse: the family is now revoked; report it.
          throw new JwtError(decision.error.code, decision.error.message);
        }
        // Lost a race: another caller changed the token or its family since the read.
      }
      throw gaveUp();
    }

    /** Revokes one family (one login): every token of it is refused from now on. Idempotent. */
    async revokeFamily(familyId) {
      expect(typeof familyId === "string" && familyId.length > 0, "RefreshTokens.revokeFamily: familyId", "a non-empty string");
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const family = await this.#store.readFamily(familyId);
        if (!isText(family)) throw storeError("readFamily() must resolve to a string or null");
        if (typeof family !== "string") return; // unknown or expired: nothing left to refuse
        const commit = callCore(core.refreshRevokeFamily, family, this.#now());
        if (commit === undefined) return; // already revoked
        if (await this.#commit(JSON.parse(commit))) return;
      }
      throw gaveUp();
    }

    /** Revokes every family of `subject` (log out everywhere). Families issued after the call are not affected. */
    async revokeSubject(subject) {
      expect(typeof subject === "string" && subject.length > 0, "RefreshTokens.revokeSubject: subject", "a non-empty string");
      const ids = await this.#store.familiesOf(subject);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw storeError("familiesOf() must resolve to an array of strings");
      await Promise.all(ids.map((id) => this.revokeFamily(id)));
    }

    async #commit(change) {
      const landed = await this.#store.commit(change);
      if (typeof landed !== "boolean") throw storeError("commit() must resolve to true (applied) or false (a record changed)");
      return landed;
    }

    get [Symbol.toStringTag]() {
      return "RefreshTokens";
    }
  }

  return { RefreshTokens, generateRefreshToken, hashToken };
}
