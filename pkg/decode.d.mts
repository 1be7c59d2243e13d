// Types of `jwtward/decode` (import): decode and decodeHeader alone, in plain JavaScript, with
// the same outcomes as the main entry's. The shapes are the main entry's (index.d.mts).
import type { DecodedToken, DecodeOptions, JwtHeader } from "./index.mjs";

export type { DecodedToken, DecodeOptions, ErrorCode, JwtHeader, JwtPayload } from "./index.mjs";
export { JwtError } from "./index.mjs";

/** Decodes a token WITHOUT verifying anything: for inspection only, never for trust decisions. */
export function decode(token: string, options?: DecodeOptions): DecodedToken;

/** Decodes a token's header WITHOUT verifying anything. */
export function decodeHeader(token: string, options?: DecodeOptions): JwtHeader;
