// `DurableObjectStore`: the RefreshStore and Denylist of Cloudflare Workers, over the
// `JwtwardRefreshObject` Durable Object namespace bound to the Worker. Plain JavaScript: each
// method is one or two POSTs to an object (protocol.js); no core, no wasm.
import { argError } from "../errors.js";
import { INSPECT, checkEpochSeconds, expect } from "../options.js";
import { checkCommit, isText } from "../stores/contract.js";
import { BadRequest, FAMILY_ID, MAX_JTI_CHARS, TOKEN_HASH, checkChange, checkSubject, objectName } from "./protocol.js";

const ORIGIN = "https://jwtward-refresh-object";
const ABSENT = Object.freeze({ token: null, sealed: null, family: null });

/** The store could not be reached or failed: not the token's fault. A Worker answers 503. */
function unavailable(op, detail, cause) {
  const e = new Error(`DurableObjectStore.${op}: the Durable Object is unavailable (${detail}): try again`, cause === undefined ? undefined : { cause });
  e.name = "StoreUnavailableError";
  e.code = "ERR_STORE_UNAVAILABLE";
  return e;
}

/**
 * A RefreshStore and Denylist on a Durable Object namespace bound to `JwtwardRefreshObject`:
 * one object per token family, so each rotation is one atomic compare-and-set in one place,
 * strongly consistent across every isolate and location.
 *
 * - `read(hash, familyId)` asks the family's object. Tokens are routed (`<familyId>.<secret>`):
 *   RefreshTokens passes the prefix. A legacy token without one (familyId undefined) or a prefix
 *   that is not a family id reads as absent (ERR_REFRESH_INVALID), with no request made.
 * - `commit(change)`: a family's first commit (a login) first adds the family to its subject's
 *   object, then commits in the family's object, so `familiesOf` never misses a family whose
 *   tokens can be used. What can be stale there: a family whose first commit then failed, or
 *   that has since been revoked, is listed until its expiry (`revokeFamily` finds nothing to do).
 * - Denylist: `add(jti, expiresAt)` and `has(jti)` (one object per jti, kept until `expiresAt`);
 *   `isRevoked` is `has`, bound, for `verifyAsync(token, { isRevoked: store.isRevoked })`.
 *
 * Errors: an argument of the wrong shape is a TypeError (`ERR_INVALID_ARG_VALUE`); an object
 * that cannot be reached or fails is an Error with code `ERR_STORE_UNAVAILABLE` (answer 503).
 */
export class DurableObjectStore {
  #namespace;

  /** @param namespace the Worker's Durable Object namespace binding for `JwtwardRefreshObject` (e.g. `env.REFRESH`). */
  constructor(namespace) {
    if (namespace === null || typeof namespace !== "object" || typeof namespace.idFromName !== "function" || typeof namespace.get !== "function") {
      throw argError("new DurableObjectStore(namespace): namespace must be a Durable Object namespace binding (env.<BINDING>) of JwtwardRefreshObject");
    }
    this.#namespace = namespace;
    /** `verifyAsync`'s `isRevoked` hook: whether the jti was denied. */
    this.isRevoked = (jti) => this.has(jti);
  }

  async #call(op, name, args) {
    let response;
    try {
      const stub = this.#namespace.get(this.#namespace.idFromName(name));
      response = await stub.fetch(`${ORIGIN}/${op}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name, ...args }),
      });
    } catch (e) {
      throw unavailable(op, e && e.message ? String(e.message).slice(0, 200) : "the request failed", e);
    }
    let body;
    try {
      body = await response.json();
    } catch (e) {
      throw unavailable(op, `status ${response.status}, not a JSON answer`, e);
    }
    if (response.status === 400 && body && typeof body.error === "string") {
      throw argError(`DurableObjectStore.${op}: the object refused the request: ${body.error}`);
    }
    if (response.status !== 200 || body === null || typeof body !== "object" || !("result" in body)) {
      throw unavailable(op, `status ${response.status}`);
    }
    return body.result;
  }

  /** RefreshStore: the token's record, its sealed successor and its family's record, from the family's object. */
  async read(tokenHash, familyId) {
    expect(typeof tokenHash === "string" && TOKEN_HASH.test(tokenHash), "DurableObjectStore.read: tokenHash", "a token hash from hashToken");
    if (typeof familyId !== "string" || !FAMILY_ID.test(familyId)) return ABSENT;
    const r = await this.#call("read", objectName.family(familyId), { hash: tokenHash });
    if (r === null || typeof r !== "object" || !isText(r.token) || !isText(r.sealed) || !isText(r.family)) throw unavailable("read", "an answer of the wrong shape");
    return { token: r.token ?? null, sealed: r.sealed ?? null, family: r.family ?? null };
  }

  /** RefreshStore: a family's record (null if unknown or expired). */
  async readFamily(familyId) {
    expect(typeof familyId === "string", "DurableObjectStore.readFamily: familyId", "a string");
    if (!FAMILY_ID.test(familyId)) return null; // never a family id: nothing is stored under it
    const r = await this.#call("readFamily", objectName.family(familyId), {});
    if (!isText(r)) throw unavailable("readFamily", "an answer of the wrong shape");
    return r ?? null;
  }

  /** RefreshStore: applies `change` in the family's object if every `expect` still holds; true if applied. */
  async commit(change) {
    checkCommit(change);
    try {
      checkChange(change);
    } catch (e) {
      if (e instanceof BadRequest) throw argError(`DurableObjectStore.commit: ${e.message}`);
      throw e;
    }
    if (change.family.expect === null || change.family.expect === undefined) {
      // A new family: indexed under its subject BEFORE it exists, so revokeSubject cannot miss it.
      await this.#call("addFamily", objectName.subject(change.subject), { familyId: change.familyId, expiresAt: change.family.expiresAt });
    }
    const landed = await this.#call("commit", objectName.family(change.familyId), { change });
    if (typeof landed !== "boolean") throw unavailable("commit", "an answer of the wrong shape");
    return landed;
  }

  /** RefreshStore: the ids of the subject's families that have not expired (may include revoked ones). */
  async familiesOf(subject) {
    try {
      checkSubject(subject);
    } catch (e) {
      throw argError(`DurableObjectStore.familiesOf: ${e.message}`);
    }
    const ids = await this.#call("families", objectName.subject(subject), {});
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw unavailable("familiesOf", "an answer of the wrong shape");
    return ids;
  }

  /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`); the entry is then deleted. */
  async add(jti, expiresAt) {
    expect(typeof jti === "string" && jti.length > 0 && jti.length <= MAX_JTI_CHARS, "Denylist.add: jti", `a non-empty string of at most ${MAX_JTI_CHARS} characters`);
    checkEpochSeconds(expiresAt, "Denylist.add: expiresAt");
    if (expiresAt <= Date.now() / 1000) return; // already expired: verification refuses it anyway
    await this.#call("deny", objectName.deny(jti), { expiresAt });
  }

  /** Denylist: whether `jti` is refused. */
  async has(jti) {
    expect(typeof jti === "string", "Denylist.has: jti", "a string");
    if (jti.length === 0 || jti.length > MAX_JTI_CHARS) return false; // add() never stores these
    const r = await this.#call("denied", objectName.deny(jti), {});
    if (typeof r !== "boolean") throw unavailable("has", "an answer of the wrong shape");
    return r;
  }

  get [Symbol.toStringTag]() {
    return "DurableObjectStore";
  }

  [INSPECT]() {
    return "DurableObjectStore {}";
  }
}
