// The tables the JavaScript side shares with the Rust core: algorithm names (in the core's
// order), input limits, error codes. They are written here once for every JS file, and checked
// against the core's own tables when the API is built, if the core exports them
// (`coreTables()`), so a mismatch fails at import, never in production.

/** The JWS algorithms jwtward supports (`none` is deliberately absent), in the core's order (`Alg::ALL`). */
export const ALGS = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];

/**
 * The core's input limits (DEFAULT_MAX_TOKEN_SIZE in src/decode.rs, MAX_JWKS_SIZE in
 * src/keys/jwks.rs), checked here too: a string passed to wasm is first copied into wasm memory,
 * which never shrinks, so oversized input is refused before it crosses. A string's length in
 * UTF-16 code units never exceeds its UTF-8 length, so nothing the core accepts is refused here.
 */
export const DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;
export const MAX_JWKS_SIZE = 256 * 1024;

/** The `code` of every JwtError (the `jose` vocabulary, plus the refresh-token ones), as index.d.ts's `ErrorCode`. */
export const ERROR_CODES = [
  "ERR_JWT_INVALID",
  "ERR_JWS_INVALID",
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JWT_EXPIRED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
  "ERR_JWKS_INVALID",
  "ERR_JWK_INVALID",
  "ERR_JWKS_FETCH_FAILED",
  "ERR_JWKS_TIMEOUT",
  "ERR_JWT_REVOKED",
  "ERR_REFRESH_INVALID",
  "ERR_REFRESH_EXPIRED",
  "ERR_REFRESH_REVOKED",
  "ERR_REFRESH_REUSED",
  "ERR_REFRESH_CONFLICT",
];
/** The code of the TypeError for a misused API (argError), which the core raises for bad options too. */
export const ARG_ERROR_CODE = "ERR_INVALID_ARG_VALUE";

/**
 * Compares these tables with the core's, when the core exports `coreTables()` (JSON of
 * `{ algs, limits: { DEFAULT_MAX_TOKEN_SIZE, MAX_JWKS_SIZE, ... }, errorCodes, ... }`, from
 * src/wasm/host.rs): the same algorithms in the same order, the same limits, and no error code
 * the JS side does not know. A core without `coreTables()` is taken as is.
 * @param {{ coreTables?: () => string }} core
 */
export function checkCoreTables(core) {
  if (typeof core.coreTables !== "function") return;
  const theirs = JSON.parse(core.coreTables());
  const limits = theirs.limits || {};
  const differs = (name) => {
    throw new Error(`jwtward: the JavaScript files and the wasm core disagree on ${name}; they come from different builds: reinstall or rebuild the package`);
  };
  if (theirs.algs !== undefined && JSON.stringify(theirs.algs) !== JSON.stringify(ALGS)) differs("the algorithms");
  if (limits.DEFAULT_MAX_TOKEN_SIZE !== undefined && limits.DEFAULT_MAX_TOKEN_SIZE !== DEFAULT_MAX_TOKEN_SIZE) differs("the token size limit");
  if (limits.MAX_JWKS_SIZE !== undefined && limits.MAX_JWKS_SIZE !== MAX_JWKS_SIZE) differs("the JWKS size limit");
  if (theirs.errorCodes !== undefined && !theirs.errorCodes.every((code) => code === ARG_ERROR_CODE || ERROR_CODES.includes(code))) differs("the error codes");
}
