// `decode` and `decodeHeader` in plain JavaScript, for the `jwtward/decode` entry: the same
// outcomes as the Rust core's decode (src/decode.rs, src/base64url.rs, src/json/) on every input,
// the same error codes and the same messages, without shipping any wasm. The JSON checks are a
// port of the parts of serde_json the core runs (its error texts and positions included), so that
// a token refused by one is refused by the other with the same words; the values themselves come
// from JSON.parse, as they do in the main entry.
import { JwtError, argError } from "./errors.js";

/** DEFAULT_MAX_TOKEN_SIZE in src/decode.rs: a token's length in UTF-8 bytes, checked first. */
const DEFAULT_MAX_TOKEN_SIZE = 16 * 1024;
/** MAX_DEPTH in src/json/mod.rs: the deepest nesting of arrays and objects accepted. */
const MAX_DEPTH = 32;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/** The value of each ASCII character as a base64url digit, or -1. */
const DIGITS = new Int8Array(128).fill(-1);
for (let d = 0; d < 64; d++) DIGITS[ALPHABET.charCodeAt(d)] = d;

const utf8 = new TextEncoder();
// fatal: invalid UTF-8 is refused, not replaced; ignoreBOM: a leading BOM is kept in the text, as
// in the bytes the JSON checks read (which refuse it, as serde_json does).
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const jwtInvalid = (message) => new JwtError("ERR_JWT_INVALID", message);
const jwsInvalid = (message) => new JwtError("ERR_JWS_INVALID", message);

/**
 * Strict unpadded base64url, as src/base64url.rs: only the 64 characters, no '=', and zero bits
 * below the last whole byte, so every byte string has exactly one accepted encoding.
 * @returns {Uint8Array | null} the bytes, or null for anything else
 */
function base64url(text) {
  const length = text.length;
  if (length % 4 === 1) return null;
  const out = new Uint8Array((length * 3) >> 2);
  const digit = (k) => {
    const c = text.charCodeAt(k);
    return c < 128 ? DIGITS[c] : -1;
  };
  let at = 0;
  let k = 0;
  // Four characters make three bytes; any digit outside the alphabet makes `n` negative.
  for (; k + 4 <= length; k += 4) {
    const n = (digit(k) << 18) | (digit(k + 1) << 12) | (digit(k + 2) << 6) | digit(k + 3);
    if (n < 0) return null;
    out[at++] = n >> 16;
    out[at++] = n >> 8;
    out[at++] = n;
  }
  if (k === length) return out;
  // The tail: 2 characters give a byte, 3 give two; the bits below the last byte must be zero.
  const n = (digit(k) << 18) | (digit(k + 1) << 12) | (k + 2 < length ? digit(k + 2) << 6 : 0);
  if (n < 0 || n & (k + 2 < length ? 0xff : 0xffff)) return null;
  out[at++] = n >> 16;
  if (k + 2 < length) out[at] = n >> 8;
  return out;
}

// The parts of Rust's `{:?}` for a string that a member name can reach: these escapes, and
// `\u{..}` for what Rust does not print as is (separators, controls, format characters,
// surrogates, private use, unassigned) or for grapheme extenders. Checked against Rust's output
// for every code point.
const DEBUG_ESCAPES = { "\0": "\\0", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\\": "\\\\", '"': '\\"' };
const NOT_PRINTED = /(?! )[\p{Z}\p{C}\p{Grapheme_Extend}]/u;

/** The core's `duplicate member name {:?}` of the name cut to 40 characters (src/json/mod.rs). */
function duplicateMember(name) {
  let quoted = '"';
  for (const ch of [...name].slice(0, 40)) {
    quoted += DEBUG_ESCAPES[ch] ?? (NOT_PRINTED.test(ch) ? `\\u{${ch.codePointAt(0).toString(16)}}` : ch);
  }
  return `duplicate member name ${quoted}"`;
}

/** A refusal with serde_json's message; `at` is the byte index of its position, -1 until fixed. */
class Refusal {
  constructor(message, at) {
    this.message = message;
    this.at = at;
  }
}

/**
 * Checks UTF-8 `bytes` to be one JSON object under the core's strict rules (src/json/view.rs: no
 * duplicate member names, nesting at most MAX_DEPTH), walking them as serde_json does.
 * @returns {string | null} serde_json's error text for what the core refuses, or null
 */
function strictJsonError(bytes) {
  const end = bytes.length;
  let i = 0;
  // serde_json's `error` points at the last byte read, `peek_error` at the one after it.
  const error = (message) => {
    throw new Refusal(message, i);
  };
  const peekError = (message) => {
    throw new Refusal(message, Math.min(end, i + 1));
  };
  const isDigit = (c) => c >= 0x30 && c <= 0x39;
  /** Skips JSON whitespace; the next byte, or -1 at the end. */
  const next = () => {
    while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x09 || bytes[i] === 0x0d)) i++;
    return i < end ? bytes[i] : -1;
  };

  const ident = (rest) => {
    for (let k = 0; k < rest.length; k++) {
      if (i >= end) error("EOF while parsing a value");
      if (bytes[i++] !== rest.charCodeAt(k)) error("expected ident");
    }
  };

  const hex4 = () => {
    if (end - i < 4) {
      i = end;
      error("EOF while parsing a string");
    }
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = bytes[i + k] | 0x20; // lower case
      const h = isDigit(bytes[i + k]) ? bytes[i + k] - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      n = h < 0 || n < 0 ? -1 : n * 16 + h;
    }
    i += 4;
    if (n < 0) error("invalid escape");
    return n;
  };

  /** A string's rest, after its opening quote; whether it was plain ASCII without escapes. */
  const string = () => {
    let plain = true;
    for (;;) {
      if (i >= end) error("EOF while parsing a string");
      const c = bytes[i++];
      if (c === 0x22) return plain;
      if (c < 0x20) error("control character (\\u0000-\\u001F) found while parsing a string");
      if (c >= 0x80) plain = false;
      if (c !== 0x5c) continue;
      plain = false;
      if (i >= end) error("EOF while parsing a string");
      const e = bytes[i++];
      if (e === 0x75) {
        const unit = hex4();
        // serde_json calls a trailing surrogate first "leading" too.
        if (unit >= 0xdc00 && unit <= 0xdfff) error("lone leading surrogate in hex escape");
        if (unit >= 0xd800 && unit <= 0xdbff) {
          for (const want of [0x5c, 0x75]) {
            if (i >= end) error("EOF while parsing a string");
            if (bytes[i++] !== want) error("unexpected end of hex escape");
          }
          const low = hex4();
          if (low < 0xdc00 || low > 0xdfff) error("lone leading surrogate in hex escape");
        }
      } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
        error("invalid escape");
      }
    }
  };

  /** A number's rest, after its '-' if any (serde_json's parse_integer and what follows). */
  const number = () => {
    const start = i;
    let nonZero = false;
    const digits = () => {
      for (; isDigit(bytes[i]); i++) if (bytes[i] !== 0x30) nonZero = true;
    };
    if (i >= end) error("EOF while parsing a value");
    const first = bytes[i++];
    if (first === 0x30) {
      if (isDigit(bytes[i])) peekError("invalid number");
    } else if (isDigit(first)) {
      nonZero = true;
      digits();
    } else {
      error("invalid number");
    }
    if (bytes[i] === 0x2e) {
      i++;
      if (!isDigit(bytes[i])) peekError(i < end ? "invalid number" : "EOF while parsing a value");
      digits();
    }
    if ((bytes[i] | 0x20) === 0x65) {
      i++;
      const positive = bytes[i] !== 0x2d;
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
      if (i >= end) error("EOF while parsing a value");
      if (!isDigit(bytes[i++])) error("invalid number");
      let exponent = bytes[i - 1] - 0x30;
      while (isDigit(bytes[i])) {
        exponent = exponent * 10 + bytes[i++] - 0x30;
        // serde_json stops at an exponent past i32::MAX: out of range for a non-zero number
        // raised to it, zero otherwise.
        if (exponent > 0x7fffffff) {
          if (nonZero && positive) error("number out of range");
          while (isDigit(bytes[i])) i++;
          return;
        }
      }
    }
    // serde_json rounds correctly (float_roundtrip), as Number() does: both overflow together.
    let text = "";
    for (let k = start; k < i; k++) text += String.fromCharCode(bytes[k]);
    if (!Number.isFinite(Number(text))) error("number out of range");
  };

  const nestedTooDeep = () => {
    throw new Refusal(`JSON nested deeper than ${MAX_DEPTH} levels`, -1);
  };

  /** The members of an object, after its '{' (view.rs's visit_map over serde_json's MapAccess). */
  const members = (depth) => {
    const names = new Set();
    for (let first = true; ; first = false) {
      let c = next();
      if (c < 0) peekError("EOF while parsing an object");
      if (c === 0x7d) return;
      if (!first) {
        if (c !== 0x2c) peekError("expected `,` or `}`");
        i++;
        c = next();
        if (c === 0x7d) peekError("trailing comma");
        if (c < 0) peekError("EOF while parsing a value");
      }
      if (c !== 0x22) peekError("key must be a string");
      const from = i++;
      let name = "";
      // Names are compared decoded ("a" and "\u0061" are one name); most are plain ASCII.
      if (string()) for (let k = from + 1; k < i - 1; k++) name += String.fromCharCode(bytes[k]);
      else name = JSON.parse(strictUtf8.decode(bytes.subarray(from, i)));
      if (depth >= MAX_DEPTH) nestedTooDeep();
      c = next();
      if (c !== 0x3a) peekError(c < 0 ? "EOF while parsing an object" : "expected `:`");
      i++;
      value(depth + 1);
      if (names.has(name)) throw new Refusal(duplicateMember(name), -1);
      names.add(name);
    }
  };

  /** The elements of an array, after its '[' (view.rs's visit_seq over serde_json's SeqAccess). */
  const elements = (depth) => {
    for (let first = true; ; first = false) {
      if (depth >= MAX_DEPTH) nestedTooDeep();
      let c = next();
      if (c < 0) peekError("EOF while parsing a list");
      if (c === 0x5d) return;
      if (!first) {
        if (c !== 0x2c) peekError("expected `,` or `]`");
        i++;
        c = next();
        if (c === 0x5d) peekError("trailing comma");
        if (c < 0) peekError("EOF while parsing a value");
      }
      value(depth + 1);
    }
  };

  /**
   * An array or object's contents, then its closing bracket. serde_json reads past the closing
   * bracket even when the contents were refused, and a refusal raised by the visitor (depth,
   * duplicate) takes its position after that read: kept, for the same message.
   */
  const container = (contents, depth, close) => {
    i++;
    try {
      contents(depth);
    } catch (e) {
      if (e instanceof Refusal && e.at < 0) {
        const c = next();
        if (c === close) i++;
        else if (c === 0x2c && close === 0x5d) {
          i++;
          next();
        }
        e.at = i;
      }
      throw e;
    }
    next();
    i++; // the closing bracket, which is what ended the contents
  };

  const value = (depth) => {
    const c = next();
    if (c < 0) peekError("EOF while parsing a value");
    if (c === 0x6e || c === 0x74 || c === 0x66) {
      i++;
      ident(c === 0x6e ? "ull" : c === 0x74 ? "rue" : "alse");
    } else if (c === 0x2d) {
      i++;
      number();
    } else if (isDigit(c)) {
      number();
    } else if (c === 0x22) {
      i++;
      string();
    } else if (c === 0x5b) {
      container(elements, depth, 0x5d);
    } else if (c === 0x7b) {
      container(members, depth, 0x7d);
    } else {
      peekError("expected value");
    }
  };

  try {
    value(0);
    if (next() >= 0) peekError("trailing characters");
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    // serde_json's "at line L column C": C counts bytes from the start of the line.
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < e.at; k++) {
      if (bytes[k] === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    return `${e.message} at line ${line} column ${e.at - lineStart}`;
  }
  // A value that is not an object starts with something else than '{', after whitespace.
  i = 0;
  return next() === 0x7b ? null : "not a JSON object";
}

/**
 * One segment as its JSON value, refused as the core refuses it (src/decode.rs segment_text
 * and segment_view): base64url, then UTF-8, then a strict JSON object.
 */
function segment(encoded, name, refuse) {
  const bytes = base64url(encoded);
  if (bytes === null) throw refuse(`the ${name} is not valid base64url (no padding, no '+' or '/', no whitespace)`);
  let text;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw refuse(`the ${name} is not UTF-8`);
  }
  const problem = strictJsonError(bytes);
  if (problem !== null) throw refuse(`the ${name} is not a valid JSON object: ${problem}`);
  // JSON.parse makes every member an own property, `__proto__` included: never copied onto
  // another object, so a member can never become a prototype.
  return JSON.parse(text);
}

/** The option checks of the main entry, and the three segments after the core's `split`. */
function split(token, options, what) {
  let max = DEFAULT_MAX_TOKEN_SIZE;
  if (options !== undefined) {
    if (options === null || typeof options !== "object" || Array.isArray(options)) throw argError(`${what} options must be an object`);
    for (const key of Object.keys(options)) {
      if (key !== "maxTokenSize") throw argError(`${what} options: unknown option "${key}" (known options: maxTokenSize)`);
    }
    // Own properties only, as the main entry reads them: an inherited maxTokenSize is not an option.
    const { maxTokenSize } = Object.assign(Object.create(null), options);
    if (maxTokenSize !== undefined) {
      if (!(Number.isSafeInteger(maxTokenSize) && maxTokenSize > 0)) throw argError("options.maxTokenSize must be a positive integer (bytes)");
      max = maxTokenSize;
    }
  }
  if (typeof token !== "string") throw jwtInvalid(`a token must be a string, got ${token === null ? "null" : typeof token}`);
  // The main entry refuses a string longer than the limit before it reaches the core (a UTF-8
  // byte is never fewer than one UTF-16 unit); the core then measures UTF-8 bytes, against the
  // limit if it is above its default, else against the default (src/decode-core.js decodeWith).
  if (token.length > max) throw jwtInvalid(`token is longer than the ${max} bytes allowed`);
  if (token === "") throw jwtInvalid("token is empty");
  const coreMax = Math.max(max, DEFAULT_MAX_TOKEN_SIZE);
  const size = token.length * 3 > coreMax ? utf8.encode(token).length : token.length;
  if (size > coreMax) throw jwtInvalid(`token is ${size} bytes, more than the ${coreMax} allowed`);
  // Whitespace around a token is refused, not trimmed, with the core's message (src/decode.rs
  // check_no_surrounding_whitespace; the core's is_ascii_whitespace is exactly this class).
  if (/[ \t\n\f\r]$/.test(token)) throw jwsInvalid("the token ends with whitespace (a newline?); trim it before verifying");
  if (/^[ \t\n\f\r]/.test(token)) throw jwsInvalid("the token starts with whitespace; trim it before verifying");
  const parts = token.split(".");
  if (parts.length !== 3) throw jwsInvalid(`a compact JWS has exactly three segments separated by '.', this one has ${parts.length}`);
  if (parts[0] === "" || parts[1] === "") throw jwsInvalid("the header and payload segments must not be empty");
  return parts;
}

/**
 * Decodes a token WITHOUT verifying it: for inspection and debugging only. Throws `JwtError`
 * (`ERR_JWT_INVALID` / `ERR_JWS_INVALID`) on anything that is not a well-formed compact JWS whose
 * header and payload are JSON objects.
 * @param {string} token
 * @param {{ maxTokenSize?: number }} [options]
 * @returns {{ header: Record<string, unknown>, payload: Record<string, unknown>, signature: string }}
 */
export function decode(token, options) {
  const [h, p, signature] = split(token, options, "decode");
  const header = segment(h, "header", jwsInvalid);
  const payload = segment(p, "payload", jwtInvalid);
  if (base64url(signature) === null) throw jwsInvalid("the signature is not valid base64url");
  return { header, payload, signature };
}

/**
 * Decodes only the protected header, WITHOUT verifying anything.
 * @param {string} token
 * @param {{ maxTokenSize?: number }} [options]
 * @returns {Record<string, unknown>}
 */
export function decodeHeader(token, options) {
  return segment(split(token, options, "decodeHeader")[0], "header", jwsInvalid);
}
