// `decode` and `decodeHeader` of the main entries, run by the wasm core: for inspection only,
// nothing here checks a signature. (`jwtward/decode` has its own, in plain JS: decode.js.)
import { callCore } from "./errors.js";
import { DECODE_OPTION_NAMES, checkMaxTokenSize, checkOptionNames, checkToken } from "./options.js";
import { DEFAULT_MAX_TOKEN_SIZE } from "./tables.js";

/** The `maxTokenSize` of `decode`/`decodeHeader` options, checked as the Verifier's. */
function decodeLimit(options, what) {
  const o = checkOptionNames(options, DECODE_OPTION_NAMES, `${what} options`);
  if (o.maxTokenSize === undefined) return DEFAULT_MAX_TOKEN_SIZE;
  checkMaxTokenSize(o.maxTokenSize);
  return o.maxTokenSize;
}

/**
 * Runs the core's decode under `max`. The core's `decode`/`decodeHeader` apply its default
 * limit (16 KiB) themselves; a larger one needs the core's limit-taking variant.
 */
function decodeWith(plain, limited, token, max) {
  if (max <= DEFAULT_MAX_TOKEN_SIZE || typeof limited !== "function") return callCore(plain, token);
  return callCore(limited, token, Math.min(max, 0xffffffff));
}

/**
 * @param {{ core: any }} ctx
 * @returns {{ decode: (token: string, options?: object) => any, decodeHeader: (token: string, options?: object) => any }}
 */
export function createDecode({ core }) {
  /** Decodes a token WITHOUT checking its signature: for inspection only, never for trust decisions. */
  function decode(token, options) {
    const max = decodeLimit(options, "decode");
    checkToken(token, max);
    return JSON.parse(decodeWith(core.decode, core.decodeWithLimit, token, max));
  }

  /** Decodes a token's header WITHOUT checking anything else. */
  function decodeHeader(token, options) {
    const max = decodeLimit(options, "decodeHeader");
    checkToken(token, max);
    return JSON.parse(decodeWith(core.decodeHeader, core.decodeHeaderWithLimit, token, max));
  }

  return { decode, decodeHeader };
}
