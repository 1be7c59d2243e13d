// The little key-value state the server keeps besides refresh tokens (accounts and login
// counters), behind three operations, in memory or in Redis. With Redis, several server
// processes share it, as they share refresh state through the package's RedisStore.

/** In-process state: enough for one server process and for the bare-machine demo. */
export class MemoryKv {
  #map = new Map(); // key -> { value, expiresAt (ms) | Infinity }

  #live(key) {
    const e = this.#map.get(key);
    if (e && e.expiresAt <= Date.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return e;
  }

  async get(key) {
    return this.#live(key)?.value ?? null;
  }

  /** Sets `key` only if absent; true when set. */
  async setIfAbsent(key, value) {
    if (this.#live(key)) return false;
    this.#map.set(key, { value, expiresAt: Infinity });
    return true;
  }

  /** Counts a hit in a fixed window: `{ count, resetMs }`, the window starting at the first hit. */
  async hit(key, windowMs) {
    const e = this.#live(key) ?? { value: 0, expiresAt: Date.now() + windowMs };
    e.value += 1;
    this.#map.set(key, e);
    return { count: e.value, resetMs: e.expiresAt - Date.now() };
  }

  async delete(key) {
    this.#map.delete(key);
  }
}

// INCR and set the window's expiry on the first hit, atomically; returns [count, ms left].
const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { n, redis.call('PTTL', KEYS[1]) }`;

/** Shared state in Redis through a node-redis client (`createClient({ url })`, connected). */
export class RedisKv {
  #client;
  #prefix;

  constructor(client, prefix) {
    this.#client = client;
    this.#prefix = prefix;
  }

  // sendCommand keeps to the Redis protocol itself, the same across node-redis versions.
  #cmd(...args) {
    return this.#client.sendCommand(args.map(String));
  }

  async get(key) {
    return this.#cmd("GET", this.#prefix + key);
  }

  async setIfAbsent(key, value) {
    return (await this.#cmd("SET", this.#prefix + key, value, "NX")) === "OK";
  }

  async hit(key, windowMs) {
    const [count, ttl] = await this.#cmd("EVAL", HIT_SCRIPT, 1, this.#prefix + key, Math.max(1, Math.ceil(windowMs)));
    return { count: Number(count), resetMs: Math.max(0, Number(ttl)) };
  }

  async delete(key) {
    await this.#cmd("DEL", this.#prefix + key);
  }
}
