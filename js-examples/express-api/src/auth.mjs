// Express middleware for Bearer access tokens (RFC 6750), verified by jwtward against the
// issuer's JWKS. requireAuth sets req.user to the verified payload; requireRole and
// requireScope then decide what that user may do. Clients get a fixed text per failure, never
// the library's message: why a token failed is for your logs (SECURITY.md).
import { JwtError, Verifier, bearerToken, checkClaims, remoteKeySet } from "jwtward";

const DESCRIPTIONS = { ERR_JWT_EXPIRED: "The access token expired", ERR_JWT_REVOKED: "The access token was revoked" };
// The key server failed, not the client: 503, so that clients retry instead of logging out.
const KEYS_UNAVAILABLE = new Set(["ERR_JWKS_FETCH_FAILED", "ERR_JWKS_TIMEOUT", "ERR_JWKS_INVALID"]);

/** Answers with `WWW-Authenticate: Bearer k="v", ...` (RFC 6750 section 3) and a JSON body. */
function deny(res, status, params) {
  const quote = (v) => `"${String(v).replace(/["\\\r\n]/g, "")}"`;
  const challenge = Object.entries(params).map(([k, v]) => `${k}=${quote(v)}`).join(", ");
  res.set({ "WWW-Authenticate": `Bearer ${challenge}`, "Cache-Control": "no-store" });
  res.status(status).json({ error: params.error ?? "unauthorized", error_description: params.error_description });
}

/** A JwtError from verification: 401 invalid_token (503 if the keys could not be fetched). */
function refuse(res, params, error) {
  if (KEYS_UNAVAILABLE.has(error.code)) return res.status(503).set("Retry-After", "30").json({ error: "temporarily_unavailable" });
  deny(res, 401, { ...params, error: "invalid_token", error_description: DESCRIPTIONS[error.code] ?? "The access token is invalid" });
}

/**
 * Verifies `Authorization: Bearer <token>` and sets `req.user` to the token's payload.
 * @param {{ issuer: string, audience: string, jwksUrl: string, algorithms?: string[],
 *           realm?: string, log?: (error: JwtError) => void }} options
 */
export function requireAuth({ issuer, audience, jwksUrl, algorithms = ["ES256"], realm = audience, log = () => {} }) {
  // One verifier and one cached key set for the process, shared by every request.
  const verifier = new Verifier(remoteKeySet(jwksUrl), {
    algorithms,
    issuer,
    audience,
    typ: "at+jwt", // an access token (RFC 9068), not an ID token signed by the same keys
    requiredClaims: ["sub", "exp"],
  });
  return async function authenticate(req, res, next) {
    const token = bearerToken(req);
    if (token === null) {
      // No credentials: a bare challenge (RFC 6750 3.1). A Bearer header we cannot read: 400.
      if (!/^[ \t]*bearer\b/i.test(req.get("authorization") ?? "")) return deny(res, 401, { realm });
      return deny(res, 400, { realm, error: "invalid_request", error_description: "The Authorization header is malformed" });
    }
    try {
      req.user = (await verifier.verifyAsync(token)).payload;
    } catch (e) {
      if (!(e instanceof JwtError)) throw e; // a bug, not a bad token: the error handler's 500
      log(e);
      return refuse(res, { realm }, e);
    }
    next();
  };
}

/** 403 insufficient_scope unless the claim checks pass on req.user; use after requireAuth. */
function requireClaims(options, params) {
  const [list] = Object.values(options);
  if (list.length === 0 || !list.every((v) => typeof v === "string")) throw new TypeError("name at least one role or scope, as strings");
  return function authorize(req, res, next) {
    if (req.user === undefined) throw new Error("requireRole and requireScope must come after requireAuth");
    try {
      checkClaims(req.user, options);
    } catch (e) {
      if (!(e instanceof JwtError)) throw e;
      // checkClaims also checks exp: a token that expired since requireAuth is a 401, not a 403.
      if (e.code !== "ERR_JWT_CLAIM_VALIDATION_FAILED") return refuse(res, {}, e);
      return deny(res, 403, { error: "insufficient_scope", ...params });
    }
    next();
  };
}

/** Every role must be in the token's `roles` array claim. */
export const requireRole = (...roles) =>
  requireClaims({ requiredRoles: roles }, { error_description: "The access token lacks a required role" });

/** Every scope must be in the token's `scope` (space separated) or `scp` (array) claim. */
export const requireScope = (...scopes) =>
  requireClaims({ requiredScopes: scopes }, { error_description: "The access token lacks a required scope", scope: scopes.join(" ") });
