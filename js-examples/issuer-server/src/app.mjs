// The reference token-issuing server: register, login (rate-limited), refresh with rotation
// and reuse detection, logout (denylists the access token, revokes the refresh family), a
// protected route, and the JWKS and discovery documents. Every token operation goes through
// jwtward; node:http, node:crypto's scrypt and (optionally) a Redis client do the rest.
import http from "node:http";
import { JwtError, MemoryStore, RedisStore, RefreshTokens, Verifier, bearerToken } from "jwtward";
import { Accounts, AccountError, LoginLimiter, checkPassword, emailKey, ipKey } from "./accounts.mjs";
import { Unavailable, guardKv, guardStore, trackingCommits } from "./guard.mjs";
import { MemoryKv, RedisKv } from "./kv.mjs";
import { HashQueue } from "./passwords.mjs";
import { SigningKeys } from "./keys.mjs";

const MAX_BODY = 16 * 1024;
// RFC 6750 tokens of ours are under 1 KiB; a longer header is refused before it is parsed.
const MAX_AUTHORIZATION = 4096;
// An access token carries its family (`sid`); revoking the family denylists this entry, so the
// family's outstanding access tokens are refused at once, not when they expire.
const familyEntry = (familyId) => `family:${familyId}`;
const SKEW = 60;
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
  // A header value is printable ASCII here: a message may quote the token (a kid of "ü"), and
  // Node refuses to send a header with other characters, which would leave the client unanswered.
  const clean = (s) => String(s).replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, "?");
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
  if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) throw new HttpError(413, "invalid_request", `the body is larger than ${MAX_BODY} bytes`);
  const chunks = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) throw new HttpError(413, "invalid_request", `the body is larger than ${MAX_BODY} bytes`);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof HttpError) throw e;
    throw new HttpError(400, "invalid_request", "the body could not be read"); // aborted by the client
  }
  if (size === 0) return {};
  let body;
  try {
    // fatal: bytes that are not UTF-8 are refused, not silently replaced with U+FFFD.
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
  } catch {
    throw new HttpError(400, "invalid_request", "the body is not valid JSON (UTF-8)");
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
 * Builds the issuer. `config` comes from `configFromEnv`; `redis` is a node-redis client when
 * REDIS_URL is set (the caller owns it and connects it; until it is connected, and whenever
 * Redis is down or stalled, the routes that need the store answer 503 with Retry-After).
 */
export async function createIssuer(config, { redis = null } = {}) {
  const storeTimeoutMs = redis ? Math.round(config.storeTimeout * 1000) : 0;
  const store = guardStore(redis ? new RedisStore(redis, { prefix: `${config.redisPrefix}refresh:` }) : new MemoryStore(), storeTimeoutMs);
  const kv = guardKv(redis ? new RedisKv(redis, config.redisPrefix) : new MemoryKv({ maxCounters: config.loginCountersMax }), storeTimeoutMs);
  const hashing = new HashQueue({ concurrency: config.hashConcurrency, maxQueue: config.hashQueue });
  const accounts = new Accounts(kv, hashing);
  const limiter = new LoginLimiter(kv, { perIp: config.loginLimitIp, perAccount: config.loginLimitAccount, windowSeconds: config.loginWindow });
  const keys = SigningKeys.fromConfig(config);
  const refreshTokens = new RefreshTokens({ store, ttl: config.refreshTtl, familyLifetime: config.familyLifetime, reuseGrace: config.reuseGrace });
  let issuer = config.issuer ?? (config.port ? `http://${config.host}:${config.port}` : null);

  // The verifier for our own access tokens, rebuilt when the published keys change. Every
  // published key's algorithm is allowed: after a SIGNING_ALG change the old key still signs
  // until the new one activates.
  let verifier = null;
  let verifierVersion = -1;
  function accessVerifier() {
    if (verifierVersion !== keys.version) {
      verifierVersion = keys.version;
      const jwks = keys.publicJwks();
      const algorithms = [...new Set([config.signingAlg, ...jwks.keys.map((k) => k.alg)])];
      verifier = new Verifier(jwks, { algorithms, issuer, audience: config.audience, typ: "at+jwt" });
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

  /** Refuses the outstanding access tokens of a revoked family (each lives at most accessTtl). */
  async function denyFamily(familyId) {
    await store.add(familyEntry(familyId), Math.ceil(Date.now() / 1000) + config.accessTtl + SKEW);
  }

  /** Verifies the request's access token, the denylists included; 401 with a challenge otherwise. */
  async function authenticate(req) {
    const header = req.headers.authorization;
    const token = typeof header === "string" && header.length > MAX_AUTHORIZATION ? null : bearerToken(req);
    if (token === null) throw new HttpError(401, "invalid_request", "an access token is required", { "www-authenticate": bearerChallenge(issuer) });
    const isRevoked = async (jti, payload) => {
      const checks = [store.has(jti)];
      if (typeof payload.sid === "string") checks.push(store.has(familyEntry(payload.sid)));
      return (await Promise.all(checks)).some(Boolean);
    };
    try {
      return await accessVerifier().verifyAsync(token, { isRevoked });
    } catch (e) {
      if (!(e instanceof JwtError)) throw e;
      throw new HttpError(401, e.code, e.message, { "www-authenticate": bearerChallenge(issuer, "invalid_token", e.message) });
    }
  }

  function clientIp(req) {
    return ipKey(config.trustProxy ? String(req.headers["x-forwarded-for"] ?? "").split(",")[0] : null, req.socket.remoteAddress);
  }

  const routes = new Map(
    Object.entries({
      "POST /auth/register": async (req, res) => {
        const { email, password } = await readJson(req);
        send(res, 201, await accounts.register(email, password));
      },

      "POST /auth/login": async (req, res) => {
        const { email, password } = await readJson(req);
        // Bounded keys before anything is counted: a malformed email or password cannot match
        // an account, so it is refused here without a counter or a hash.
        const key = emailKey(email);
        checkPassword(password);
        // Shed before counting: a refused-for-load attempt should not use up the user's limit.
        if (hashing.full) throw new Unavailable("the server is busy hashing passwords", { busy: true });
        const wait = await limiter.attempt(clientIp(req), key);
        if (wait > 0) throw new HttpError(429, "too_many_requests", "too many login attempts; try again later", { "retry-after": String(wait) });
        const account = await accounts.authenticate(key, password);
        if (!account) throw new HttpError(401, "invalid_credentials", "wrong email or password");
        await limiter.succeeded(key);
        const refresh = await refreshTokens.issue(account.id, { email: account.email });
        tokenResponse(res, 200, { subject: account.id, email: account.email, refresh });
      },

      "POST /auth/refresh": async (req, res) => {
        const body = await readJson(req);
        const presented = typeof body.refresh_token === "string" ? body.refresh_token : cookie(req, REFRESH_COOKIE);
        if (!presented) throw new HttpError(400, "invalid_request", "send the refresh token in the cookie or as refresh_token");
        const { value: refresh, error, families } = await trackingCommits(() => refreshTokens.rotate(presented));
        if (error) {
          if (!(error instanceof JwtError)) throw error;
          // A reused token has just revoked its whole family: its access tokens go with it, and
          // the client must log in again.
          if (error.code === "ERR_REFRESH_REUSED") for (const id of new Set(families)) await denyFamily(id);
          throw new HttpError(401, error.code, error.message, { "set-cookie": refreshCookie("", 0) });
        }
        tokenResponse(res, 200, { subject: refresh.subject, email: refresh.data?.email, refresh });
      },

      "POST /auth/logout": async (req, res) => {
        const { payload } = await authenticate(req);
        await store.add(payload.jti, payload.exp);
        if (typeof payload.sid === "string") {
          await denyFamily(payload.sid);
          await refreshTokens.revokeFamily(payload.sid);
        }
        send(res, 204, undefined, { "set-cookie": refreshCookie("", 0) });
      },

      "GET /auth/me": async (req, res) => {
        const { payload } = await authenticate(req);
        send(res, 200, { sub: payload.sub, email: payload.email, scope: payload.scope, exp: payload.exp });
      },

      "GET /.well-known/jwks.json": async (_req, res) => {
        // Short enough that a newly published key is seen well before it starts signing.
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

      ...(config.testHooks
        ? {
            // Tests only (ISSUER_TEST_HOOKS=1, node --expose-gc): the heap after a full GC.
            "GET /__test/heap": async (_req, res) => {
              globalThis.gc?.();
              send(res, 200, { heapUsed: process.memoryUsage().heapUsed, gc: typeof globalThis.gc === "function" });
            },
          }
        : {}),
    }),
  );
  const paths = new Set([...routes.keys()].map((r) => r.slice(r.indexOf(" ") + 1)));

  // Everything a request can reach runs inside this one try: bad input is a 4xx, an outage of
  // the store a 503, and nothing a client sends can throw past it.
  async function handle(req, res) {
    try {
      // The request target as sent: only origin-form ("/path?query") names a route. It is
      // never given to `new URL`, which throws on targets such as "//[".
      const target = typeof req.url === "string" ? req.url : "";
      if (!target.startsWith("/")) throw new HttpError(400, "invalid_request", "the request target must be a path");
      const q = target.indexOf("?");
      const path = q === -1 ? target : target.slice(0, q);
      const handler = routes.get(`${req.method} ${path}`);
      if (!handler) {
        const known = paths.has(path);
        throw new HttpError(known ? 405 : 404, known ? "method_not_allowed" : "not_found", known ? "method not allowed" : "no such route");
      }
      await handler(req, res);
    } catch (e) {
      respondError(res, e);
    }
  }

  let outageLogged = 0;
  function respondError(res, e) {
    if (res.headersSent) return void res.destroy();
    if (e instanceof HttpError || e instanceof AccountError) return send(res, e.status, { error: e.code, message: e.message }, e.headers);
    if (e instanceof Unavailable) {
      // One line per outage-second at most: an outage must not also flood the log.
      if (Date.now() - outageLogged > 1000) {
        outageLogged = Date.now();
        console.error(`503: ${e.message}`);
      }
      const message = e.busy ? "the server is busy; retry in a second" : "the token store is unavailable; retry later";
      return send(res, 503, { error: e.code, message }, { "retry-after": String(e.busy ? 1 : config.retryAfter) });
    }
    if (e instanceof JwtError) return send(res, 400, { error: e.code, message: e.message });
    console.error(e);
    send(res, 500, { error: "server_error", message: "internal error" });
  }

  const server = http.createServer(
    {
      // Slow clients (slowloris): the headers, then the whole request, must arrive in time;
      // the check runs every second instead of Node's default 30.
      headersTimeout: Math.round(config.headersTimeout * 1000),
      requestTimeout: Math.round(config.requestTimeout * 1000),
      connectionsCheckingInterval: 1000,
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      handle(req, res).catch((e) => {
        // respondError itself failed (the socket broke): nothing left to tell the client.
        console.error(e);
        res.destroy();
      });
    },
  );
  server.maxHeadersCount = 100;
  server.on("clientError", (err, socket) => {
    // Unparseable requests, oversized headers, timeouts: a 4xx if the socket still takes one.
    if (!socket.writable || err.code === "ECONNRESET") return void socket.destroy();
    const status = err.code === "HPE_HEADER_OVERFLOW" ? 431 : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  return {
    server,
    keys,
    refreshTokens,
    /** Starts listening; resolves to the base URL. */
    async listen() {
      await new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
      const { port } = server.address();
      // PORT=0 (tests, the demo): the issuer is known only now. A single process only.
      issuer ??= `http://${config.host}:${port}`;
      return `http://${config.host}:${port}`;
    },
    /** The issuer name (the `iss` of every token); null before `listen` with PORT=0. */
    get issuer() {
      return issuer;
    },
    async close() {
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections?.();
      });
    },
  };
}
