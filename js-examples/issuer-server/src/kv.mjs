// The little key-value state the server keeps besides refresh tokens (accounts and login
// counters), behind three operations, in memory or in Redis. With Redis, several server
// processes share it, as they share refresh state through the package's RedisStore.

/**
 * In-process state: enough for one server process and for the bare-machine demo. Values
 * (accounts) are kept; login counters expire with their window, are swept as new ones come in,
 * and are capped at `maxCounters`: when the table is full of live counters, a new key is
 * reported as over any limit instead of growing the table (fail safe under a flood).
 */
export class MemoryKv {
  #values = new Map(); // key -> value
  #counters = new Map(); // key -> { count, expiresAt (ms) }, in creation order
  #maxCounters;

  constructor({ maxCounters = 50_000 } = {}) {
    this.#maxCounters = maxCounters;
  }

  async get(key) {
    return this.#values.get(key) ?? null;
  }

  /** Sets `key` only if absent; true when set. */
  async setIfAbsent(key, value) {
    if (this.#values.has(key)) return false;
    this.#values.set(key, value);
    return true;
  }

  // Counters are created in order and (one window length per server) expire in that order, so
  // the expired ones are at the front: each is deleted once, O(1) per hit amortised.
  #sweep(now) {
    for (const [key, e] of this.#counters) {
      if (e.expiresAt > now) break;
      this.#counters.delete(key);
    }
  }

  /** Counts a hit in a fixed window: `{ count, resetMs }`, the window starting at the first hit. */
  async hit(key, windowMs) {
    const now = Date.now();
    this.#sweep(now);
    let e = this.#counters.get(key);
    if (e && e.expiresAt <= now) {
      this.#counters.delete(key);
      e = undefined;
    }
    if (!e) {
      if (this.#counters.size >= this.#maxCounters) {
        const oldest = this.#counters.values().next().value;
        return { count: Infinity, resetMs: Math.max(1000, oldest.expiresAt - now) };
      }
      e = { count: 0, expiresAt: now + windowMs };
      this.#counters.set(key, e);
    }
    e.count += 1;
    return { count: e.count, resetMs: e.expiresAt - now };
  }

  async delete(key) {
    this.#counters.delete(key);
  }

  /** Entries held, for tests and diagnostics. */
  get size() {
    return { values: this.#values.size, counters: this.#counters.size };
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
