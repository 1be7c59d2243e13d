// The RefreshStore contract's shared checks: what a store's answers and a commit must look like.
//
// The contract, for anyone writing a store (the types are RefreshStore in index.d.ts):
// - `read(tokenHash, familyId)` -> `{ token, sealed, family }`: the token record filed under the
//   hash, its sealed successor and its family's record, each the exact text written or null.
//   `familyId` is the token's routing tag: tokens are `<familyId>.<secret>`, so a store that
//   shards by family (Redis Cluster hash tags, a Durable Object per family) reads where that family
//   lives. It is `undefined` for a legacy token (issued before routing, the secret alone): a store
//   with one keyspace (MemoryStore, RedisStore) ignores the argument; a sharded one cannot locate
//   such a token and answers all-null (the core then refuses it as unknown) or throws a JwtError
//   that says why. The core checks that the records read name the same family as the tag.
// - `readFamily(familyId)` -> the family record or null.
// - `commit(change)` -> true if applied, false if a compared record changed: ONE compare-and-set
//   over the family record and the token records of `change.familyId` (every write of a commit
//   belongs to that one family, so it can stay on one shard).
// - `familiesOf(subject)` -> the ids of the subject's families (may include revoked or expired ones).
import { argError } from "../errors.js";

/** A store's text answer: a string, or null/undefined for "absent". */
export const isText = (v) => v === null || v === undefined || typeof v === "string";

/** Validates a commit before a built-in store applies it: it comes from the core, but a store is public API. */
export function checkCommit(c) {
  const isExpiry = (v) => typeof v === "number" && Number.isFinite(v);
  const ok =
    c !== null &&
    typeof c === "object" &&
    typeof c.familyId === "string" &&
    typeof c.subject === "string" &&
    c.family !== null &&
    typeof c.family === "object" &&
    isText(c.family.expect) &&
    typeof c.family.record === "string" &&
    isExpiry(c.family.expiresAt) &&
    Array.isArray(c.tokens) &&
    c.tokens.every(
      (t) =>
        t !== null &&
        typeof t === "object" &&
        typeof t.hash === "string" &&
        isText(t.expect) &&
        typeof t.record === "string" &&
        isExpiry(t.expiresAt) &&
        (t.sealed === undefined || t.sealed === null || (typeof t.sealed.value === "string" && isExpiry(t.sealed.expiresAt))),
    );
  if (!ok) throw argError("RefreshStore.commit: not a commit produced by RefreshTokens");
}
