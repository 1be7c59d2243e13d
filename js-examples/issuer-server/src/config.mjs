// Configuration of the issuer server, from environment variables, with embedded defaults that
// run on a bare machine: no REDIS_URL means in-memory refresh state, denylist and rate limits.

const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in "900", "15m", "14d" (the forms the package accepts too). */
export function seconds(value, name) {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$/.exec(String(value));
  if (!m) throw new Error(`${name} must be a number of seconds or a duration like "15m", "14d"; got ${JSON.stringify(value)}`);
  return Number(m[1]) * UNITS[m[2] || "s"];
}

function integer(value, name) {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer; got ${JSON.stringify(value)}`);
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
  return {
    host,
    port,
    // With PORT=0 the issuer is only known once listening; createIssuer fills it in then.
    issuer: env.ISSUER ?? null,
    audience: env.AUDIENCE ?? "api",
    accessTtl: seconds(env.ACCESS_TTL ?? "15m", "ACCESS_TTL"),
    refreshTtl: seconds(env.REFRESH_TTL ?? "14d", "REFRESH_TTL"),
    familyLifetime: seconds(env.FAMILY_LIFETIME ?? "30d", "FAMILY_LIFETIME"),
    reuseGrace: seconds(env.REUSE_GRACE ?? "10s", "REUSE_GRACE"),
    signingAlg: alg,
    keyRotation: seconds(env.KEY_ROTATION ?? "30d", "KEY_ROTATION"),
    dataDir: env.DATA_DIR ?? "./data",
    redisUrl: env.REDIS_URL || null,
    redisPrefix: env.REDIS_PREFIX ?? "issuer:",
    loginLimitAccount: integer(env.LOGIN_LIMIT_ACCOUNT ?? "5", "LOGIN_LIMIT_ACCOUNT"),
    loginLimitIp: integer(env.LOGIN_LIMIT_IP ?? "20", "LOGIN_LIMIT_IP"),
    loginWindow: seconds(env.LOGIN_WINDOW ?? "15m", "LOGIN_WINDOW"),
    trustProxy: env.TRUST_PROXY === "1",
    secureCookie: env.COOKIE_SECURE !== "0",
  };
}
