// What RedisStore and RedisClusterStore share: the few commands they send, for node-redis (v4+)
// and ioredis, single-server clients and cluster clients alike, and the conversions of replies.
import { argError } from "../errors.js";
import { checkEpochSeconds, expect } from "../options.js";

const decoder = new TextDecoder();

/** A reply as text: a string, or null for "absent" (clients configured to return Buffers too). */
export function text(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return decoder.decode(v);
  return String(v);
}

/** Whole milliseconds of `seconds`, as Redis reads numbers. */
export const ms = (seconds) => String(Math.ceil(seconds * 1000));

/**
 * The keys and arguments of a commit's compare-and-set script, in the layout both stores' scripts
 * read (redis-scripts.js): the family's, then per token its record and sealed successor, whose
 * two keys `tokenKeys(hash)` names. Times to live come from this process's clock, the one
 * RefreshTokens computed the expiries with: Redis's own clock never judges an absolute time of
 * ours. `now` (epoch seconds) is returned for what else the commit writes.
 */
export function casArguments(change, tokenKeys) {
  const now = Date.now() / 1000;
  const ttl = (expiresAt) => ms(expiresAt - now);
  const flag = (v) => (typeof v === "string" ? ["1", v] : ["0", ""]);
  const family = change.family;
  const keys = [];
  const args = [change.familyId, ms(now), ...flag(family.expect), family.record, ttl(family.expiresAt), ms(family.expiresAt)];
  for (const t of change.tokens) {
    keys.push(...tokenKeys(t.hash));
    args.push(...flag(t.expect), t.record, ttl(t.expiresAt));
    args.push(...(t.sealed ? ["1", t.sealed.value, ttl(t.sealed.expiresAt)] : ["0", "", "0"]));
  }
  return { now, keys, args };
}

/** Denylist.add of both stores: `key` refuses its jti until `expiresAt` (epoch seconds: the token's `exp`), then Redis drops it. */
export async function addDenied(redis, key, jti, expiresAt) {
  expect(typeof jti === "string" && jti.length > 0, "Denylist.add: jti", "a non-empty string");
  checkEpochSeconds(expiresAt, "Denylist.add: expiresAt");
  const ttl = Math.ceil(expiresAt * 1000 - Date.now());
  if (ttl > 0) await redis.setPx(key(jti), "1", ttl);
}

/** Denylist.has of both stores. */
export async function isDenied(redis, key, jti) {
  expect(typeof jti === "string", "Denylist.has: jti", "a string");
  return Number(await redis.exists(key(jti))) > 0;
}

/** Whether `client` is a cluster client: ioredis's `Cluster` or node-redis's `createCluster`. */
export function isClusterClient(client) {
  return client !== null && typeof client === "object" && (client.isCluster === true || typeof client.getSlotMaster === "function");
}

/**
 * The few commands the Redis stores send, for either client. ioredis: a lowercase method per
 * command, `eval(script, numKeys, ...keys, ...args)`, and `defineCommand` (which node-redis
 * lacks). node-redis v4+: `eval(script, { keys, arguments })` and camelCase methods. Cluster
 * clients of both route each command by its first key, so a script's keys must share a slot.
 * @param {string} who the constructor, for messages
 */
export function redisAdapter(client, who) {
  const wrong = () => argError(`new ${who}(client): client must be a node-redis (v4+) or ioredis client`);
  if (client === null || (typeof client !== "object" && typeof client !== "function")) throw wrong();
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
  throw wrong();
}
