// The reference token-issuing server: register, login (rate-limited), refresh with rotation
// and reuse detection, logout (denylists the access token, revokes the refresh family), a
// protected route, and the JWKS and discovery documents. Every token operation goes through
// jwtward; node:http, node:crypto's scrypt and (optionally) a Redis client do the rest.
import http from "node:http";
import { JwtError, MemoryStore, RedisStore, RefreshTokens, Verifier, bearerToken } from "jwtward";
import { Accounts, AccountError, LoginLimiter } from "./accounts.mjs";
import { MemoryKv, RedisKv } from "./kv.mjs";
import { SigningKeys } from "./keys.mjs";

const MAX_BODY = 16 * 1024;
const REFRESH_COOKIE = "refresh_token";
const JWKS_MAX_AGE = 300;

class HttpError extends Error {
  constructor(status, code, message, headers = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** RFC 6750 3: the challenge of a 401, with the error only when credentials were presented. */
function bearerChallenge(realm, error, description) {
  const clean = (s) => String(s).replace(/["\\\r\n]/g, "'");
  return error ? `Bearer realm="${clean(realm)}", error="${error}", error_description="${clean(description)}"` : `Bearer realm="${clean(realm)}"`;
}

function send(res, status, body, headers = {}) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

async function readJson(req) {
  if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) {
    if (Number(req.headers["content-length"] ?? 0) === 0 && req.headers["transfer-encoding"] === undefined) return {};
    throw new HttpError(415, "invalid_request", "send a JSON body (content-type: application/json)");
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new HttpError(413, "invalid_request", `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_request", "the body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "invalid_request", "the body must be a JSON object");
  return body;
}

function cookie(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return null;
}

/**
 * Builds the issuer. `config` comes from `configFromEnv`; `redis` is a connected node-redis
 * client when REDIS_URL is set (the caller owns it).
 */
export async function createIssuer(config, { redis = null } = {}) {
  const store = redis ? new RedisStore(redis, { prefix: `${config.redisPrefix}refresh:` }) : new MemoryStore();
  const kv = redis ? new RedisKv(redis, config.redisPrefix) : new MemoryKv();
  const accounts = new Accounts(kv);
  const limiter = new LoginLimiter(kv, { perIp: config.loginLimitIp, perAccount: config.loginLimitAccount, windowSeconds: config.loginWindow });
  const keys = new SigningKeys({ dir: config.dataDir, alg: config.signingAlg, rotateAfter: config.keyRotation, accessTtl: config.accessTtl });
  const refreshTokens = new RefreshTokens({ store, ttl: config.refreshTtl, familyLifetime: config.familyLifetime, reuseGrace: config.reuseGrace });
  let issuer = config.issuer;

  // The verifier for our own access tokens, rebuilt when the published keys change.
  let verifier = null;
  let verifierVersion = -1;
  function accessVerifier() {
    if (verifierVersion !== keys.version) {
      verifierVersion = keys.version;
      verifier = new Verifier(keys.keySet(), { algorithms: [config.signingAlg], issuer, audience: config.audience, typ: "at+jwt" });
    }
    return verifier;
  }

  function refreshCookie(token, maxAge) {
    const attrs = [`${REFRESH_COOKIE}=${token}`, "HttpOnly", "SameSite=Strict", "Path=/auth", `Max-Age=${Math.max(0, Math.floor(maxAge))}`];
    if (config.secureCookie) attrs.push("Secure");
    return attrs.join("; ");
  }

  /** The access token for a session, and the response body and cookie of a login or refresh. */
  function tokenResponse(res, status, { subject, email, refresh }) {
    const access = keys
      .signer({ issuer, audience: config.audience, accessTtl: config.accessTtl })
      .sign({ email, sid: refresh.familyId, scope: "profile" }, { subject });
    send(
      res,
      status,
      {
        token_type: "Bearer",
        access_token: access,
        expires_in: config.accessTtl,
        refresh_token: refresh.token,
        refresh_expires_at: Math.floor(refresh.expiresAt),
      },
      { "set-cookie": refreshCookie(refresh.token, refresh.expiresAt - Date.now() / 1000) },
    );
  }

  /** Verifies the request's access token, the denylist included; 401 with a challenge otherwise. */
  async function authenticate(req) {
    const token = bearerToken(req);
    if (token === null) throw new HttpError(401, "invalid_request", "an access token is required", { "www-authenticate": bearerChallenge(issuer) });
    try {
      return await accessVerifier().verifyAsync(token, { isRevoked: (jti) => store.has(jti) });
    } catch (e) {
      if (!(e instanceof JwtError)) throw e;
      throw new HttpError(401, e.code, e.message, { "www-authenticate": bearerChallenge(issuer, "invalid_token", e.message) });
    }
  }

  function clientIp(req) {
    const forwarded = config.trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0].trim() : "";
    return forwarded || req.socket.remoteAddress || "unknown";
  }

  const routes = {
    "POST /auth/register": async (req, res) => {
      const { email, password } = await readJson(req);
      send(res, 201, await accounts.register(email, password));
    },

    "POST /auth/login": async (req, res) => {
      const { email, password } = await readJson(req);
      const wait = await limiter.attempt(clientIp(req), email);
      if (wait > 0) throw new HttpError(429, "too_many_requests", "too many login attempts; try again later", { "retry-after": String(wait) });
      const account = await accounts.authenticate(email, password);
      if (!account) throw new HttpError(401, "invalid_credentials", "wrong email or password");
      await limiter.succeeded(account.email);
      const refresh = await refreshTokens.issue(account.id, { email: account.email });
      tokenResponse(res, 200, { subject: account.id, email: account.email, refresh });
    },

    "POST /auth/refresh": async (req, res) => {
      const body = await readJson(req);
      const presented = typeof body.refresh_token === "string" ? body.refresh_token : cookie(req, REFRESH_COOKIE);
      if (!presented) throw new HttpError(400, "invalid_request", "send the refresh token in the cookie or as refresh_token");
      let refresh;
      try {
        refresh = await refreshTokens.rotate(presented);
      } catch (e) {
        if (!(e instanceof JwtError)) throw e;
        // A reused token has just revoked its whole family: the client must log in again.
        throw new HttpError(401, e.code, e.message, { "set-cookie": refreshCookie("", 0) });
      }
      tokenResponse(res, 200, { subject: refresh.subject, email: refresh.data?.email, refresh });
    },

    "POST /auth/logout": async (req, res) => {
      const { payload } = await authenticate(req);
      await store.add(payload.jti, payload.exp);
      if (typeof payload.sid === "string") await refreshTokens.revokeFamily(payload.sid);
      send(res, 204, undefined, { "set-cookie": refreshCookie("", 0) });
    },

    "GET /auth/me": async (req, res) => {
      const { payload } = await authenticate(req);
      send(res, 200, { sub: payload.sub, email: payload.email, scope: payload.scope, exp: payload.exp });
    },

    "GET /.well-known/jwks.json": async (_req, res) => {
      // Short enough that a newly rotated key is seen well before the old one is dropped.
      send(res, 200, keys.publicJwks(), { "cache-control": `public, max-age=${JWKS_MAX_AGE}` });
    },

    "GET /.well-known/openid-configuration": async (_req, res) => {
      send(
        res,
        200,
        {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          token_endpoint: `${issuer}/auth/refresh`,
          grant_types_supported: ["refresh_token"],
          id_token_signing_alg_values_supported: [config.signingAlg],
        },
        { "cache-control": `public, max-age=${JWKS_MAX_AGE}` },
      );
    },
  };

  const server = http.createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const handler = routes[`${req.method} ${path}`];
    try {
      if (!handler) {
        const known = Object.keys(routes).some((r) => r.endsWith(` ${path}`));
        throw new HttpError(known ? 405 : 404, known ? "method_not_allowed" : "not_found", known ? "method not allowed" : "no such route");
      }
      await handler(req, res);
    } catch (e) {
      if (e instanceof HttpError || e instanceof AccountError) return send(res, e.status, { error: e.code, message: e.message }, e.headers);
      if (e instanceof JwtError) return send(res, 400, { error: e.code, message: e.message });
      console.error(e);
      send(res, 500, { error: "server_error", message: "internal error" });
    }
  });

  return {
    server,
    keys,
    refreshTokens,
    /** Starts listening; resolves to the base URL (the issuer). */
    async listen() {
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
      const { port } = server.address();
      issuer ??= `http://${config.host}:${port}`;
      return `http://${config.host}:${port}`;
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections?.();
    },
  };
}
