// The error types of jwtward and the one conversion of the core's errors into them, with no
// imports so that every entry (the full API, `jwtward/decode`) can share this one file and one
// `JwtError` class.

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

/**
 * The single conversion point: an error thrown by the core becomes a `JwtError`; anything else
 * is rethrown unchanged.
 * @param {unknown} e
 */
export function convertError(e) {
  if (e instanceof JwtError) return e;
  if (e instanceof Error && e.name === "JwtError" && typeof e.code === "string") {
    const converted = new JwtError(e.code, e.message, {
      claim: typeof e.claim === "string" ? e.claim : undefined,
      reason: typeof e.reason === "string" ? e.reason : undefined,
    });
    // Start the stack at the public function the user called, not inside this file.
    if (typeof Error.captureStackTrace === "function") Error.captureStackTrace(converted, callCore);
    return converted;
  }
  return e;
}

/**
 * Runs one core call, converting its errors.
 * @template T
 * @param {(...args: any[]) => T} fn
 * @param {...unknown} args
 * @returns {T}
 */
export function callCore(fn, ...args) {
  try {
    return fn(...args);
  } catch (e) {
    throw convertError(e);
  }
}

/**
 * Whether `e` is the core's refusal of an asymmetric operation it cannot do without a
 * synchronous host (the slim module in browsers and workerd, whose crypto is WebCrypto's).
 * @param {unknown} e
 */
export function needsHostCrypto(e) {
  return e instanceof JwtError && e.code === "ERR_JOSE_NOT_SUPPORTED" && e.message.includes("needs the host's crypto");
}

/**
 * The TypeError of a synchronous call that needs asynchronous crypto here (the default entry in
 * browsers and workerd): it names the async method and `jwtward/full`. `code` is
 * ERR_INVALID_ARG_VALUE, as for every misuse of the API (like `verify` with a remote key set);
 * the core's refusal is its `cause`.
 * @param {unknown} e the core's error
 * @param {string} what the method called, e.g. "Verifier#verify"
 * @param {string} asyncName the method to call instead, e.g. "verifyAsync"
 */
export function asyncRequired(e, what, asyncName) {
  if (!needsHostCrypto(e)) return e;
  const err = new TypeError(
    `${what}: RSA, ECDSA and Ed25519 keys are handled by WebCrypto in this runtime, which is asynchronous: ` +
      `use ${asyncName}, or import "jwtward/full" (everything in wasm, synchronous, a larger module)`,
    { cause: e },
  );
  err.code = "ERR_INVALID_ARG_VALUE";
  return err;
}
