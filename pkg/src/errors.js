// The error types of jwtward, with no imports so that every entry (the full API, `jwtward/decode`)
// can share this one file and one `JwtError` class.

/**
 * The one error class of jwtward. `code` is stable (the `jose` vocabulary); claim failures
 * also carry `claim` (e.g. "exp", "aud") and `reason` ("missing", "check_failed", "invalid").
 */
export class JwtError extends Error {
  /**
   * @param {string} code one of the `ErrorCode` strings
   * @param {string} message what went wrong, in words a person can act on
   * @param {{ claim?: string, reason?: string, cause?: unknown }} [options]
   */
  constructor(code, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.claim !== undefined) this.claim = options.claim;
    if (options.reason !== undefined) this.reason = options.reason;
  }
}
Object.defineProperty(JwtError.prototype, "name", { value: "JwtError", writable: true, configurable: true });

/**
 * A misuse of the API (not a rejected token): a TypeError carrying the same code as the ones
 * the core raises for bad options, so callers can tell the two apart by `code` alone.
 * @param {string} message
 * @returns {TypeError & { code: "ERR_INVALID_ARG_VALUE" }}
 */
export function argError(message) {
  const e = new TypeError(message);
  e.code = "ERR_INVALID_ARG_VALUE";
  return e;
}
