// Bearer-token protection for Worker routes (RFC 6750), with jwtward verifying each token
// against the issuer's JWKS. `withAuth(handler, { scopes })` wraps a route handler: the handler
// only runs for a valid token (and the scopes it needs), and receives the verified claims.
import { Verifier, remoteKeySet, bearerToken, checkClaims, JwtError } from "jwtward";

/** The algorithms the issuer signs with: a token whose `alg` is not listed is refused. */
const ALGORITHMS = ["ES256", "RS256", "EdDSA"];

/**
 * Failures of the key server, not of the token: answered 503, so a client does not throw away
 * a good token (or ask its user to log in again) because the JWKS could not be fetched.
 */
const KEY_SERVER_DOWN = new Set(["ERR_JWKS_TIMEOUT", "ERR_JWKS_FETCH_FAILED", "ERR_JWKS_INVALID"]);

/**
 * What a client is told, by error: fixed text, never the error's message. SECURITY.md: telling a
 * client why a token failed (wrong algorithm, unknown kid, which claim) helps an attacker map
 * the setup; the message goes to the Worker's log instead. Only "expired" is worth telling
 * apart: the client should refresh rather than log its user in again.
 */
const DESCRIPTIONS = {
  expired: "The access token expired",
  invalid: "The access token is invalid",
  insufficient_scope: "The access token does not grant the scope this resource needs",
};

/**
 * One Verifier (and its RemoteKeySet, which caches the JWKS) per isolate: built on the first
 * request, reused by every later one, and rebuilt only if the configuration differs.
 * @type {{ config: string, verifier: Verifier } | null}
 */
let cached = null;

function verifierFor(env) {
  const { JWKS_URL, ISSUER, AUDIENCE, JWKS_COOLDOWN, JWKS_TIMEOUT } = env;
  const config = JSON.stringify([JWKS_URL, ISSUER, AUDIENCE, JWKS_COOLDOWN, JWKS_TIMEOUT]);
  if (cached === null || cached.config !== config) {
    if (!JWKS_URL || !ISSUER || !AUDIENCE) throw new Error("set JWKS_URL, ISSUER and AUDIENCE in wrangler.toml [vars]");
    const keys = remoteKeySet(JWKS_URL, {
      ...(JWKS_COOLDOWN ? { cooldown: JWKS_COOLDOWN } : {}),
      ...(JWKS_TIMEOUT ? { timeout: JWKS_TIMEOUT } : {}),
    });
    cached = { config, verifier: new Verifier(keys, { algorithms: ALGORITHMS, issuer: ISSUER, audience: AUDIENCE }) };
  }
  return cached.verifier;
}

/** A JSON response that no cache keeps (it may carry claims). */
export function json(status, body, headers = {}) {
  return Response.json(body, { status, headers: { "cache-control": "no-store", ...headers } });
}

/**
 * A value fit for a quoted WWW-Authenticate parameter (the realm from the configuration, the
 * scopes): RFC 6750 allows only %x20-21 / %x23-5B / %x5D-7E there, so quotes become apostrophes
 * and backslashes, CR, LF and anything else outside printable ASCII become spaces (no header
 * injection).
 */
function headerValue(text) {
  return String(text)
    .replace(/"/g, "'")
    .replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim()
    .slice(0, 200);
}

/** A 401 or 403 with its `WWW-Authenticate: Bearer realm="...", ...` challenge (RFC 6750 section 3). */
function challenge(status, env, params, body) {
  const realm = env.REALM || "api";
  const attributes = [["realm", realm], ...Object.entries(params)].map(([k, v]) => `${k}="${headerValue(v)}"`);
  return json(status, body, { "www-authenticate": `Bearer ${attributes.join(", ")}` });
}

/**
 * Wraps `handler(request, env, ctx, claims)` so that it only runs for a request with a valid
 * Bearer token that grants every scope in `scopes` (in a space-separated `scope` claim or an
 * `scp` array).
 */
export function withAuth(handler, { scopes = [] } = {}) {
  return async (request, env, ctx) => {
    const token = bearerToken(request);
    if (token === null) {
      // No credentials (or not a Bearer token): RFC 6750 3.1 says no error code.
      return challenge(401, env, {}, { error: "unauthorized", code: null });
    }
    let claims;
    try {
      claims = (await verifierFor(env).verifyAsync(token)).payload;
    } catch (e) {
      if (!(e instanceof JwtError)) throw e;
      if (KEY_SERVER_DOWN.has(e.code)) {
        console.error(`JWKS unavailable: ${e.code}: ${e.message}`);
        return json(503, { error: "jwks_unavailable", code: e.code });
      }
      // The details are for the log (never the token: it is a bearer credential).
      console.warn(`token refused: ${e.code}: ${e.message}`);
      const description = e.code === "ERR_JWT_EXPIRED" ? DESCRIPTIONS.expired : DESCRIPTIONS.invalid;
      const params = { error: "invalid_token", error_description: description };
      return challenge(401, env, params, { error: "invalid_token", code: e.code });
    }
    if (scopes.length > 0) {
      try {
        checkClaims(claims, { requiredScopes: scopes });
      } catch (e) {
        if (!(e instanceof JwtError)) throw e;
        console.warn(`scope refused: ${e.code}: ${e.message}`);
        const params = { error: "insufficient_scope", error_description: DESCRIPTIONS.insufficient_scope, scope: scopes.join(" ") };
        return challenge(403, env, params, { error: "insufficient_scope", code: e.code });
      }
    }
    return handler(request, env, ctx, claims);
  };
}
