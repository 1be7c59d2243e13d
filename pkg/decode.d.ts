// Types of `jwtward/decode` (require): decode and decodeHeader alone, in plain JavaScript, with
// the same outcomes as the main entry's. The shapes are the main entry's (index.d.ts).
import type { DecodedToken, JwtHeader } from "./index.js";

export type { DecodedToken, ErrorCode, JwtHeader, JwtPayload } from "./index.js";
export { JwtError } from "./index.js";

/** Options of `decode` and `decodeHeader`. */
export interface DecodeOptions {
  /** The largest token accepted, in UTF-8 bytes (default 16384), checked before any decoding. */
  maxTokenSize?: number;
}

/** Decodes a token WITHOUT verifying anything: for inspection only, never for trust decisions. */
export function decode(token: string, options?: DecodeOptions): DecodedToken;

/** Decodes a token's header WITHOUT verifying anything. */
export function decodeHeader(token: string, options?: DecodeOptions): JwtHeader;
