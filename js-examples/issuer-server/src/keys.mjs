// The issuer's signing keys, kept in the data directory: generated on first start, rotated
// when the active key is older than KEY_ROTATION. Publish first, sign later: a new key is in
// the JWKS for `publishDelay` before it signs (`activatesAt`), so verifiers with a cached JWKS
// know it by then. A superseded key stays in the JWKS until every token it signed has expired
// (access TTL plus a minute of clock skew), then it is dropped. Several processes may share
// the directory: each reloads when keys.json changes, and all switch at the same `activatesAt`.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Key, KeySet, Signer } from "jwtward";

const SKEW = 60;

/** A new private key for `alg`, as PKCS#8 PEM (node:crypto only generates; jwtward signs). */
function generatePem(alg) {
  const [type, options] = alg.startsWith("ES")
    ? ["ec", { namedCurve: { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg] }]
    : alg === "EdDSA"
      ? ["ed25519", {}]
      : ["rsa", { modulusLength: 2048 }];
  return generateKeyPairSync(type, { ...options, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
function writeAtomic(path, text, mode) {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

/**
 * Runs `fn` holding an exclusive lock file in `dir`, so processes starting together agree on
 * one new key instead of each writing its own. A lock older than 30 s is a crashed holder's.
 */
function withLock(dir, fn) {
  const lock = join(dir, "keys.lock");
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { force: true });
      } catch {
        // the holder released it meanwhile
      }
      if (Date.now() > deadline) throw new Error(`could not lock ${lock}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export class SigningKeys {
  #dir;
  #alg;
  #rotateAfter;
  #retainFor;
  #publishDelay;
  #meta = [];
  #keys = new Map(); // kid -> private Key
  #mtime = 0;
  #version = 0;

  /**
   * @param {{ dir: string, alg: string, rotateAfter: number, accessTtl: number, publishDelay?: number }} o
   *   durations in seconds
   */
  constructor({ dir, alg, rotateAfter, accessTtl, publishDelay = 0 }) {
    this.#dir = dir;
    this.#alg = alg;
    this.#rotateAfter = rotateAfter;
    this.#retainFor = accessTtl + SKEW;
    this.#publishDelay = publishDelay;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    withLock(dir, () => {
      this.#reload();
      if (this.#needsKey()) this.#rotateLocked();
    });
  }

  /** The signing keys a server configuration (src/config.mjs) names. */
  static fromConfig(config) {
    return new SigningKeys({
      dir: config.dataDir,
      alg: config.signingAlg,
      rotateAfter: config.keyRotation,
      accessTtl: config.accessTtl,
      publishDelay: config.keyPublishDelay,
    });
  }

  #needsKey() {
    const newest = this.#meta.at(-1);
    return !newest || this.#age(newest) >= this.#rotateAfter || newest.alg !== this.#alg;
  }

  get #metaPath() {
    return join(this.#dir, "keys.json");
  }

  #age(entry) {
    return Date.now() / 1000 - entry.createdAt;
  }

  /** Re-reads keys.json when another process changed it; cheap when nothing changed. */
  #reload() {
    let mtime;
    try {
      mtime = statSync(this.#metaPath).mtimeMs;
    } catch {
      return;
    }
    if (mtime === this.#mtime) return;
    this.#meta = JSON.parse(readFileSync(this.#metaPath, "utf8"));
    for (const m of this.#meta) {
      if (!this.#keys.has(m.kid)) this.#keys.set(m.kid, Key.fromPem(readFileSync(join(this.#dir, `${m.kid}.pem`), "utf8"), { alg: m.alg, kid: m.kid }));
    }
    this.#mtime = mtime;
    this.#version += 1;
  }

  /**
   * Publishes a new key, which signs from `publishDelay` seconds on (at once when there is no
   * key yet); the one it replaces stays published until its tokens expire. Returns the new kid.
   */
  rotate() {
    return withLock(this.#dir, () => {
      this.#mtime = 0;
      this.#reload();
      return this.#rotateLocked();
    });
  }

  #rotateLocked() {
    const now = Math.floor(Date.now() / 1000);
    const kid = `${new Date(now * 1000).toISOString().slice(0, 10)}-${randomBytes(6).toString("base64url")}`;
    writeAtomic(join(this.#dir, `${kid}.pem`), generatePem(this.#alg), 0o600);
    const meta = this.#meta.filter((m, i) => {
      const supersededAt = this.#supersededAt(i, now);
      return supersededAt === null || now - supersededAt < this.#retainFor;
    });
    // Nobody can have cached a JWKS without any key of ours: the first key signs at once.
    const activatesAt = this.active(now) ? now + this.#publishDelay : now;
    meta.push({ kid, alg: this.#alg, createdAt: now, activatesAt });
    writeAtomic(this.#metaPath, `${JSON.stringify(meta, null, 2)}\n`, 0o600);
    this.#mtime = 0;
    this.#reload();
    return kid;
  }

  // Files written before publish-first rotation carry `retiredAt` and no `activatesAt`.
  static #activatesAt(m) {
    return m.activatesAt ?? m.createdAt;
  }

  /** When the key at `i` stopped signing (a later key became active), or null. */
  #supersededAt(i, now) {
    const m = this.#meta[i];
    if (typeof m.retiredAt === "number") return m.retiredAt;
    for (let j = i + 1; j < this.#meta.length; j++) {
      const t = SigningKeys.#activatesAt(this.#meta[j]);
      if (t <= now) return t;
    }
    return null;
  }

  /** The metadata of the key new tokens are signed with: the latest that has activated. */
  active(now = Date.now() / 1000) {
    let found;
    for (const m of this.#meta) if (SigningKeys.#activatesAt(m) <= now && (typeof m.retiredAt !== "number" || m.retiredAt > now)) found = m;
    return found;
  }

  /** The metadata of a published key that does not sign yet, if any (the newest). */
  pending(now = Date.now() / 1000) {
    return this.#meta.findLast((m) => SigningKeys.#activatesAt(m) > now);
  }

  /** Bumped whenever the published keys change. */
  get version() {
    this.#reload();
    return this.#version;
  }

  /** A Signer over the active key, with the issuer's fixed claims. */
  signer({ issuer, audience, accessTtl }) {
    this.#reload();
    const { kid, alg } = this.active();
    // typ "at+jwt": an access token (RFC 9068), which a verifier can require so that no other
    // kind of JWT from this issuer is accepted in its place.
    return new Signer(this.#keys.get(kid), { alg, kid, typ: "at+jwt", issuer, audience, expiresIn: accessTtl });
  }

  /**
   * The public keys that may sign or have signed a live token: pending, active, and superseded
   * ones whose tokens may not have expired yet.
   */
  publicJwks() {
    this.#reload();
    const now = Date.now() / 1000;
    const keys = this.#meta
      .filter((_, i) => {
        const supersededAt = this.#supersededAt(i, now);
        return supersededAt === null || now - supersededAt < this.#retainFor;
      })
      .map((m) => ({ ...this.#keys.get(m.kid).toPublicJwk(), kid: m.kid, alg: m.alg, use: "sig" }));
    return { keys };
  }

  /** The same public keys, for verifying this issuer's own access tokens. */
  keySet() {
    return KeySet.fromJwks(this.publicJwks());
  }
}
