// The public API of jwtward, composed once per core: `createApi(runtime)` builds every concern's
// classes and functions over one wasm-bindgen core and its host backends, and returns exactly
// the names of `EXPORT_NAMES`, the one export list (the entries' export lines are generated
// from it by scripts/gen-entries.mjs). Nothing here keeps a core in module state, so two
// variants of the package can live in one process.
import { JwtError, callCore } from "./errors.js";
import { checkCoreTables } from "./tables.js";
import { createKey } from "./key.js";
import { createKeySet } from "./key-set.js";
import { createRemoteKeySet } from "./remote-key-set.js";
import { createDiscover } from "./discovery.js";
import { cacheApiJwksStore, kvJwksStore } from "./jwks-stores.js";
import { createTokenCache } from "./token-cache.js";
import { createVerifier } from "./verifier.js";
import { createDecode } from "./decode-core.js";
import { createSigner } from "./signer.js";
import { bearerToken } from "./bearer.js";
import { createRefreshTokens } from "./refresh-tokens.js";
import { MemoryStore } from "./stores/memory.js";
import { RedisStore } from "./stores/redis.js";
import { RedisClusterStore } from "./stores/redis-cluster.js";

/** Every name the package exports, in one place. */
export const EXPORT_NAMES = Object.freeze([
  "decode",
  "decodeHeader",
  "Key",
  "KeySet",
  "RemoteKeySet",
  "remoteKeySet",
  "remoteKeySetFromIssuer",
  "discover",
  "kvJwksStore",
  "cacheApiJwksStore",
  "Verifier",
  "verify",
  "checkClaims",
  "bearerToken",
  "JwtError",
  "Signer",
  "generateKeyPair",
  "generateKeyPairAsync",
  "generateRefreshToken",
  "hashToken",
  "RefreshTokens",
  "MemoryStore",
  "RedisStore",
  "RedisClusterStore",
]);

/**
 * @param {{ core: any, hashToken?: ((token: string) => string) | null,
 *           asyncCrypto?: { unpack: Function, verify: Function } | null, asyncOnly?: boolean }} runtime
 *   `core`: the wasm-bindgen module, already initialised (its host crypto, if any, installed);
 *   `hashToken`: the host's SHA-256 for the token cache, if it has one (else the core's);
 *   `asyncCrypto`: the runtime's signature checks for `verifyAsync` (hosts/webcrypto.js), if
 *   faster than the core's;
 *   `asyncOnly`: the core has no synchronous RSA/ECDSA/Ed25519 (the slim module with no
 *   synchronous host: browsers, workerd): `asyncCrypto` also signs and generates keys for
 *   `signAsync`/`generateKeyPairAsync`, and the synchronous methods refuse such keys with a
 *   TypeError that names the async method and jwtward/full
 * @returns {Record<string, any>} exactly the names of EXPORT_NAMES
 */
export function createApi({ core, hashToken = null, asyncCrypto = null, asyncOnly = false }) {
  checkCoreTables(core);
  const { Key, innerKey, wrapKey } = createKey({ core, asyncOnly });
  const { KeySet, withWasmKeySet } = createKeySet({ core, Key, innerKey });
  const { RemoteKeySet, remoteKeySet, remoteKeySetFromIssuer, millis } = createRemoteKeySet({ core });
  const { discover } = createDiscover({ millis });
  const parseSeconds = (value, what) => callCore(core.parseDuration, value, what);
  const { TokenCache } = createTokenCache({ parseSeconds });
  const { Verifier, verify, checkClaims } = createVerifier({
    core,
    KeySet,
    withWasmKeySet,
    RemoteKeySet,
    TokenCache,
    parseSeconds,
    // SHA-256 of a token, the cache key: the host's own hash where it has one, else the core's.
    hashToken: hashToken || ((token) => core.cacheKey(token)),
    asyncCrypto: asyncCrypto || null,
    asyncOnly,
  });
  const { decode, decodeHeader } = createDecode({ core });
  const { Signer, generateKeyPair, generateKeyPairAsync } = createSigner({
    core,
    Key,
    innerKey,
    wrapKey,
    webCrypto: asyncOnly ? asyncCrypto || null : null,
    asyncOnly,
  });
  const { RefreshTokens, generateRefreshToken, hashToken: hashRefreshToken } = createRefreshTokens({ core });
  return {
    decode,
    decodeHeader,
    Key,
    KeySet,
    RemoteKeySet,
    remoteKeySet,
    remoteKeySetFromIssuer,
    discover,
    kvJwksStore,
    cacheApiJwksStore,
    Verifier,
    verify,
    checkClaims,
    bearerToken,
    JwtError,
    Signer,
    generateKeyPair,
    generateKeyPairAsync,
    generateRefreshToken,
    hashToken: hashRefreshToken,
    RefreshTokens,
    MemoryStore,
    RedisStore,
    RedisClusterStore,
  };
}
