// Configuration of the issuer server, from environment variables, with embedded defaults that
// run on a bare machine: no REDIS_URL means in-memory refresh state, denylist and rate limits.
import { availableParallelism } from "node:os";

const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in "900", "15m", "14d" (the forms the package accepts too). */
export function seconds(value, name) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(String(value));
  if (!m) throw new Error(`${name} must be a number of seconds or a duration like "15m", "14d"; got ${JSON.stringify(value)}`);
  return Number(m[1]) * UNITS[m[2] || "s"];
}

function integer(value, name, min = 0) {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be an integer of at least ${min}; got ${JSON.stringify(value)}`);
  return n;
}

const ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * @param {Record<string, string | undefined>} env usually `process.env`
 */
export function configFromEnv(env = {}) {
  const host = env.HOST ?? "127.0.0.1";
  const port = integer(env.PORT ?? "8080", "PORT");
  const alg = env.SIGNING_ALG ?? "ES256";
  if (!ASYMMETRIC.includes(alg)) throw new Error(`SIGNING_ALG must be one of ${ASYMMETRIC.join(", ")} (a JWKS publishes public keys)`);
  const hashConcurrency = integer(env.HASH_CONCURRENCY ?? String(availableParallelism()), "HASH_CONCURRENCY", 1);
  return {
    host,
    port,
    // Every process that shares state must share this name, or each refuses the others' tokens.
    // Unset: http://HOST:PORT as configured (with PORT=0, the port it listens on), which only
    // suits a single process; with REDIS_URL the server warns that ISSUER should be set.
    issuer: env.ISSUER || null,
    audience: env.AUDIENCE ?? "api",
    accessTtl: seconds(env.ACCESS_TTL ?? "15m", "ACCESS_TTL"),
    refreshTtl: seconds(env.REFRESH_TTL ?? "14d", "REFRESH_TTL"),
    familyLifetime: seconds(env.FAMILY_LIFETIME ?? "30d", "FAMILY_LIFETIME"),
    reuseGrace: seconds(env.REUSE_GRACE ?? "10s", "REUSE_GRACE"),
    signingAlg: alg,
    keyRotation: seconds(env.KEY_ROTATION ?? "30d", "KEY_ROTATION"),
    // A new key is published this long before it signs, so verifiers holding a cached JWKS
    // (max-age 300 s here, remoteKeySet's default 10 min) already know it when it starts signing.
    keyPublishDelay: seconds(env.KEY_PUBLISH_DELAY ?? "10m", "KEY_PUBLISH_DELAY"),
    dataDir: env.DATA_DIR ?? "./data",
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX ?? "issuer:",
    loginLimitAccount: integer(env.LOGIN_LIMIT_ACCOUNT ?? "5", "LOGIN_LIMIT_ACCOUNT"),
    loginLimitIp: integer(env.LOGIN_LIMIT_IP ?? "20", "LOGIN_LIMIT_IP"),
    loginWindow: seconds(env.LOGIN_WINDOW ?? "15m", "LOGIN_WINDOW"),
    // In-memory login counters kept at most; when full, new keys are limited (never grown).
    loginCountersMax: integer(env.LOGIN_COUNTERS_MAX ?? "50000", "LOGIN_COUNTERS_MAX", 1),
    // Password hashing (scrypt): this many at once, this many waiting; beyond that, 503. A
    // short queue keeps an admitted login fast: its wait is about queue / hashes per second.
    hashConcurrency,
    hashQueue: integer(env.HASH_QUEUE ?? String(2 * hashConcurrency), "HASH_QUEUE"),
    // Deadline of each call to the store (Redis): a stalled store answers 503, not never.
    storeTimeout: seconds(env.STORE_TIMEOUT ?? "2s", "STORE_TIMEOUT"),
    retryAfter: integer(env.RETRY_AFTER ?? "2", "RETRY_AFTER", 1),
    // Slow clients: the whole request (headers and body) must arrive within REQUEST_TIMEOUT.
    headersTimeout: seconds(env.HEADERS_TIMEOUT ?? "10s", "HEADERS_TIMEOUT"),
    requestTimeout: seconds(env.REQUEST_TIMEOUT ?? "15s", "REQUEST_TIMEOUT"),
    trustProxy: env.TRUST_PROXY === "1",
    secureCookie: env.COOKIE_SECURE !== "0",
    // Tests only: GET /__test/heap (heap after a GC; needs node --expose-gc).
    testHooks: env.ISSUER_TEST_HOOKS === "1",
  };
}
