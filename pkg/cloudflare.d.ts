// Types of `jwtward/cloudflare` (require): the Durable Object store for RefreshTokens and
// verifyAsync's revocation check in Cloudflare Workers. Self-contained: the few Workers types
// used are declared structurally, so neither @cloudflare/workers-types nor the DOM lib is needed.
import type { Denylist, RefreshCommit, RefreshStore, RefreshStoreRead } from "./index.js";

/** The part of a Durable Object namespace binding (`env.REFRESH`) the store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: any): { fetch(input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }): Promise<ResponseLike> };
}

/** The part of a fetch Response the store reads. */
export interface ResponseLike {
  readonly status: number;
  json(): Promise<unknown>;
}

/**
 * A `RefreshStore` and `Denylist` on Durable Objects: one object per token family (each rotation
 * is one atomic compare-and-set there), one per subject (its families, indexed before the
 * family's first commit), one per denied jti (kept until the token's `exp`). A legacy refresh
 * token (no `<familyId>.` prefix) reads as absent: ERR_REFRESH_INVALID.
 * An object that cannot be reached or fails rejects with an Error whose `code` is
 * `"ERR_STORE_UNAVAILABLE"` (answer 503); a malformed argument is a TypeError.
 */
export class DurableObjectStore implements RefreshStore, Denylist {
  /** `namespace`: the Durable Object namespace binding of `JwtwardRefreshObject` (e.g. `env.REFRESH`). */
  constructor(namespace: DurableObjectNamespaceLike);
  read(tokenHash: string, familyId?: string): Promise<RefreshStoreRead>;
  readFamily(familyId: string): Promise<string | null>;
  commit(change: RefreshCommit): Promise<boolean>;
  /** The subject's families that have not expired (revoked ones included until they expire). */
  familiesOf(subject: string): Promise<string[]>;
  /** Refuse `jti` until `expiresAt` (epoch seconds: the token's `exp`). */
  add(jti: string, expiresAt: number): Promise<void>;
  has(jti: string): Promise<boolean>;
  /** `has`, bound: `verifier.verifyAsync(token, { isRevoked: store.isRevoked })`. */
  readonly isRevoked: (jti: string) => Promise<boolean>;
}

/** The part of the DurableObjectState workerd passes that the object uses. */
export interface DurableObjectStateLike {
  storage: unknown;
}

/**
 * The Durable Object class behind `DurableObjectStore`. Re-export it from the Worker's entry
 * (`export { JwtwardRefreshObject } from "jwtward/cloudflare"`) and bind it in wrangler.toml
 * (`[[durable_objects.bindings]]` plus a migration with `new_sqlite_classes`).
 */
export class JwtwardRefreshObject {
  constructor(state: DurableObjectStateLike, env?: unknown);
  /** The object's RPC surface: `POST /<operation>` with a JSON body; 200, 400 (refused input) or 500. */
  fetch(request: { method: string; url: string; headers: { get(name: string): string | null }; body: unknown }): Promise<ResponseLike>;
  /** Deletes expired entries (the whole object once nothing is left). */
  alarm(): Promise<void>;
}
