// Typed usage of every export of jwtward, written as a user would, with `@ts-expect-error` lines
// for misuse the types must catch. Checked by `npm run typecheck`; never executed.
import {
  Key,
  KeySet,
  RemoteKeySet,
  remoteKeySet,
  Verifier,
  Signer,
  JwtError,
  verify,
  checkClaims,
  decode,
  decodeHeader,
  bearerToken,
  generateKeyPair,
  generateRefreshToken,
  hashToken,
  RefreshTokens,
  MemoryStore,
  RedisStore,
  type Alg,
  type ErrorCode,
  type JwtHeader,
  type JwtPayload,
  type JsonWebKey,
  type VerifyOptions,
  type ClaimOptions,
  type RefreshStore,
  type RefreshCommit,
  type Denylist,
} from "jwtward";
import { createClient } from "redis";
import IORedis from "ioredis";

// Keys
const secret: Key = Key.fromSecret("a secret", { alg: "HS256", kid: "h1" });
const fromBytes: Key = Key.fromSecret(new Uint8Array(32));
const pemKey: Key = Key.fromPem("-----BEGIN PUBLIC KEY-----...", { alg: "RS256" });
const jwk: JsonWebKey = { kty: "EC", crv: "P-256", x: "...", y: "..." };
const jwkKey = Key.fromJwk(jwk);
const kid: string | undefined = jwkKey.kid;
const alg: Alg | undefined = jwkKey.alg;
const kty: "RSA" | "EC" | "OKP" | "oct" = jwkKey.kty;
const isPrivate: boolean = jwkKey.isPrivate;
const publicJwk: JsonWebKey = pemKey.toPublicJwk();
const set: KeySet = KeySet.fromJwks({ keys: [jwk, publicJwk] });
const set2: KeySet = KeySet.of([secret, fromBytes]);
const size: number = set.size;
const jwks: { keys: JsonWebKey[] } = set2.toJwks();

// @ts-expect-error keys are created by the static factories
new Key();
// @ts-expect-error a secret is a string or bytes
Key.fromSecret(42);
// @ts-expect-error not an algorithm
Key.fromSecret("s", { alg: "HS1" });
// @ts-expect-error a PEM is text
Key.fromPem(new Uint8Array(4));

// Verifying
const options: VerifyOptions = {
  algorithms: ["ES256", "EdDSA"],
  typ: "at+jwt",
  issuer: ["https://a", "https://b"],
  audience: "api",
  subject: "user-1",
  clockTolerance: "30s",
  maxTokenAge: 3600,
  requiredClaims: ["jti"],
  requiredScopes: ["read"],
  requiredRoles: ["admin"],
  claims: { tenant: "acme", level: 2, staff: true },
  currentDate: new Date(),
  maxTokenSize: 8192,
};
const verifier = new Verifier(set, options);
const { header, payload } = verifier.verify("token");
const h: JwtHeader = header;
const headerAlg: string = h.alg;
const p: JwtPayload = payload;
const exp: number | undefined = p.exp;
const aud: string | string[] | undefined = p.aud;
const custom: unknown = p["tenant"];

interface MyClaims extends JwtPayload {
  tenant: string;
}
const mine = verifier.verify<MyClaims>("token").payload.tenant.toUpperCase();

new Verifier(secret, { algorithms: ["HS256"], currentDate: 1_700_000_000 });
new Verifier(jwk, { algorithms: ["ES256"] });
new Verifier(secret, { algorithms: ["HS256"], cache: { max: 1000 } });
new Verifier(secret, { algorithms: ["HS256"], cache: { max: 1000, ttl: "5m" } });
// @ts-expect-error the cache size is required
new Verifier(secret, { algorithms: ["HS256"], cache: {} });
new Verifier({ keys: [jwk] }, { algorithms: ["ES256"] });
verify("token", pemKey, { algorithms: ["RS256"], audience: ["a", "b"] });

// @ts-expect-error algorithms is required
new Verifier(secret, { issuer: "x" });
// @ts-expect-error options are required
new Verifier(secret);
// @ts-expect-error not an algorithm name
new Verifier(secret, { algorithms: ["HS257"] });
// @ts-expect-error "none" is not an algorithm
verify("t", secret, { algorithms: ["none"] });
// @ts-expect-error typo in an option name
new Verifier(secret, { algorithms: ["HS256"], audiance: "api" });
// @ts-expect-error exact-match claims are scalars
new Verifier(secret, { algorithms: ["HS256"], claims: { tenant: ["a"] } });
// @ts-expect-error a string is not a key source
new Verifier("secret", { algorithms: ["HS256"] });
// @ts-expect-error a token is a string
verifier.verify(new Uint8Array(3));

const claimOptions: ClaimOptions = { issuer: "x", currentDate: 1_700_000_000 };
checkClaims(payload, claimOptions);
// @ts-expect-error algorithms is not a claim option
checkClaims(payload, { algorithms: ["HS256"] });

// Decoding
const decoded = decode("token");
const sig: string = decoded.signature;
const decodedHeader: JwtHeader = decodeHeader("token");

// Errors
try {
  verifier.verify("token");
} catch (e) {
  if (e instanceof JwtError) {
    const code: ErrorCode = e.code;
    const claim: string | undefined = e.claim;
    const reason: string | undefined = e.reason;
    const name: "JwtError" = e.name;
    if (e.code === "ERR_JWT_EXPIRED") console.log(claim, reason, name);
    // @ts-expect-error not an error code
    if (e.code === "ERR_SOMETHING_ELSE") console.log(code);
  }
}
const made = new JwtError("ERR_JWT_INVALID", "made by hand", { claim: "exp", reason: "missing" });
const asError: Error = made;
// @ts-expect-error codes are a closed set
new JwtError("ERR_NOPE", "x");

// Issuing
const pair = generateKeyPair("ES256", { kid: "ec-1" });
const priv: Key = pair.privateKey;
const pub: Key = pair.publicKey;
const signer = new Signer(priv, {
  alg: "ES256",
  kid: "ec-1",
  typ: "at+jwt",
  issuer: "https://issuer",
  audience: ["api"],
  expiresIn: "15m",
  notBefore: 0,
  jti: true,
});
const token: string = signer.sign({ scope: "read", tenant: "acme" }, { expiresIn: 60, subject: "user-1", currentDate: new Date() });
signer.sign({});
signer.sign();
// @ts-expect-error alg is required
new Signer(priv, { issuer: "x" });
// @ts-expect-error not an algorithm
new Signer(priv, { alg: "ES257" });
// @ts-expect-error unknown override
signer.sign({}, { subjct: "x" });
// @ts-expect-error HMAC keys are not generated as pairs
generateKeyPair("HS256");
// @ts-expect-error not an algorithm
generateKeyPair("RSA");

// bearerToken
const request = new Request("https://api.example/", { headers: { authorization: "Bearer abc" } });
const headers = new Headers(request.headers);
declare const nodeHeaders: Record<string, string | string[] | undefined>;
const t1: string | null = bearerToken(request);
const t2: string | null = bearerToken(headers);
const t3: string | null = bearerToken(nodeHeaders);
const t4: string | null = bearerToken("Bearer abc");
const t5: string | null = bearerToken({ headers: nodeHeaders });
// @ts-expect-error a number is not a header source
bearerToken(5);

// remoteKeySet and verifyAsync
const remote: RemoteKeySet = remoteKeySet("https://idp.example/.well-known/jwks.json", { cacheMaxAge: "10m", cooldown: 30, timeout: "5s" });
remoteKeySet(new URL("https://idp.example/jwks"), { headers: { "x-api-key": "k" }, fetch });
// @ts-expect-error unknown option
remoteKeySet("https://idp.example/jwks", { maxAge: "1m" });
const remoteVerifier = new Verifier(remote, { algorithms: ["ES256"] });
const verifiedAsync: Promise<{ header: JwtHeader; payload: JwtPayload }> = remoteVerifier.verifyAsync("t", {
  isRevoked: async (jti: string) => jti === "revoked",
});
const reloaded: Promise<void> = remote.reload();
const fresh: boolean = remote.fresh;
// @ts-expect-error isRevoked must be a function
remoteVerifier.verifyAsync("t", { isRevoked: true });


// Refresh tokens and revocation
const rawRefresh: string = generateRefreshToken();
const longRefresh: string = generateRefreshToken(64);
const refreshHash: string = hashToken(rawRefresh);
const memory = new MemoryStore();
new MemoryStore({ now: () => new Date() });
const refresh = new RefreshTokens({ store: memory, ttl: "14d", familyLifetime: "30d", reuseGrace: 10, now: () => 1_700_000_000 });
async function refreshFlow(): Promise<void> {
  const { token: first, familyId, expiresAt } = await refresh.issue("user-1", { device: "phone" });
  const next = await refresh.rotate<{ device: string }>(first);
  const device: string | undefined = next.data?.device;
  const subject: string = next.subject;
  await refresh.revokeFamily(familyId);
  await refresh.revokeSubject(subject);
  const deny: Denylist = memory;
  await deny.add("jti-1", expiresAt);
  const revoked: boolean = await deny.has("jti-1");
  console.log(device, revoked);
}
declare const nodeRedisClient: { sendCommand(args: string[]): Promise<unknown>; eval(script: string, options: object): Promise<unknown> };
declare const ioredisClient: { defineCommand(name: string, def: object): void; eval(script: string, numKeys: number, ...args: string[]): Promise<unknown> };
const redisStore: RefreshStore & Denylist = new RedisStore(nodeRedisClient, { prefix: "app:" });
new RedisStore(ioredisClient);
// The real clients, as users pass them.
new RedisStore(createClient({ url: "redis://127.0.0.1:6379" }));
new RedisStore(new IORedis("redis://127.0.0.1:6379"), { prefix: "app:" });
const customStore: RefreshStore = {
  read: async (hash) => ({ token: hash, sealed: null, family: null }),
  readFamily: async () => null,
  commit: async (change: RefreshCommit) => change.tokens.every((t) => t.expect === null || typeof t.expect === "string"),
  familiesOf: async () => [],
};
new RefreshTokens({ store: customStore });
// @ts-expect-error a store is required
new RefreshTokens({ ttl: "14d" });
// @ts-expect-error typo in an option name
new RefreshTokens({ store: memory, reuseGrase: 10 });
// @ts-expect-error a token is a string
refresh.rotate(42);
// @ts-expect-error not a redis client
new RedisStore({ get: () => null });

export {
  verifiedAsync, reloaded, fresh,
  longRefresh, refreshHash, refreshFlow, redisStore,
  fromBytes, kid, alg, kty, isPrivate, size, jwks, headerAlg, exp, aud, custom, mine, sig, decodedHeader, asError, pub, token, t1, t2, t3, t4, t5,
};
