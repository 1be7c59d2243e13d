// Type declarations of jwtward's public API (API.md), shared by the ESM and CommonJS entries.
// Self-contained: JsonWebKey is declared here so users need neither the DOM lib nor @types/node.

/** The JWS algorithms jwtward supports. `none` is deliberately absent. */
export type Alg =
  | "HS256" | "HS384" | "HS512"
  | "RS256" | "RS384" | "RS512"
  | "PS256" | "PS384" | "PS512"
  | "ES256" | "ES384" | "ES512"
  | "EdDSA";

/** The stable `code` of every `JwtError` (the `jose` vocabulary where it has one). */
export type ErrorCode =
  | "ERR_JWT_INVALID" | "ERR_JWS_INVALID" | "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
  | "ERR_JWT_EXPIRED" | "ERR_JWT_CLAIM_VALIDATION_FAILED" | "ERR_JOSE_ALG_NOT_ALLOWED"
  | "ERR_JOSE_NOT_SUPPORTED" | "ERR_JWK_INVALID" | "ERR_JWKS_INVALID" | "ERR_JWKS_NO_MATCHING_KEY"
  | "ERR_JWKS_MULTIPLE_MATCHING_KEYS" | "ERR_JWKS_TIMEOUT" | "ERR_JWKS_FETCH_FAILED" | "ERR_JWT_REVOKED"
  | "ERR_REFRESH_INVALID" | "ERR_REFRESH_EXPIRED" | "ERR_REFRESH_REUSED" | "ERR_REFRESH_REVOKED"
  | "ERR_REFRESH_CONFLICT";

/** A JSON Web Key (RFC 7517) as a plain object. */
export interface JsonWebKey {
  kty: "RSA" | "EC" | "OKP" | "oct" | (string & {});
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  n?: string;
  e?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
  x5c?: string[];
  x5t?: string;
  "x5t#S256"?: string;
  x5u?: string;
  ext?: boolean;
  [parameter: string]: unknown;
}

/** A JSON Web Key Set: `{ keys: [...] }`. */
export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

/** The protected header of a JWS. */
export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  cty?: string;
  crit?: string[];
  [parameter: string]: unknown;
}

/** A JWT claims set. Time claims are NumericDate: seconds since the epoch. */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  scope?: string;
  scp?: string[];
  roles?: string[];
  [claim: string]: unknown;
}

/** A duration: a number of seconds, or a string such as `"30s"`, `"5m"`, `"2h"`, `"1d"`. */
export type Duration = number | string;

/** The claim checks, shared by `Verifier` and `checkClaims`. Unknown option names throw a `TypeError`. */
export interface ClaimOptions {
  /** Accepted `iss` value(s). */
  issuer?: string | string[];
  /** Accepted audience(s): at least one must appear in `aud`. */
  audience?: string | string[];
  /** Required `sub` value. */
  subject?: string;
  /** Leeway for `exp`, `nbf` and `maxTokenAge`; default 0. */
  clockTolerance?: Duration;
  /** Maximum age since `iat` (which then becomes required). */
  maxTokenAge?: Duration;
  /** Claims that must be present. */
  requiredClaims?: string[];
  /** Scopes that must all appear in `scope` (space separated) or `scp` (array). */
  requiredScopes?: string[];
  /** Roles that must all appear in the `roles` array claim. */
  requiredRoles?: string[];
  /** Exact matches, e.g. `{ tenant: "acme" }` (no type coercion). */
  claims?: Record<string, string | number | boolean>;
  /** The time to check against: a Date, or epoch seconds. Default: now. For tests and replays. */
  currentDate?: Date | number;
}

/** Options of `Verifier` and `verify`. `algorithms` is required: there is no implicit "any algorithm". */
export interface VerifyOptions extends ClaimOptions {
  /** The algorithms accepted in the token header (non-empty). */
  algorithms: Alg[];
  /** Required `typ` header, e.g. `"at+jwt"` (RFC 9068); compared as a media type: case-insensitive, "application/" prefix optional. */
  typ?: string;
  /** Tokens longer than this many bytes are refused before parsing; default 16 KiB. */
  maxTokenSize?: number;
  /**
   * Opt-in cache of verified tokens: a token seen again skips the signature and claim work.
   * A bounded LRU of at most `max` entries keyed by a SHA-256 of the token; an entry is used only
   * while the token's `exp`, `nbf` (and, with `maxTokenAge`, `iat`) still allow it at the
   * verifier's time, with `clockTolerance` applied as in verification, and at most `ttl`
   * (default "10m"); failures are never cached; everything is forgotten when the keys change.
   */
  cache?: VerifyCacheOptions;
}

/** Options of the verified-token cache (`VerifyOptions.cache`). */
export interface VerifyCacheOptions {
  /** The most tokens kept (1 to 1,000,000); the least recently used goes first. */
  max: number;
  /** The longest an entry is kept, whatever its `exp`: seconds or a duration such as "10m" (default). */
  ttl?: Duration;
}

/** Any local key source accepted by `Verifier` and `verify`. */
export type KeySource = Key | KeySet | JsonWebKey | JsonWebKeySet;

/**
 * A verified (or decoded) token. `P` is any type describing your claims (an `interface` without an
 * index signature included, as jose's `jwtVerify<P>` takes); the payload is `P & JwtPayload`, so both
 * your fields and the registered claims (`exp`, `iss`, ...) are typed. The type is what you assert,
 * not something checked at run time: only the options you give the `Verifier` are checked.
 */
export interface VerifiedToken<P = JwtPayload> {
  header: JwtHeader;
  payload: P & JwtPayload;
}

/** A decoded, UNVERIFIED token. */
export interface DecodedToken extends VerifiedToken {
  /** The signature segment, base64url. */
  signature: string;
}

/**
 * The one error class of jwtward: every failure carries a stable `code`; claim failures also
 * carry `claim` (e.g. `"exp"`, `"aud"`) and `reason` (`"missing"`, `"check_failed"`, `"invalid"`).
 * Messages never contain secret or key material.
 */
export class JwtError extends Error {
  constructor(code: ErrorCode, message: string, options?: { claim?: string; reason?: string; cause?: unknown });
  readonly name: "JwtError";
  code: ErrorCode;
  claim?: string;
  reason?: string;
}

/** Options when creating a key from a secret or a PEM. */
export interface KeyOptions {
  /** Bind the key to one algorithm. */
  alg?: Alg;
  /** Key id, matched against a token's `kid`. */
  kid?: string;
}

/**
 * A verification or signing key: an HMAC secret, or an RSA, EC (P-256/384/521) or Ed25519 key.
 * Create one with `Key.fromSecret`, `Key.fromPem`, `Key.fromJwk` or `generateKeyPair`.
 */
export class Key {
  private constructor();
  /** An HMAC key; a string is taken as its UTF-8 bytes. */
  static fromSecret(secret: string | Uint8Array, opts?: KeyOptions): Key;
  /**
   * A key from PEM: SPKI or PKCS#1 public keys, PKCS#8 or SEC1 private keys, or an X.509
   * certificate (`-----BEGIN CERTIFICATE-----`), of which only the public key is used: the
   * certificate's chain, dates and extensions are NOT checked.
   */
  static fromPem(pem: string, opts?: KeyOptions): Key;
  /**
   * A key from a JWK: kty RSA, EC (P-256, P-384, P-521), OKP (Ed25519) or oct. A JWK with only
   * `x5c` takes its key from the first certificate; with both, they must agree.
   */
  static fromJwk(jwk: JsonWebKey): Key;
  /** Key id, if any. */
  readonly kid: string | undefined;
  /** The algorithm the key is bound to, if any. */
  readonly alg: Alg | undefined;
  /** Key type. */
  readonly kty: "RSA" | "EC" | "OKP" | "oct";
  /** True for private keys and HMAC secrets. */
  readonly isPrivate: boolean;
  /** The public part as a JWK; never exports private or secret material, throws `JwtError` for oct keys. */
  toPublicJwk(): JsonWebKey;
}

/** A set of keys; a token's `kid` picks its key, or else the one key that fits its `alg`. */
export class KeySet {
  private constructor();
  /** A set from a JWKS; unsupported keys are skipped, a malformed JWKS throws `ERR_JWKS_INVALID`. */
  static fromJwks(jwks: JsonWebKeySet): KeySet;
  /**
   * A set from a `{ [kid]: certificatePem }` document (Google's form for Firebase ID tokens):
   * each certificate's public key under its `kid`. The certificates' chain, dates and extensions
   * are NOT checked. Unsupported certificates are skipped; a non-string value throws `ERR_JWKS_INVALID`.
   */
  static fromX509Map(map: Record<string, string>): KeySet;
  /** A set of the given keys. */
  static of(keys: Key[]): KeySet;
  /** Number of usable keys. */
  readonly size: number;
  /** Public parts only, as a JWKS. */
  toJwks(): JsonWebKeySet;
}

/** Verifies tokens against fixed keys and options (validated once, here). */
/** Options of `remoteKeySet`. Durations are seconds or strings such as "30s", "10m". */
export interface RemoteKeySetOptions {
  /** How long a fetched set is used before it is fetched again; default "10m". A shorter `Cache-Control: max-age` wins. */
  cacheMaxAge?: number | string;
  /** The least time between two fetches (unknown `kid`, failures, short max-age); default "30s". */
  cooldown?: number | string;
  /** Abort a fetch after this long with `ERR_JWKS_TIMEOUT`; default "5s". */
  timeout?: number | string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** The fetch to use (tests, custom agents); default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * A store shared by isolates or processes (Workers: `kvJwksStore(env.KV)`, `cacheApiJwksStore(caches.default)`):
   * a set is looked up there before the network and written there after a fetch. Entries are parsed like a
   * network body; a store that fails only costs a fetch.
   */
  store?: JwksStore;
  /**
   * How long past its max age a set may still be served while one refresh runs in the background; default 0
   * (a stale set is refreshed before it is used). A set read from `store` is never served past
   * fetch time + max age + this.
   */
  staleWhileRevalidate?: number | string;
  /**
   * Given each refresh started in the background (`staleWhileRevalidate`), so that the runtime keeps it alive
   * after the response: in Workers, `waitUntil` from "cloudflare:workers" (otherwise workerd cancels the
   * refresh with the request that started it).
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/**
 * A shared store for remote key sets. `get` returns what `put` stored for that URL (or an object with it as
 * `text`), or null; `maxAgeSeconds` is how long the entry is worth keeping. Anything it returns is checked,
 * never trusted.
 */
export interface JwksStore {
  get(url: string): Promise<string | { text: string } | null | undefined>;
  put(url: string, text: string, maxAgeSeconds: number): Promise<void>;
}

/** A Workers KV namespace binding, as far as `kvJwksStore` uses it. */
export interface KVNamespaceLike {
  get(key: string, type: "text"): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
}

/**
 * A Cache API cache (`caches.default`, `await caches.open(name)`), as far as `cacheApiJwksStore` uses it
 * (typed loosely so that these declarations need neither the DOM nor the Workers types).
 */
export interface CacheLike {
  match(request: any): Promise<any>;
  put(request: any, response: any): Promise<void>;
}

/**
 * A `JwksStore` over a Workers KV namespace. KV is eventually consistent: another location may read an older
 * entry (still bounded by its age) or none for 60 seconds or more after a write, and then fetch.
 */
export function kvJwksStore(namespace: KVNamespaceLike, options?: { prefix?: string }): JwksStore;

/**
 * A `JwksStore` over a Workers Cache API cache: local to one data centre, and a no-op on `*.workers.dev`
 * hostnames. Entries live under `keyBase` + the encoded URL (default "https://jwtward-jwks-store.invalid/").
 */
export function cacheApiJwksStore(cache: CacheLike, options?: { keyBase?: string }): JwksStore;

/** Options of `discover` and `remoteKeySetFromIssuer` about discovery. */
export interface DiscoveryOptions {
  /** "oidc" (default): `<issuer>/.well-known/openid-configuration`; "oauth2": RFC 8414's `/.well-known/oauth-authorization-server<path>`. */
  type?: "oidc" | "oauth2";
  /** Allow plain http for the issuer and `jwks_uri`, to loopback hosts only (tests); default false. */
  allowHttpLoopback?: boolean;
}

/** Options of `remoteKeySetFromIssuer`: those of `remoteKeySet` (they apply to the metadata too) and of discovery. */
export interface IssuerKeySetOptions extends RemoteKeySetOptions, DiscoveryOptions {}

/** An issuer's metadata (OpenID Connect Discovery / RFC 8414); `issuer` and `jwks_uri` are checked. */
export interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
  [name: string]: unknown;
}

/**
 * Fetches the metadata of `issuer` now (not cached). Its `issuer` must equal `issuer` exactly and its
 * `jwks_uri` must be https. Rejects with `JwtError` `ERR_JWKS_TIMEOUT`, `ERR_JWKS_FETCH_FAILED` (network,
 * HTTP status, a redirect) or `ERR_JWKS_INVALID` (not JSON, too large, issuer mismatch, no or bad `jwks_uri`).
 */
export function discover(
  issuer: string | URL,
  options?: DiscoveryOptions & { timeout?: number | string; headers?: Record<string, string>; fetch?: typeof fetch },
): Promise<IssuerMetadata>;

/**
 * The key set of `issuer`, from the `jwks_uri` of its metadata (fetched on first use and cached like the set).
 * Nothing is fetched until the first `verifyAsync`.
 */
export function remoteKeySetFromIssuer(issuer: string | URL, options?: IssuerKeySetOptions): RemoteKeySet;

/**
 * A JWKS fetched over HTTP(S) and kept fresh; give it to `new Verifier(...)` and call
 * `verifyAsync`. `oct` (secret) members of a remote set are dropped.
 */
export class RemoteKeySet {
  private constructor();
  /** The URL the set is fetched from; for `remoteKeySetFromIssuer`, undefined until the metadata was read. */
  readonly url: string | undefined;
  /** The issuer given to `remoteKeySetFromIssuer`, else undefined. */
  readonly issuer: string | undefined;
  /** Whether a fetched set is held and within its max age. */
  readonly fresh: boolean;
  /** Fetches the set now (sharing a fetch under way). Rejects with `JwtError` (`ERR_JWKS_TIMEOUT`, `ERR_JWKS_FETCH_FAILED`, `ERR_JWKS_INVALID`); the last good set is kept. */
  reload(): Promise<void>;
  /**
   * Resolves (never rejects) once no fetch of this set is under way. In Workers, `ctx.waitUntil(keys.settled())`
   * keeps a background refresh (`staleWhileRevalidate`) alive after the response is sent.
   */
  settled(): Promise<void>;
}

/** A JWKS at `url`, fetched on first use: create one per URL and share it between verifiers. */
export function remoteKeySet(url: string | URL, options?: RemoteKeySetOptions): RemoteKeySet;

/** Options of `Verifier.verifyAsync`. */
export interface VerifyAsyncOptions {
  /**
   * Called after every other check passed, with the token's `jti`: answer true to refuse the
   * token with `ERR_JWT_REVOKED`. With this hook, a token without `jti` is refused.
   */
  isRevoked?: (jti: string, payload: JwtPayload) => boolean | Promise<boolean>;
}

export class Verifier {
  /** @throws TypeError on missing/empty `algorithms`, unknown option names or wrongly typed options. */
  constructor(keys: KeySource | RemoteKeySet, options: VerifyOptions);
  /**
   * Checks signature, header and claims; returns header and payload, or throws `JwtError`. Synchronous; local keys only.
   * In Node, Deno and Bun, RSA, ECDSA and Ed25519 signatures are checked by node:crypto; with `jwtward/full`
   * elsewhere, by the wasm module.
   * @throws TypeError (`code` `"ERR_INVALID_ARG_VALUE"`) in browsers and Workers with the default `jwtward`
   *   entry, for an RSA, ECDSA or Ed25519 key: there only WebCrypto checks those, asynchronously; use
   *   `verifyAsync`, or import `jwtward/full`. HMAC stays synchronous everywhere.
   */
  verify<P = JwtPayload>(token: string): VerifiedToken<P>;
  /**
   * As `verify`, for any key source (a `remoteKeySet` too), with an optional revocation check. In browsers and
   * Workers, RSA, ECDSA and Ed25519 signatures are checked by WebCrypto (HMAC stays in wasm).
   */
  verifyAsync<P = JwtPayload>(token: string, options?: VerifyAsyncOptions): Promise<VerifiedToken<P>>;
}

/** One-shot `new Verifier(keys, options).verify(token)`. Keep a `Verifier` to verify many tokens. */
export function verify<P = JwtPayload>(token: string, keys: KeySource, options: VerifyOptions): VerifiedToken<P>;

/** Runs the claim checks alone on a payload; throws `JwtError` on failure. */
export function checkClaims(payload: JwtPayload, options: ClaimOptions): void;

/** Options of `decode` and `decodeHeader`. */
export interface DecodeOptions {
  /**
   * Tokens longer than this many bytes are refused before decoding; default 16 KiB (as
   * `VerifyOptions.maxTokenSize`). For now the core refuses more than 16 KiB whatever this says.
   */
  maxTokenSize?: number;
}

/** Decodes a token WITHOUT verifying anything: for inspection only, never for trust decisions. */
export function decode(token: string, options?: DecodeOptions): DecodedToken;

/** Decodes a token's header WITHOUT verifying anything. */
export function decodeHeader(token: string, options?: DecodeOptions): JwtHeader;

/** Anything with a WHATWG-style `get(name)`: a Fetch `Headers`. */
export interface HeadersLike {
  get(name: string): string | null;
}

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 section 2.1), or null.
 * Accepts a Fetch `Request`, a `Headers`, a Node headers object (or a Node request) or the header value. Never throws.
 */
export function bearerToken(
  input: { headers: HeadersLike } | HeadersLike | string | Record<string, string | string[] | undefined> | { headers: Record<string, string | string[] | undefined> } | null | undefined,
): string | null;

/** Options of a `Signer`. */
export interface SignerOptions {
  alg: Alg;
  /** `kid` header; defaults to the key's kid. */
  kid?: string;
  /** `typ` header; default `"JWT"`. */
  typ?: string;
  issuer?: string;
  audience?: string | string[];
  /** Lifetime; default `"15m"`. */
  expiresIn?: Duration;
  /** `nbf` = `iat` + this. */
  notBefore?: Duration;
  /** Add a random `jti` (at least 128 bits) to every token; default true. */
  jti?: boolean;
}

/** Per-token overrides of `Signer.sign`. */
export interface SignOverrides {
  expiresIn?: Duration;
  /** The token's `sub`; a TypeError when the claims carry `sub` too. */
  subject?: string;
  /** Issue as of this time (Date or epoch seconds); default now. */
  currentDate?: Date | number;
}

/** Issues tokens with a private key or an HMAC secret. */
export class Signer {
  /** @throws TypeError for a public key, a missing or unknown `alg`, or unknown option names. */
  constructor(key: Key, opts: SignerOptions);
  /**
   * Signs `claims` plus the configured ones (`iat`, `exp`, `jti`, ...) into a compact JWS.
   * @throws TypeError (`code` `"ERR_INVALID_ARG_VALUE"`) in browsers and Workers with the default `jwtward`
   *   entry, for an RSA, ECDSA or Ed25519 key: use `signAsync`, or import `jwtward/full`.
   */
  sign(claims?: JwtPayload, overrides?: SignOverrides): string;
  /**
   * As `sign`, in every entry and runtime. Where signing is synchronous (Node, Deno, Bun, `jwtward/full`, HMAC)
   * it resolves to what `sign` returns; in browsers and Workers with the default entry, WebCrypto makes the
   * RSA, ECDSA or Ed25519 signature (the private key is handed to it once per key, as a non-extractable
   * `CryptoKey`) and the wasm core builds the token and checks the signature's form.
   */
  signAsync(claims?: JwtPayload, overrides?: SignOverrides): Promise<string>;
}

/** The two halves of a generated key pair. */
export interface KeyPair {
  privateKey: Key;
  publicKey: Key;
}

/**
 * A fresh key pair for an asymmetric `alg` (RS*, PS*, ES*, EdDSA; RSA keys are 2048 bits), both halves bound
 * to `alg` (and `kid`).
 * @throws TypeError (`code` `"ERR_INVALID_ARG_VALUE"`) in browsers and Workers with the default `jwtward`
 *   entry: use `generateKeyPairAsync`, or import `jwtward/full`.
 */
export function generateKeyPair(alg: Exclude<Alg, "HS256" | "HS384" | "HS512">, opts?: { kid?: string }): KeyPair;

/**
 * As `generateKeyPair`, in every entry and runtime. In browsers and Workers with the default entry, WebCrypto
 * generates the pair and the wasm core parses and checks both halves; elsewhere it resolves to
 * `generateKeyPair`'s result.
 */
export function generateKeyPairAsync(alg: Exclude<Alg, "HS256" | "HS384" | "HS512">, opts?: { kid?: string }): Promise<KeyPair>;

// ---------------------------------------------------------------- refresh tokens and revocation

/** A fresh refresh token: `bytes` (16 to 256, default 32) from the platform CSPRNG, base64url. */
export function generateRefreshToken(bytes?: number): string;

/** SHA-256 of the token, base64url: store this, never the token. */
export function hashToken(token: string): string;

/** A clock: a Date, or epoch seconds. For tests and replays; the default is the wall clock. */
export type Clock = () => Date | number;

/** Options of `RefreshTokens`. Unknown option names throw a `TypeError`. */
export interface RefreshTokensOptions {
  /** Where tokens and families live: a `MemoryStore` for one process, a `RedisStore` when several share state, or your own. */
  store: RefreshStore;
  /** Lifetime of each refresh token; default `"14d"`. */
  ttl?: Duration;
  /** Absolute cap on a family, from login; no rotation extends past it. Default `"30d"`. */
  familyLifetime?: Duration;
  /** How long a just-rotated token still yields the same successor (concurrent refreshes); default `"10s"`. `0`: none. */
  reuseGrace?: Duration;
  /** The clock rotation is judged by; default: the wall clock. */
  now?: Clock;
}

/** What `RefreshTokens.issue` returns. */
export interface IssuedRefreshToken {
  /** Give this to the client; it is never stored. */
  token: string;
  /** The family (this login): keep it to revoke this login alone. */
  familyId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

/** What `RefreshTokens.rotate` returns: the successor and what the family carries. */
export interface RotatedRefreshToken<D extends Record<string, unknown> = Record<string, unknown>> extends IssuedRefreshToken {
  subject: string;
  /** The `data` given to `issue`, if any. */
  data?: D;
}

/**
 * Issues, rotates and revokes refresh tokens. Rotation is atomic in every store: of N concurrent
 * `rotate(t)` calls, one creates the successor; the others get that same successor inside
 * `reuseGrace`, or `ERR_REFRESH_REUSED` (and the whole family revoked) outside it.
 */
export class RefreshTokens {
  /** @throws TypeError (`ERR_INVALID_ARG_VALUE`) for a missing store, unknown option names or bad durations. */
  constructor(options: RefreshTokensOptions);
  /** Starts a family (a login) for `subject`; `data` comes back on every rotation. */
  issue(subject: string, data?: Record<string, unknown>): Promise<IssuedRefreshToken>;
  /**
   * Exchanges a token for its successor. Rejects with `JwtError`: `ERR_REFRESH_INVALID` (unknown or malformed),
   * `ERR_REFRESH_EXPIRED`, `ERR_REFRESH_REVOKED`, `ERR_REFRESH_REUSED` (already rotated, outside `reuseGrace`:
   * the whole family is now revoked); `ERR_REFRESH_CONFLICT` when the store never accepted the change
   * (not the token's fault: answer 503 and let the client retry). `issue` and the revokes reject with it too.
   */
  rotate<D extends Record<string, unknown> = Record<string, unknown>>(token: string): Promise<RotatedRefreshToken<D>>;
  /** Revokes one family (logout): every token of it is refused from now on. Idempotent. */
  revokeFamily(familyId: string): Promise<void>;
  /** Revokes every family of `subject` (log out everywhere). */
  revokeSubject(subject: string): Promise<void>;
}

/** What a store returns for one token hash. Every value is exactly the text that was written, or null. */
export interface RefreshStoreRead {
  /** The token record filed under the hash. */
  token: string | null;
  /** The sealed successor filed beside it (until its own, shorter expiry). */
  sealed: string | null;
  /** The record of the token's family (the family id was given with the token in `commit`). */
  family: string | null;
}

/** One compare-and-set of a token record (filed under `hash`). */
export interface RefreshTokenWrite {
  hash: string;
  /** The record as read, or null: it must not exist. */
  expect: string | null;
  record: string;
  /** Epoch seconds; the store may forget the record (and must treat it as absent) from then on. */
  expiresAt: number;
  /** Keep beside the record until `sealed.expiresAt`; absent: remove any sealed value of this hash. */
  sealed?: { value: string; expiresAt: number };
}

/** One atomic change, produced by `RefreshTokens` (the records are opaque JSON text). */
export interface RefreshCommit {
  /** Every token written belongs to this family; index it under `subject`. */
  familyId: string;
  subject: string;
  /** The family record: compared, then written. */
  family: { expect: string | null; record: string; expiresAt: number };
  tokens: RefreshTokenWrite[];
}

/**
 * Storage for `RefreshTokens`: dumb and atomic. It never interprets records; it files them with
 * their expiry and applies `commit` as ONE compare-and-set: if the family record and every token
 * record still equal their `expect` (null = absent; expired entries count as absent), write them
 * all (records, sealed values, the subject index) and resolve true; otherwise change nothing and
 * resolve false. Everything else (expiry, grace, reuse) is decided by the core.
 */
export interface RefreshStore {
  /**
   * The records for one token. `familyId` is the token's routing tag (tokens are `<familyId>.<secret>`): a store that
   * shards by family reads where that family lives. `undefined` for a legacy token (issued before routed tokens, the
   * secret alone): a store with one keyspace ignores it; a sharded store answers all-null or rejects with a `JwtError`.
   */
  read(tokenHash: string, familyId?: string): Promise<RefreshStoreRead>;
  readFamily(familyId: string): Promise<string | null>;
  commit(change: RefreshCommit): Promise<boolean>;
  /** Ids of the subject's families (may include revoked ones; expired ones may be left out). */
  familiesOf(subject: string): Promise<string[]>;
}

/**
 * Revoked access-token ids, kept until the token would have expired anyway. Use with
 * `verifier.verifyAsync(token, { isRevoked: (jti) => denylist.has(jti) })`.
 */
export interface Denylist {
  /** Refuse `jti` until `expiresAt` (epoch seconds: the token's `exp`). */
  add(jti: string, expiresAt: number): Promise<void>;
  has(jti: string): Promise<boolean>;
}

/** A `RefreshStore` and `Denylist` in this process's memory (one process, tests, development). */
export class MemoryStore implements RefreshStore, Denylist {
  /** `now`: the clock expiry is judged by (default: the wall clock). */
  constructor(options?: { now?: Clock });
  read(tokenHash: string): Promise<RefreshStoreRead>;
  readFamily(familyId: string): Promise<string | null>;
  commit(change: RefreshCommit): Promise<boolean>;
  familiesOf(subject: string): Promise<string[]>;
  add(jti: string, expiresAt: number): Promise<void>;
  has(jti: string): Promise<boolean>;
}

/** The part of a node-redis (v4+) or ioredis client (or cluster client) the Redis stores use; pass the client itself. */
export type RedisClientLike =
  | { sendCommand(...args: any[]): unknown; eval(...args: any[]): Promise<unknown> }
  | { defineCommand(...args: any[]): unknown; eval(...args: any[]): Promise<unknown> };

/**
 * A `RefreshStore` and `Denylist` in Redis, shared by every process on the same server and prefix.
 * Each commit is one Lua script; every key expires with what it is for. Not for Redis Cluster: a cluster client is refused; use `RedisClusterStore`.
 */
export class RedisStore implements RefreshStore, Denylist {
  /** `client`: a connected node-redis (v4+) or ioredis client. `prefix`: default `"jwtward:"`. */
  constructor(client: RedisClientLike, options?: { prefix?: string });
  read(tokenHash: string): Promise<RefreshStoreRead>;
  readFamily(familyId: string): Promise<string | null>;
  commit(change: RefreshCommit): Promise<boolean>;
  familiesOf(subject: string): Promise<string[]>;
  add(jti: string, expiresAt: number): Promise<void>;
  has(jti: string): Promise<boolean>;
}

/**
 * A `RefreshStore` and `Denylist` on Redis Cluster (node-redis `createCluster`, ioredis `Cluster`; a single-server
 * client works too). Every key a commit touches carries the family id as its `{hash tag}`, so each commit is one Lua
 * script in one slot; the subject index (another slot) is written before a family's first commit, never by a rotation.
 * Keys: `<prefix>{<familyId>}:family`, `…:token:<hash>`, `…:sealed:<hash>`, `<prefix>subject:<subject>`, `<prefix>deny:<jti>`.
 * A token from before routed tokens (no family id in it) is refused: `read` rejects with `ERR_REFRESH_INVALID`
 * (issued by a pre-cluster layout: sign in again).
 */
export class RedisClusterStore implements RefreshStore, Denylist {
  /** `client`: a connected cluster client. `prefix`: default `"jwtward:"`, without `{` or `}`. */
  constructor(client: RedisClientLike, options?: { prefix?: string });
  read(tokenHash: string, familyId?: string): Promise<RefreshStoreRead>;
  readFamily(familyId: string): Promise<string | null>;
  commit(change: RefreshCommit): Promise<boolean>;
  familiesOf(subject: string): Promise<string[]>;
  add(jti: string, expiresAt: number): Promise<void>;
  has(jti: string): Promise<boolean>;
}
