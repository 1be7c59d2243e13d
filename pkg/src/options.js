// Options: the names each call accepts (so a typo in an option never silently disables a
// check) and the validators of their values, run in JS before anything crosses into wasm;
// durations, `currentDate` and clocks; the token's type and size check.
import { JwtError, argError } from "./errors.js";
import { ALGS, DEFAULT_MAX_TOKEN_SIZE } from "./tables.js";

/** Names accepted in `ClaimOptions`, the claim checks shared by `Verifier` and `checkClaims`. */
export const CLAIM_OPTION_NAMES = [
  "issuer",
  "audience",
  "subject",
  "clockTolerance",
  "maxTokenAge",
  "requiredClaims",
  "requiredScopes",
  "requiredRoles",
  "claims",
  "currentDate",
];
/** Names accepted in `VerifyOptions`: the claim checks plus the header checks and limits. */
export const VERIFY_OPTION_NAMES = ["algorithms", "typ", "maxTokenSize", "cache", ...CLAIM_OPTION_NAMES];
export const VERIFY_ASYNC_OPTION_NAMES = ["isRevoked"];
export const SIGNER_OPTION_NAMES = ["alg", "kid", "typ", "issuer", "audience", "expiresIn", "notBefore", "jti"];
export const SIGN_OVERRIDE_NAMES = ["expiresIn", "subject", "currentDate"];
export const KEY_OPTION_NAMES = ["alg", "kid"];
export const DECODE_OPTION_NAMES = ["maxTokenSize"];

/** Node's `util.inspect` hook, so keys and stores print without their secrets. */
export const INSPECT = Symbol.for("nodejs.util.inspect.custom");

export function isPlainObject(v) {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function checkOptionNames(options, allowed, what) {
  if (options === undefined) return Object.create(null);
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw argError(`${what} must be an object`);
  }
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name)) {
      throw argError(`${what}: unknown option "${name}" (known options: ${allowed.join(", ")})`);
    }
  }
  // Own enumerable properties only, so what is validated is exactly what is serialised; no
  // prototype either, so a polluted Object.prototype (say a `currentDate`) is never read.
  return Object.assign(Object.create(null), options);
}

export function isStringArray(v) {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

export function expect(ok, what, expected) {
  if (!ok) throw argError(`${what} must be ${expected}`);
}

/** How a value is named in a message: "null", "an array" or its `typeof`. */
export function describe(v) {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

export function checkAlg(v, what) {
  if (typeof v !== "string" || !ALGS.includes(v)) {
    throw argError(`${what} must be one of ${ALGS.join(", ")}; got ${typeof v === "string" ? JSON.stringify(v.slice(0, 32)) : typeof v}`);
  }
}

export function checkDuration(v, what) {
  expect(
    (typeof v === "number" && Number.isFinite(v) && v >= 0) || typeof v === "string",
    what,
    'a number of seconds or a duration string such as "30s", "5m"',
  );
}

/** Epoch seconds from `currentDate` (Date or epoch seconds), or the wall clock. */
export function nowFrom(currentDate) {
  if (currentDate === undefined) return Date.now() / 1000;
  return currentDate instanceof Date ? currentDate.getTime() / 1000 : currentDate;
}

export function checkCurrentDate(v, what) {
  if (v === undefined) return;
  expect(
    (v instanceof Date && !Number.isNaN(v.getTime())) || (typeof v === "number" && Number.isFinite(v)),
    what,
    "a valid Date or a number of epoch seconds",
  );
}

/** A clock option: a function returning a Date or epoch seconds; the wall clock by default. */
export function clockFrom(now, what) {
  if (now === undefined) return () => Date.now() / 1000;
  expect(typeof now === "function", what, "a function returning a Date or epoch seconds");
  return () => {
    const t = now();
    if (t instanceof Date && !Number.isNaN(t.getTime())) return t.getTime() / 1000;
    if (typeof t === "number" && Number.isFinite(t) && t >= 0) return t;
    throw argError(`${what} must return a valid Date or a number of epoch seconds, got ${describe(t)}`);
  };
}

export function checkEpochSeconds(v, what) {
  expect(typeof v === "number" && Number.isFinite(v) && v >= 0, what, "a number of epoch seconds");
}

/**
 * Validates claim options in JS so a wrong type or a typo fails loudly before crossing into wasm.
 * The core validates the JSON it receives too, but JSON.stringify is lossy in exactly the
 * dangerous direction: NaN becomes null and undefined or a function disappears, which the core
 * would read as "option not set" and silently skip a check. So values are checked here, before
 * serialising.
 */
export function checkClaimOptionValues(o) {
  const has = (k) => o[k] !== undefined;
  if (has("issuer")) expect(typeof o.issuer === "string" || isStringArray(o.issuer), "options.issuer", "a string or an array of strings");
  if (has("audience")) expect(typeof o.audience === "string" || isStringArray(o.audience), "options.audience", "a string or an array of strings");
  if (has("subject")) expect(typeof o.subject === "string", "options.subject", "a string");
  if (has("clockTolerance")) checkDuration(o.clockTolerance, "options.clockTolerance");
  if (has("maxTokenAge")) checkDuration(o.maxTokenAge, "options.maxTokenAge");
  for (const k of ["requiredClaims", "requiredScopes", "requiredRoles"]) {
    if (has(k)) expect(isStringArray(o[k]), `options.${k}`, "an array of strings");
  }
  if (has("claims")) {
    expect(
      isPlainObject(o.claims) &&
        Object.values(o.claims).every((v) => typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))),
      "options.claims",
      "an object whose values are strings, numbers or booleans",
    );
  }
  checkCurrentDate(o.currentDate, "options.currentDate");
}

/** JSON text of the options without `currentDate` and `cache`, which stay in JS. */
export function optionsJson(o) {
  const { currentDate: _date, cache: _cache, ...rest } = o;
  return JSON.stringify(rest);
}

export function toJsonText(value, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw argError(`${what} cannot be serialised to JSON: ${e && e.message}`);
  }
  if (typeof text !== "string") throw argError(`${what} cannot be serialised to JSON`);
  return text;
}

export function checkToken(token, maxSize = DEFAULT_MAX_TOKEN_SIZE) {
  if (typeof token !== "string") {
    throw new JwtError("ERR_JWT_INVALID", `a token must be a string, got ${token === null ? "null" : typeof token}`);
  }
  if (token.length > maxSize) throw new JwtError("ERR_JWT_INVALID", `token is longer than the ${maxSize} bytes allowed`);
}

/** The `maxTokenSize` option (Verifier, decode): a positive whole number of bytes. */
export function checkMaxTokenSize(v) {
  expect(Number.isSafeInteger(v) && v > 0, "options.maxTokenSize", "a positive integer (bytes)");
}

export function keyOptions(opts, what) {
  const o = checkOptionNames(opts, KEY_OPTION_NAMES, what);
  if (o.alg !== undefined) checkAlg(o.alg, `${what}.alg`);
  if (o.kid !== undefined) expect(typeof o.kid === "string", `${what}.kid`, "a string");
  return o;
}
