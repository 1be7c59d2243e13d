// Refresh tokens for jwtward: `RefreshTokens` (issue, rotate, revoke), the stores it runs on
// (`MemoryStore`, `RedisStore`), and `generateRefreshToken` / `hashToken`.
//
// A pure factory like api.cjs (no require: it is converted to ESM for other runtimes), called by
// `createApi` with the helpers it shares, so errors are the same `JwtError` class.
//
// Division of labour: the rotation RULES live in the Rust core only (`WasmRefreshPolicy.decide`
// returns a decision). Stores are dumb atomic storage: they read records and apply one
// compare-and-set (`commit`) whose contents the core wrote. `RefreshTokens.rotate` glues the two:
// read -> decide -> commit, and on a lost race (the commit did not land because a concurrent
// caller changed a record first) read again and decide again, a bounded number of times.
"use strict";

const REFRESH_OPTION_NAMES = ["store", "ttl", "familyLifetime", "reuseGrace", "now"];
/** Read-decide-commit rounds before giving up. One lost race resolves on the next read (the
 * winner's rotation is then visible), so more than two rounds means a store that never lands. */
const MAX_ROUNDS = 8;
/** Longer strings cannot be one of our tokens (256 bytes = 342 characters): refused before hashing. */
const MAX_TOKEN_CHARS = 342;
const DEFAULT_REDIS_PREFIX = "jwtward:";
/** Expired entries a MemoryStore examines per write: cleanup cost stays bounded per call yet
 * outpaces growth (each write adds at most two entries per map). */
const SWEEP_BUDGET = 4;

// A generic, multi-key compare-and-set. It knows nothing of refresh-token rules: it checks that
// the family record and each token record still hold exactly what the caller read (or are absent
// when the caller expects absence), and only then writes every record with its time to live, the
// sealed successors (with their shorter one), and the family into its subject's index.
// All or nothing: every key's type and every number is checked before the first write, so no
// write can fail midway (WRONGTYPE, a bad expiry) and leave half a rotation behind.
// Expiry is RELATIVE (PEXPIRE with a time to live the application computed from its own clock):
// absolute times from the application's clock would be judged by Redis's clock, and a skew as
// large as reuseGrace would drop a sealed successor the moment it is written. The subject
// index's scores are the application's absolute times, only ever compared with its `now`.
// KEYS: family record, subject index, then per token: record hash, sealed successor.
// ARGV: family id, now (ms), family expect flag ("1" value, "0" absent), expect, record,
//       time to live (ms), expiry (ms, the index score),
//       then 7 per token: expect flag, expect, record, time to live (ms), sealed flag, sealed,
//       sealed time to live (ms).
const CAS_SCRIPT = `
local function unchanged(current, flag, expected)
  if flag == "0" then return current == false end
  return current == expected
end
local function whole(v)
  return type(v) == "string" and #v <= 16 and string.match(v, "^%-?%d+$") ~= nil
end
local function kind(key, allowed)
  local t = redis.call("TYPE", key).ok
  return t == "none" or t == allowed
end
local tokens = (#KEYS - 2) / 2
if tokens ~= math.floor(tokens) or #ARGV ~= 7 + 7 * tokens then
  return redis.error_reply("ERR jwtward commit: wrong number of keys or arguments")
end
if not (kind(KEYS[1], "string") and kind(KEYS[2], "zset") and whole(ARGV[2]) and whole(ARGV[6]) and whole(ARGV[7])) then
  return redis.error_reply("ERR jwtward commit: a key of the wrong type or a bad number; nothing written")
end
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  if not (kind(KEYS[3 + 2 * i], "hash") and kind(KEYS[4 + 2 * i], "string") and whole(ARGV[a + 3])) then
    return redis.error_reply("ERR jwtward commit: a key of the wrong type or a bad number; nothing written")
  end
  if ARGV[a + 4] == "1" and not whole(ARGV[a + 6]) then
    return redis.error_reply("ERR jwtward commit: a bad number; nothing written")
  end
end
if not unchanged(redis.call("GET", KEYS[1]), ARGV[3], ARGV[4]) then return 0 end
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  if not unchanged(redis.call("HGET", KEYS[3 + 2 * i], "r"), ARGV[a], ARGV[a + 1]) then return 0 end
end
-- A time to live of zero or less deletes the key: what has expired reads as absent.
redis.call("SET", KEYS[1], ARGV[5])
redis.call("PEXPIRE", KEYS[1], ARGV[6])
for i = 0, tokens - 1 do
  local a = 8 + i * 7
  local record, sealed = KEYS[3 + 2 * i], KEYS[4 + 2 * i]
  redis.call("HSET", record, "r", ARGV[a + 2], "f", ARGV[1])
  redis.call("PEXPIRE", record, ARGV[a + 3])
  if ARGV[a + 4] == "1" then
    redis.call("SET", sealed, ARGV[a + 5])
    redis.call("PEXPIRE", sealed, ARGV[a + 6])
  else
    redis.call("DEL", sealed)
  end
end
redis.call("ZADD", KEYS[2], ARGV[7], ARGV[1])
redis.call("ZREMRANGEBYSCORE", KEYS[2], "-inf", ARGV[2])
local last = redis.call("ZRANGE", KEYS[2], -1, -1, "WITHSCORES")
if last[2] then redis.call("PEXPIRE", KEYS[2], string.format("%d", tonumber(last[2]) - tonumber(ARGV[2]))) end
return 1
`;

// A consistent snapshot of one token: its record, its family id and its sealed successor.
// KEYS: record hash, sealed successor.
const READ_SCRIPT = `
local fields = redis.call("HMGET", KEYS[1], "r", "f")
return { fields[1], fields[2], redis.call("GET", KEYS[2]) }
`;

/**
 * @param {typeof import("../dist/node/jwtward_core.js")} core
 * @param {{ JwtError: any, argError: (message: string) => TypeError, callCore: Function,
 *           checkOptionNames: Function, checkDuration: Function, isPlainObject: Function }} shared
 */
module.exports = function createRefresh(core, { JwtError, argError, callCore, checkOptionNames, checkDuration, isPlainObject }) {
  const INSPECT = Symbol.for("nodejs.util.inspect.custom");

  function expect(ok, what, expected) {
    if (!ok) throw argError(`${what} must be ${expected}`);
  }

  function describe(v) {
    return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
  }

  /** A clock option: a function returning a Date or epoch seconds; the wall clock by default. */
  function clockFrom(now, what) {
    if (now === undefined) return () => Date.now() / 1000;
    expect(typeof now === "function", what, "a function returning a Date or epoch seconds");
    return () => {
      const t = now();
      if (t instanceof Date && !Number.isNaN(t.getTime())) return t.getTime() / 1000;
      if (typeof t === "number" && Number.isFinite(t) && t >= 0) return t;
      throw argError(`${what} must return a valid Date or a number of epoch seconds, got ${describe(t)}`);
    };
  }

  function checkEpochSeconds(v, what) {
    expect(typeof v === "number" && Number.isFinite(v) && v >= 0, what, "a number of epoch seconds");
  }

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

  const isText = (v) => v === null || v === undefined || typeof v === "string";

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
      const hash = core.hashToken(token);
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const read = await this.#store.read(hash);
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

  // ---------------------------------------------------------------- RefreshStore contract, shared checks

  /** Validates a commit before a built-in store applies it: it comes from the core, but a store is public API. */
  function checkCommit(c) {
    const isExpiry = (v) => typeof v === "number" && Number.isFinite(v);
    const ok =
      c !== null &&
      typeof c === "object" &&
      typeof c.familyId === "string" &&
      typeof c.subject === "string" &&
      c.family !== null &&
      typeof c.family === "object" &&
      isText(c.family.expect) &&
      typeof c.family.record === "string" &&
      isExpiry(c.family.expiresAt) &&
      Array.isArray(c.tokens) &&
      c.tokens.every(
        (t) =>
          t !== null &&
          typeof t === "object" &&
          typeof t.hash === "string" &&
          isText(t.expect) &&
          typeof t.record === "string" &&
          isExpiry(t.expiresAt) &&
          (t.sealed === undefined || t.sealed === null || (typeof t.sealed.value === "string" && isExpiry(t.sealed.expiresAt))),
      );
    if (!ok) throw argError("RefreshStore.commit: not a commit produced by RefreshTokens");
  }

  // ---------------------------------------------------------------- MemoryStore

  /**
   * Deletes expired entries of `map` a few at a time, resuming where the last call stopped, so a
   * full pass is spread over many writes and no single call pays for the whole map.
   */
  function sweeper(map) {
    let cursor = map.entries();
    return (now) => {
      for (let i = 0; i < SWEEP_BUDGET; i++) {
        let next = cursor.next();
        if (next.done) {
          cursor = map.entries();
          next = cursor.next();
          if (next.done) return;
        }
        if (next.value[1].expiresAt <= now) map.delete(next.value[0]);
      }
    };
  }

  /**
   * A RefreshStore and Denylist in this process's memory: for one process, tests and
   * development. Each commit is checked and applied in one synchronous section, so it is atomic
   * with respect to every other call. Expired entries read as absent and are swept a few per write.
   */
  class MemoryStore {
    #tokens = new Map(); // hash -> { familyId, record, expiresAt }
    #sealed = new Map(); // hash -> { value, expiresAt }
    #families = new Map(); // familyId -> { record, expiresAt }
    #subjects = new Map(); // subject -> { families: Map<familyId, expiresAt>, expiresAt }
    #denied = new Map(); // jti -> { expiresAt }
    #sweeps;
    #now;

    /** @param {{ now?: () => Date|number }} [options] `now`: the clock expiry is judged by (default: the wall clock). */
    constructor(options) {
      const o = checkOptionNames(options, ["now"], "MemoryStore options");
      this.#now = clockFrom(o.now, "MemoryStore options.now");
      this.#sweeps = [this.#tokens, this.#sealed, this.#families, this.#subjects, this.#denied].map(sweeper);
    }

    #live(map, key, now) {
      const entry = map.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now) {
        map.delete(key);
        return undefined;
      }
      return entry;
    }

    #sweep(now) {
      for (const sweep of this.#sweeps) sweep(now);
    }

    /** RefreshStore: the record filed under `tokenHash`, its sealed successor and its family's record. */
    async read(tokenHash) {
      const now = this.#now();
      const token = this.#live(this.#tokens, tokenHash, now);
      const sealed = this.#live(this.#sealed, tokenHash, now);
      const family = token && this.#live(this.#families, token.familyId, now);
      return { token: token ? token.record : null, sealed: sealed ? sealed.value : null, family: family ? family.record : null };
    }

    /** RefreshStore: a family's record. */
    async readFamily(familyId) {
      const family = this.#live(this.#families, familyId, this.#now());
      return family ? family.record : null;
    }

    /** RefreshStore: applies `change` if every `expect` still holds; true if applied. */
    async commit(change) {
      checkCommit(change);
      const now = this.#now();
      // Check and write with no await in between: nothing else runs until this returns.
      const family = this.#live(this.#families, change.familyId, now);
      if ((family ? family.record : null) !== (change.family.expect ?? null)) return false;
      for (const t of change.tokens) {
        const current = this.#live(this.#tokens, t.hash, now);
        if ((current ? current.record : null) !== (t.expect ?? null)) return false;
      }
      this.#families.set(change.familyId, { record: change.family.record, expiresAt: change.family.expiresAt });
      for (const t of change.tokens) {
        this.#tokens.set(t.hash, { familyId: change.familyId, record: t.record, expiresAt: t.expiresAt });
        if (t.sealed) this.#sealed.set(t.hash, { value: t.sealed.value, expiresAt: t.sealed.expiresAt });
        else this.#sealed.delete(t.hash);
      }
      let subject = this.#subjects.get(change.subject);
      if (subject === undefined) {
        subject = { families: new Map(), expiresAt: 0 };
        this.#subjects.set(change.subject, subject);
      }
      subject.families.set(change.familyId, change.family.expiresAt);
      subject.expiresAt = Math.max(subject.expiresAt, change.family.expiresAt);
      this.#sweep(now);
      return true;
    }

    /** RefreshStore: the ids of the subject's families that have not expired. */
    async familiesOf(subject) {
      const now = this.#now();
      const entry = this.#live(this.#subjects, subject, now);
      if (entry === undefined) return [];
      for (const [id, expiresAt] of entry.families) if (expiresAt <= now) entry.families.delete(id);
      return [...entry.families.keys()];
    }

    /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`). */
    async add(jti, expiresAt) {
      expect(typeof jti === "string" && jti.length > 0, "Denylist.add: jti", "a non-empty string");
      checkEpochSeconds(expiresAt, "Denylist.add: expiresAt");
      const now = this.#now();
      if (expiresAt > now) {
        const current = this.#denied.get(jti);
        this.#denied.set(jti, { expiresAt: Math.max(expiresAt, current ? current.expiresAt : 0) });
      }
      this.#sweep(now);
    }

    /** Denylist: whether `jti` is refused. */
    async has(jti) {
      expect(typeof jti === "string", "Denylist.has: jti", "a string");
      return this.#live(this.#denied, jti, this.#now()) !== undefined;
    }

    get [Symbol.toStringTag]() {
      return "MemoryStore";
    }

    [INSPECT]() {
      return `MemoryStore { tokens: ${this.#tokens.size}, families: ${this.#families.size}, denylist: ${this.#denied.size} }`;
    }
  }

  // ---------------------------------------------------------------- RedisStore

  const decoder = new TextDecoder();
  function text(v) {
    if (v === null || v === undefined) return null;
    if (typeof v === "string") return v;
    if (v instanceof Uint8Array) return decoder.decode(v); // clients configured to return Buffers
    return String(v);
  }

  /** Whole milliseconds of `seconds`, as Redis reads numbers. */
  const ms = (seconds) => String(Math.ceil(seconds * 1000));

  /**
   * The few commands RedisStore sends, for either client. ioredis: a lowercase method per
   * command, `eval(script, numKeys, ...keys, ...args)`, and `defineCommand` (which node-redis
   * lacks). node-redis v4+: `eval(script, { keys, arguments })` and camelCase methods.
   */
  function redisAdapter(client) {
    if (client === null || (typeof client !== "object" && typeof client !== "function")) {
      throw argError("new RedisStore(client): client must be a node-redis (v4+) or ioredis client");
    }
    if (typeof client.defineCommand === "function" && typeof client.eval === "function" && typeof client.hmget === "function") {
      return {
        eval: (script, keys, args) => client.eval(script, keys.length, ...keys, ...args),
        get: (key) => client.get(key),
        zrange: (key) => client.zrange(key, 0, -1),
        setPx: (key, value, ttlMs) => client.set(key, value, "PX", ttlMs),
        exists: (key) => client.exists(key),
      };
    }
    if (typeof client.sendCommand === "function" && typeof client.eval === "function" && typeof client.zRange === "function") {
      return {
        eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
        get: (key) => client.get(key),
        zrange: (key) => client.zRange(key, 0, -1),
        setPx: (key, value, ttlMs) => client.set(key, value, { PX: ttlMs }),
        exists: (key) => client.exists(key),
      };
    }
    throw argError("new RedisStore(client): client must be a node-redis (v4+) or ioredis client");
  }

  /**
   * A RefreshStore and Denylist in Redis, shared by every process that uses the same server and
   * prefix. Each commit is one Lua script (atomic on the server; no WATCH, so a shared connection
   * is safe). Every key carries an expiry, so nothing outlives the token, family or jti it is for.
   * Keys, under the prefix: `rt:<token hash>` (hash: record, family id), `rs:<token hash>`
   * (sealed successor, grace window only), `rf:<family id>`, `rsub:<subject>` (sorted set of
   * family ids by expiry), `deny:<jti>`. Redis Cluster is not supported: a commit spans keys of
   * several hash slots.
   */
  class RedisStore {
    #redis;
    #prefix;

    /** @param client a connected node-redis (v4+) or ioredis client. @param {{ prefix?: string }} [options] default "jwtward:". */
    constructor(client, options) {
      const o = checkOptionNames(options, ["prefix"], "RedisStore options");
      if (o.prefix !== undefined) expect(typeof o.prefix === "string", "RedisStore options.prefix", "a string");
      this.#redis = redisAdapter(client);
      this.#prefix = o.prefix ?? DEFAULT_REDIS_PREFIX;
    }

    #key(kind, id) {
      return `${this.#prefix}${kind}:${id}`;
    }

    /** RefreshStore: the record filed under `tokenHash`, its sealed successor and its family's record. */
    async read(tokenHash) {
      const reply = await this.#redis.eval(READ_SCRIPT, [this.#key("rt", tokenHash), this.#key("rs", tokenHash)], []);
      const [record, familyId, sealed] = Array.isArray(reply) ? reply.map(text) : [null, null, null];
      const family = familyId === null ? null : text(await this.#redis.get(this.#key("rf", familyId)));
      return { token: record, sealed, family };
    }

    /** RefreshStore: a family's record. */
    async readFamily(familyId) {
      return text(await this.#redis.get(this.#key("rf", familyId)));
    }

    /** RefreshStore: applies `change` atomically if every `expect` still holds; true if applied. */
    async commit(change) {
      checkCommit(change);
      const keys = [this.#key("rf", change.familyId), this.#key("rsub", change.subject)];
      const flag = (v) => (typeof v === "string" ? ["1", v] : ["0", ""]);
      // Times to live from this process's clock, the one RefreshTokens computed the expiries
      // with: Redis's own clock never judges an absolute time of ours.
      const now = Date.now() / 1000;
      const ttl = (expiresAt) => ms(expiresAt - now);
      const family = change.family;
      const args = [change.familyId, ms(now), ...flag(family.expect), family.record, ttl(family.expiresAt), ms(family.expiresAt)];
      for (const t of change.tokens) {
        keys.push(this.#key("rt", t.hash), this.#key("rs", t.hash));
        args.push(...flag(t.expect), t.record, ttl(t.expiresAt));
        args.push(...(t.sealed ? ["1", t.sealed.value, ttl(t.sealed.expiresAt)] : ["0", "", "0"]));
      }
      const reply = await this.#redis.eval(CAS_SCRIPT, keys, args);
      return Number(reply) === 1;
    }

    /** RefreshStore: the ids of the subject's families (expired ones are pruned on the next commit). */
    async familiesOf(subject) {
      const reply = await this.#redis.zrange(this.#key("rsub", subject));
      return Array.isArray(reply) ? reply.map(text) : [];
    }

    /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`), then Redis drops it. */
    async add(jti, expiresAt) {
      expect(typeof jti === "string" && jti.length > 0, "Denylist.add: jti", "a non-empty string");
      checkEpochSeconds(expiresAt, "Denylist.add: expiresAt");
      const ttl = Math.ceil(expiresAt * 1000 - Date.now());
      if (ttl > 0) await this.#redis.setPx(this.#key("deny", jti), "1", ttl);
    }

    /** Denylist: whether `jti` is refused. */
    async has(jti) {
      expect(typeof jti === "string", "Denylist.has: jti", "a string");
      return Number(await this.#redis.exists(this.#key("deny", jti))) > 0;
    }

    get [Symbol.toStringTag]() {
      return "RedisStore";
    }

    [INSPECT]() {
      return `RedisStore { prefix: ${JSON.stringify(this.#prefix)} }`;
    }
  }

  return { generateRefreshToken, hashToken, RefreshTokens, MemoryStore, RedisStore };
};
