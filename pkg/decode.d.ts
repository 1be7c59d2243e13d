// Types of `jwtward/decode` (require): decode and decodeHeader alone, in plain JavaScript, with
// the same outcomes as the main entry's. The shapes are the main entry's (index.d.ts).
import type { DecodedToken, DecodeOptions, JwtHeader } from "./index.js";

export type { DecodedToken, DecodeOptions, ErrorCode, JwtHeader, JwtPayload } from "./index.js";
export { JwtError } from "./index.js";

/** Decodes a token WITHOUT verifying anything: for inspection only, never for trust decisions. */
export function decode(token: string, options?: DecodeOptions): DecodedToken;

/** Decodes a token's header WITHOUT verifying anything. */
export function decodeHeader(token: string, options?: DecodeOptions): JwtHeader;
