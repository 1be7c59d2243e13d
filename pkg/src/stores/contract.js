// The RefreshStore contract's shared checks: what a store's answers and a commit must look like.
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
