// What RedisStore and RedisClusterStore share: the few commands they send, for node-redis (v4+)
// and ioredis, single-server clients and cluster clients alike, and the conversions of replies.
import { argError } from "../errors.js";

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
