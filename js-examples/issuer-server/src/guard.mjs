// What the server does when its store (Redis) is down or stalled: every store call gets a
// deadline, and any failure of the store itself becomes `Unavailable` (503 + Retry-After)
// instead of an "internal error" or a request that waits as long as the stall lasts.
import { AsyncLocalStorage } from "node:async_hooks";
import { JwtError } from "jwtward";

/**
 * The store or the password hasher cannot serve now; the client should retry later. `busy`:
 * refused for load (retry in a second), otherwise an outage (retry after RETRY_AFTER).
 */
export class Unavailable extends Error {
  constructor(message, { cause, busy = false } = {}) {
    super(message, { cause });
    this.status = 503;
    this.code = "temporarily_unavailable";
    this.busy = busy;
  }
}

/** Rejects with `Unavailable` when `promise` has not settled within `ms` (0: no deadline). */
export function withDeadline(promise, ms, what) {
  if (!ms) return promise;
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Unavailable(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// Our own argument mistakes stay visible as programming errors; everything else a store throws
// (connection refused or lost, offline client, LOADING after a restart, a deadline) is an outage.
function asOutage(e, what) {
  if (e instanceof Unavailable || e instanceof JwtError || e instanceof TypeError || e instanceof RangeError) return e;
  return new Unavailable(`${what} failed: ${e?.message ?? e}`, { cause: e });
}

/** `obj` with each of `methods` under a deadline, store failures turned into `Unavailable`. */
function guarded(obj, methods, timeoutMs, what, after = {}) {
  const out = {};
  for (const m of methods) {
    out[m] = async (...args) => {
      let result;
      try {
        result = await withDeadline(Promise.resolve().then(() => obj[m](...args)), timeoutMs, what);
      } catch (e) {
        throw asOutage(e, what);
      }
      after[m]?.(args, result);
      return result;
    };
  }
  return out;
}

// Which family each landed commit was for, per request: when `rotate` reports reuse, the
// request learns which family the core has just revoked (a commit names its family).
const commits = new AsyncLocalStorage();

/** Runs `fn` and resolves to `{ value, error, families }`: the ids of the families it committed to. */
export async function trackingCommits(fn) {
  const families = [];
  return commits.run(families, async () => {
    try {
      return { value: await fn(), families };
    } catch (error) {
      return { error, families };
    }
  });
}

/** A RefreshStore + Denylist (MemoryStore, RedisStore) with deadlines and commit tracking. */
export function guardStore(store, timeoutMs) {
  return guarded(store, ["read", "readFamily", "commit", "familiesOf", "add", "has"], timeoutMs, "the token store", {
    commit: ([change], landed) => {
      if (landed === true) commits.getStore()?.push(change.familyId);
    },
  });
}

/** A MemoryKv / RedisKv with deadlines. */
export function guardKv(kv, timeoutMs) {
  return guarded(kv, ["get", "setIfAbsent", "hit", "delete"], timeoutMs, "the account store");
}
