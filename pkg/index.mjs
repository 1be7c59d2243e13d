// Node ESM entry of jwtward: re-exports the CommonJS entry so that `import` and `require` share
// one wasm instance and one set of classes (a JwtError thrown through one is `instanceof` the other).
import api from "./index.cjs";

export const {
  decode,
  decodeHeader,
  Key,
  KeySet,
  RemoteKeySet,
  remoteKeySet,
  Verifier,
  verify,
  checkClaims,
  bearerToken,
  JwtError,
  Signer,
  generateKeyPair,
  generateRefreshToken,
  hashToken,
  RefreshTokens,
  MemoryStore,
  RedisStore,
} = api;
