// `RedisStore`: a RefreshStore and Denylist in Redis, for node-redis (v4+) or ioredis. Plain
// JavaScript, no core: the commit is one Lua script (redis-scripts.js), atomic on the server.
import { argError } from "../errors.js";
import { INSPECT, checkOptionNames, expect } from "../options.js";
import { checkCommit } from "./contract.js";
import { addDenied, casArguments, isClusterClient, isDenied, redisAdapter, text } from "./redis-client.js";
import { CAS_SCRIPT, READ_SCRIPT } from "./redis-scripts.js";

const DEFAULT_REDIS_PREFIX = "jwtward:";

/**
 * A RefreshStore and Denylist in Redis, shared by every process that uses the same server and
 * prefix. Each commit is one Lua script (atomic on the server; no WATCH, so a shared connection
 * is safe). Every key carries an expiry, so nothing outlives the token, family or jti it is for.
 * Keys, under the prefix: `rt:<token hash>` (hash: record, family id), `rs:<token hash>`
 * (sealed successor, grace window only), `rf:<family id>`, `rsub:<subject>` (sorted set of
 * family ids by expiry), `deny:<jti>`. Not for Redis Cluster (a commit spans keys of several hash slots):
 * RedisClusterStore is, with a layout that keeps each commit in one slot.
 */
export class RedisStore {
  #redis;
  #prefix;

  /** @param client a connected node-redis (v4+) or ioredis client. @param {{ prefix?: string }} [options] default "jwtward:". */
  constructor(client, options) {
    const o = checkOptionNames(options, ["prefix"], "RedisStore options");
    if (o.prefix !== undefined) expect(typeof o.prefix === "string", "RedisStore options.prefix", "a string");
    if (isClusterClient(client)) {
      throw argError("new RedisStore(client): this is a cluster client, and RedisStore's commits span hash slots (CROSSSLOT); use RedisClusterStore");
    }
    this.#redis = redisAdapter(client, "RedisStore");
    this.#prefix = o.prefix ?? DEFAULT_REDIS_PREFIX;
  }

  #key(kind, id) {
    return `${this.#prefix}${kind}:${id}`;
  }

  /** RefreshStore: the record filed under `tokenHash`, its sealed successor and its family's record.
   * One keyspace: the token's routing tag (a second argument) is not needed and is ignored. */
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
    const { keys, args } = casArguments(change, (hash) => [this.#key("rt", hash), this.#key("rs", hash)]);
    const reply = await this.#redis.eval(CAS_SCRIPT, [this.#key("rf", change.familyId), this.#key("rsub", change.subject), ...keys], args);
    return Number(reply) === 1;
  }

  /** RefreshStore: the ids of the subject's families (expired ones are pruned on the next commit). */
  async familiesOf(subject) {
    const reply = await this.#redis.zrange(this.#key("rsub", subject));
    return Array.isArray(reply) ? reply.map(text) : [];
  }

  /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`), then Redis drops it. */
  add(jti, expiresAt) {
    return addDenied(this.#redis, (id) => this.#key("deny", id), jti, expiresAt);
  }

  /** Denylist: whether `jti` is refused. */
  has(jti) {
    return isDenied(this.#redis, (id) => this.#key("deny", id), jti);
  }

  get [Symbol.toStringTag]() {
    return "RedisStore";
  }

  [INSPECT]() {
    return `RedisStore { prefix: ${JSON.stringify(this.#prefix)} }`;
  }
}
