// `jwtward/decode`: decode and decodeHeader alone, in plain JavaScript (no wasm), with the same
// outcomes as the core's decode. For inspection only: nothing here checks a signature.
export { decode, decodeHeader } from "./src/decode.js";
export { JwtError } from "./src/errors.js";
