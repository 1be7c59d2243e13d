// `RedisClusterStore`: a RefreshStore and Denylist on Redis Cluster (or Valkey cluster mode), for
// node-redis's `createCluster` and ioredis's `Cluster`. Plain JavaScript, no core.
//
// Layout. A cluster runs a script only if all its keys hash to one slot, so every key a commit
// touches carries the family id as its {hash tag}; a token names its family (routed tokens,
// `<familyId>.<secret>`), so a rotation finds its slot without any global lookup:
//   <prefix>{<familyId>}:family              the family record
//   <prefix>{<familyId>}:token:<token hash>  hash: the token record (r) and family id (f)
//   <prefix>{<familyId>}:sealed:<token hash> the sealed successor, grace window only
//   <prefix>subject:<subject>                sorted set of family ids by expiry (its own slot)
//   <prefix>deny:<jti>                       Denylist entries
// The compare-and-set (CLUSTER_CAS_SCRIPT) is RedisStore's, minus the subject index: atomicity,
// reuse detection and the grace window are exactly as on one server.
//
// The subject index lives in another slot, so it cannot be part of a commit. It is written once
// per family, BEFORE the family's first commit, and never by a rotation or a revocation: no
// rotation waits on it or can be made wrong by it, and a family is never usable without being in
// the index (revokeSubject finds every family whose issue() returned). What it can hold that is
// stale: ids of families whose first commit never landed (issue() failed after the index write)
// and of families revoked or expired; each reads as absent or already revoked, so revokeSubject
// skips it. Expired ids are pruned at the subject's next login and the whole key expires with its
// longest family. Redis replication is asynchronous: an automatic failover after a master crash
// (not CLUSTER FAILOVER, which waits for the replica to catch up) can lose the last writes
// acknowledged by that master: a family's latest commit (its token then reads as unknown or as the
// state before, never as a fork: a lost write is a whole commit) or an index entry, which
// revokeSubject then misses. `WAIT` after writes would narrow that window; this store does not.
import { JwtError, argError } from "../errors.js";
import { INSPECT, checkOptionNames, expect } from "../options.js";
import { checkCommit } from "./contract.js";
import { addDenied, casArguments, isDenied, ms, redisAdapter, text } from "./redis-client.js";
import { CLUSTER_CAS_SCRIPT, CLUSTER_READ_SCRIPT, INDEX_SCRIPT } from "./redis-scripts.js";

const DEFAULT_PREFIX = "jwtward:";
/** A family id as the core draws them (base64url); anything else is not ours and reads as absent. */
const FAMILY_ID = /^[A-Za-z0-9_-]{22}$/;

/** Why a token without a routing tag is refused (`ERR_REFRESH_INVALID`). */
export const LEGACY_TOKEN_MESSAGE =
  "this refresh token has no routing tag: it was issued by a store layout from before Redis Cluster support " +
  "(a RedisStore, or a jwtward version before routed tokens), so RedisClusterStore cannot locate it; sign in again";

/**
 * A RefreshStore and Denylist on Redis Cluster, shared by every process that uses the same
 * cluster and prefix. Each commit is one Lua script inside the family's hash slot; every key
 * expires with what it is for. Works on a single Redis too (hash tags are then just names).
 * Tokens from before routed tokens (no family id in them) are refused with `ERR_REFRESH_INVALID`.
 */
export class RedisClusterStore {
  #redis;
  #prefix;

  /**
   * @param client a connected node-redis cluster (`createCluster`) or ioredis `Cluster` (a single-server client works too).
   * @param {{ prefix?: string }} [options] default "jwtward:"; without `{` or `}` (they would change the hash tag).
   */
  constructor(client, options) {
    const o = checkOptionNames(options, ["prefix"], "RedisClusterStore options");
    if (o.prefix !== undefined) {
      expect(typeof o.prefix === "string" && !/[{}]/.test(o.prefix), "RedisClusterStore options.prefix", "a string without { or }");
    }
    this.#redis = redisAdapter(client, "RedisClusterStore");
    this.#prefix = o.prefix ?? DEFAULT_PREFIX;
  }

  #inFamily(familyId, kind, hash) {
    return `${this.#prefix}{${familyId}}:${kind}${hash === undefined ? "" : `:${hash}`}`;
  }

  #subject(subject) {
    return `${this.#prefix}subject:${subject}`;
  }

  /**
   * RefreshStore: the record filed under `tokenHash` in family `familyId` (the token's routing
   * tag), its sealed successor and the family's record, read together in the family's slot.
   * Rejects with `ERR_REFRESH_INVALID` for a token without a tag (issued before routed tokens).
   */
  async read(tokenHash, familyId) {
    if (familyId === undefined || familyId === null) throw new JwtError("ERR_REFRESH_INVALID", LEGACY_TOKEN_MESSAGE);
    if (typeof familyId !== "string" || !FAMILY_ID.test(familyId)) return { token: null, sealed: null, family: null };
    const keys = [this.#inFamily(familyId, "token", tokenHash), this.#inFamily(familyId, "sealed", tokenHash), this.#inFamily(familyId, "family")];
    const reply = await this.#redis.eval(CLUSTER_READ_SCRIPT, keys, []);
    const [token, sealed, family] = Array.isArray(reply) ? reply.map(text) : [null, null, null];
    return { token, sealed, family };
  }

  /** RefreshStore: a family's record. */
  async readFamily(familyId) {
    if (typeof familyId !== "string" || !FAMILY_ID.test(familyId)) return null;
    return text(await this.#redis.get(this.#inFamily(familyId, "family")));
  }

  /** RefreshStore: applies `change` atomically (one script, one slot) if every `expect` still holds; true if applied. */
  async commit(change) {
    checkCommit(change);
    if (!FAMILY_ID.test(change.familyId)) throw argError("RedisClusterStore.commit: not a commit produced by RefreshTokens (family id)");
    const id = change.familyId;
    const { now, keys, args } = casArguments(change, (hash) => [this.#inFamily(id, "token", hash), this.#inFamily(id, "sealed", hash)]);
    if (typeof change.family.expect !== "string") {
      // A new family: into the subject's index first, so it is never usable without being there.
      await this.#redis.eval(INDEX_SCRIPT, [this.#subject(change.subject)], [id, ms(now), ms(change.family.expiresAt)]);
    }
    const reply = await this.#redis.eval(CLUSTER_CAS_SCRIPT, [this.#inFamily(id, "family"), ...keys], args);
    return Number(reply) === 1;
  }

  /** RefreshStore: the ids of the subject's families (may name revoked, expired or never-committed ones). */
  async familiesOf(subject) {
    const reply = await this.#redis.zrange(this.#subject(subject));
    return Array.isArray(reply) ? reply.map(text) : [];
  }

  /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`), then Redis drops it. */
  add(jti, expiresAt) {
    return addDenied(this.#redis, (id) => `${this.#prefix}deny:${id}`, jti, expiresAt);
  }

  /** Denylist: whether `jti` is refused. */
  has(jti) {
    return isDenied(this.#redis, (id) => `${this.#prefix}deny:${id}`, jti);
  }

  get [Symbol.toStringTag]() {
    return "RedisClusterStore";
  }

  [INSPECT]() {
    return `RedisClusterStore { prefix: ${JSON.stringify(this.#prefix)} }`;
  }
}
