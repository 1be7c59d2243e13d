// A token issuer on Cloudflare Workers: login (demo users), refresh with rotation and reuse
// detection, logout (the refresh family revoked, the access token denied until its exp), the
// JWKS, and a protected route. Refresh state and the denylist live in Durable Objects
// (jwtward/cloudflare), so rotation is atomic and revocation holds in every isolate.
import { JwtError, KeySet, RefreshTokens, Signer, Verifier, bearerToken, decode } from "jwtward";
import { DurableObjectStore } from "jwtward/cloudflare";
import { MAX_PASSWORD_CHARS, MAX_USERNAME_CHARS, authenticate } from "./users.mjs";
import { signingKeys } from "./keys.mjs";

// The Durable Object class, re-exported so wrangler.toml can bind it (class_name).
export { JwtwardRefreshObject } from "jwtward/cloudflare";

const MAX_BODY_BYTES = 4096;
const REFRESH_REFUSED = new Set(["ERR_REFRESH_INVALID", "ERR_REFRESH_EXPIRED", "ERR_REFRESH_REVOKED", "ERR_REFRESH_REUSED"]);

/** A JSON response no cache keeps (it carries tokens). */
function json(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** A refused input: answered with `status` and an OAuth-style `error`. */
class Refusal extends Error {
  /** @param {{ code?: string, headers?: Record<string, string> }} [more] jwtward's error code, response headers */
  constructor(status, error, description, { code, headers = {} } = {}) {
    super(description);
    Object.assign(this, { status, error, code, headers });
  }
}

/** The request's JSON object body: at most MAX_BODY_BYTES, `content-type: application/json`. */
async function readJson(request) {
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) {
    throw new Refusal(400, "invalid_request", "send a JSON body with content-type: application/json");
  }
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) throw new Refusal(400, "invalid_request", "the body is too large");
  const reader = request.body?.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    if (!reader) break;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new Refusal(400, "invalid_request", "the body is too large");
    }
    chunks.push(value);
  }
  let body;
  try {
    body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(await new Blob(chunks).arrayBuffer()));
  } catch {
    throw new Refusal(400, "invalid_request", "the body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw new Refusal(400, "invalid_request", "the body must be a JSON object");
  return body;
}

function stringField(body, name, max) {
  const v = body[name];
  if (typeof v !== "string" || v.length === 0 || v.length > max) {
    throw new Refusal(400, "invalid_request", `"${name}" must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

/** Per isolate: the refresh-token service and the verifier, rebuilt only when the configuration changes. */
let cached = null;
async function services(env) {
  const keys = await signingKeys(env);
  const config = [env.ISSUER, env.AUDIENCE, env.ACCESS_TTL, env.REFRESH_TTL, env.FAMILY_LIFETIME, env.REUSE_GRACE];
  if (cached === null || cached.keys !== keys || cached.namespace !== env.REFRESH || JSON.stringify(cached.config) !== JSON.stringify(config)) {
    const store = new DurableObjectStore(env.REFRESH);
    const refresh = new RefreshTokens({
      store,
      ttl: env.REFRESH_TTL || "14d",
      familyLifetime: env.FAMILY_LIFETIME || "30d",
      reuseGrace: env.REUSE_GRACE || "10s",
    });
    const signer = new Signer(keys.privateKey, { alg: "ES256", kid: keys.kid, issuer: env.ISSUER, audience: env.AUDIENCE, expiresIn: env.ACCESS_TTL || "15m" });
    const verifier = new Verifier(keys.publicKey, { algorithms: ["ES256"], issuer: env.ISSUER, audience: env.AUDIENCE });
    cached = { keys, namespace: env.REFRESH, config, store, refresh, signer, verifier, jwks: KeySet.of([keys.publicKey]).toJwks() };
  }
  return cached;
}

/** The token response (RFC 6749 section 5.1): an access token for `subject` in refresh family `familyId`. */
async function tokenResponse(s, subject, data, refreshed) {
  const access = await s.signer.signAsync({ sid: refreshed.familyId, roles: data?.roles ?? [] }, { subject });
  const { payload } = decode(access); // our own token, just signed
  return json(200, {
    access_token: access,
    token_type: "Bearer",
    expires_in: payload.exp - payload.iat,
    refresh_token: refreshed.token,
    refresh_token_expires_at: refreshed.expiresAt,
  });
}

/** The verified claims of the request's access token (not revoked), or a 401 Refusal. */
async function authorize(request, s) {
  const token = bearerToken(request);
  if (token === null) throw new Refusal(401, "invalid_token", "an Authorization: Bearer access token is required", { headers: { "www-authenticate": 'Bearer realm="issuer"' } });
  try {
    return (await s.verifier.verifyAsync(token, { isRevoked: s.store.isRevoked })).payload;
  } catch (e) {
    if (!(e instanceof JwtError)) throw e; // the denylist could not be asked: 503 below
    const description = e.code === "ERR_JWT_EXPIRED" ? "the access token expired" : "the access token is invalid or revoked";
    throw new Refusal(401, "invalid_token", description, { code: e.code, headers: { "www-authenticate": 'Bearer realm="issuer", error="invalid_token"' } });
  }
}

const routes = {
  "GET /": async () => json(200, { service: "jwtward issuer on Workers", routes: ["POST /login", "POST /refresh", "POST /logout", "GET /api/me", "GET /.well-known/jwks.json"] }),

  "GET /.well-known/jwks.json": async (request, env) => {
    const s = await services(env);
    return json(200, s.jwks, { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300" });
  },

  "POST /login": async (request, env) => {
    const body = await readJson(request);
    const username = stringField(body, "username", MAX_USERNAME_CHARS);
    const password = stringField(body, "password", MAX_PASSWORD_CHARS);
    const user = await authenticate(username, password);
    if (user === null) throw new Refusal(401, "invalid_grant", "wrong username or password");
    const s = await services(env);
    const issued = await s.refresh.issue(user.id, { roles: user.roles });
    return tokenResponse(s, user.id, { roles: user.roles }, issued);
  },

  "POST /refresh": async (request, env) => {
    const body = await readJson(request);
    const token = stringField(body, "refresh_token", 512);
    const s = await services(env);
    let next;
    try {
      next = await s.refresh.rotate(token);
    } catch (e) {
      if (e instanceof JwtError && REFRESH_REFUSED.has(e.code)) {
        // ERR_REFRESH_REUSED: the family is revoked now, on every device using it.
        throw new Refusal(401, "invalid_grant", e.code === "ERR_REFRESH_REUSED" ? "refresh token reuse: the session is revoked, sign in again" : "the refresh token is not valid: sign in again", { code: e.code });
      }
      throw e;
    }
    return tokenResponse(s, next.subject, next.data, next);
  },

  "POST /logout": async (request, env) => {
    const s = await services(env);
    const claims = await authorize(request, s);
    // The access token is refused from now until its exp; its refresh family (sid) is revoked.
    await s.store.add(claims.jti, claims.exp);
    if (typeof claims.sid === "string") await s.refresh.revokeFamily(claims.sid);
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  },

  "GET /api/me": async (request, env) => {
    const s = await services(env);
    const claims = await authorize(request, s);
    return json(200, { sub: claims.sub, roles: claims.roles, sid: claims.sid, exp: claims.exp });
  },
};

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    const route = routes[`${request.method} ${pathname}`];
    if (route === undefined) {
      const known = Object.keys(routes).some((r) => r.endsWith(` ${pathname}`));
      return known ? json(405, { error: "method_not_allowed" }) : json(404, { error: "not_found" });
    }
    try {
      return await route(request, env);
    } catch (e) {
      if (e instanceof Refusal) return json(e.status, { error: e.error, error_description: e.message, code: e.code ?? null }, e.headers);
      // Anything else is the store or the configuration, never the client's input: 503, try again.
      console.error(`${request.method} ${pathname}: ${e && e.code ? `${e.code}: ` : ""}${e && e.message}`);
      return json(503, { error: "temporarily_unavailable", error_description: "try again shortly" }, { "retry-after": "1" });
    }
  },
};
