// The wire between `DurableObjectStore` (in the Worker) and `JwtwardRefreshObject` (the Durable
// Object): one POST of a JSON body per operation. The object is reachable by anything that holds
// its binding, so it trusts nothing it receives: every request is parsed and checked here, with
// bounded sizes, before storage is touched. Plain JavaScript, no core, no wasm.

/** Largest request body the object reads (a commit carries the family's data, as given at login). */
export const MAX_BODY_BYTES = 256 * 1024;
/** Largest record or sealed value kept (the storage API refuses values over 128 KiB). */
export const MAX_RECORD_CHARS = 96 * 1024;
/** A family id: the core's are 22 base64url characters; anything else cannot route to a family. */
export const FAMILY_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A token hash: SHA-256 as base64url is 43 characters. */
export const TOKEN_HASH = /^[A-Za-z0-9_-]{16,128}$/;
/** The core refuses longer subjects (MAX_SUBJECT_BYTES); a UTF-16 length never exceeds UTF-8's. */
export const MAX_SUBJECT_CHARS = 1024;
/** A jti long enough for any issuer's (UUIDs, 128-bit base64url, URNs). */
export const MAX_JTI_CHARS = 1024;
/** Tokens one commit may touch: a rotation touches two. */
export const MAX_COMMIT_TOKENS = 8;

/** The object names: one object per family, per subject, per denied jti. */
export const objectName = {
  family: (familyId) => `family:${familyId}`,
  subject: (subject) => `subject:${subject}`,
  deny: (jti) => `deny:${jti}`,
};

/** An input the object refuses: answered 400 with this message, never a crash. */
export class BadRequest extends Error {}

const isExpiry = (v) => typeof v === "number" && Number.isFinite(v) && v >= 0 && v < 1e13;
const isOptionalText = (v, max) => v === null || v === undefined || (typeof v === "string" && v.length <= max);
const isRecord = (v) => typeof v === "string" && v.length > 0 && v.length <= MAX_RECORD_CHARS;

function need(ok, message) {
  if (!ok) throw new BadRequest(message);
}

export function checkFamilyId(v, what = "familyId") {
  need(typeof v === "string" && FAMILY_ID.test(v), `${what} must be 1 to 64 base64url characters`);
}
export function checkTokenHash(v) {
  need(typeof v === "string" && TOKEN_HASH.test(v), "hash must be a token hash (base64url, 16 to 128 characters)");
}
export function checkSubject(v) {
  need(typeof v === "string" && v.length > 0 && v.length <= MAX_SUBJECT_CHARS, `subject must be a non-empty string of at most ${MAX_SUBJECT_CHARS} characters`);
}
export function checkJti(v) {
  need(typeof v === "string" && v.length > 0 && v.length <= MAX_JTI_CHARS, `jti must be a non-empty string of at most ${MAX_JTI_CHARS} characters`);
}
export function checkExpiry(v, what = "expiresAt") {
  need(isExpiry(v), `${what} must be a number of epoch seconds`);
}

/** A commit as RefreshTokens writes it (stores/contract.js), with the sizes this object can hold. */
export function checkChange(c) {
  need(c !== null && typeof c === "object" && !Array.isArray(c), "change must be an object");
  checkFamilyId(c.familyId, "change.familyId");
  checkSubject(c.subject);
  const f = c.family;
  need(f !== null && typeof f === "object", "change.family must be an object");
  need(isOptionalText(f.expect, MAX_RECORD_CHARS), "change.family.expect must be a string or null");
  need(isRecord(f.record), `change.family.record must be a string of 1 to ${MAX_RECORD_CHARS} characters`);
  checkExpiry(f.expiresAt, "change.family.expiresAt");
  need(Array.isArray(c.tokens) && c.tokens.length <= MAX_COMMIT_TOKENS, `change.tokens must be an array of at most ${MAX_COMMIT_TOKENS} entries`);
  const seen = new Set();
  for (const t of c.tokens) {
    need(t !== null && typeof t === "object", "change.tokens[] must be objects");
    checkTokenHash(t.hash);
    need(!seen.has(t.hash), "change.tokens[] names the same hash twice");
    seen.add(t.hash);
    need(isOptionalText(t.expect, MAX_RECORD_CHARS), "change.tokens[].expect must be a string or null");
    need(isRecord(t.record), `change.tokens[].record must be a string of 1 to ${MAX_RECORD_CHARS} characters`);
    checkExpiry(t.expiresAt, "change.tokens[].expiresAt");
    if (t.sealed !== undefined && t.sealed !== null) {
      need(typeof t.sealed === "object" && isRecord(t.sealed.value), "change.tokens[].sealed.value must be a string");
      checkExpiry(t.sealed.expiresAt, "change.tokens[].sealed.expiresAt");
    }
  }
}

/**
 * The operations, by name: which object kind serves each and how its arguments are checked.
 * The body is `{ name, ...args }`; `name` is the object's own name (objectName), stored on the
 * first write and compared on every later request, so a request routed to the wrong object is
 * refused instead of mixing two families' records.
 */
export const OPERATIONS = {
  read: { kind: "family", check: (b) => checkTokenHash(b.hash) },
  readFamily: { kind: "family", check: () => {} },
  commit: { kind: "family", check: (b) => checkChange(b.change) },
  addFamily: {
    kind: "subject",
    check: (b) => {
      checkFamilyId(b.familyId);
      checkExpiry(b.expiresAt);
    },
  },
  families: { kind: "subject", check: () => {} },
  deny: { kind: "deny", check: (b) => checkExpiry(b.expiresAt) },
  denied: { kind: "deny", check: () => {} },
};

/** Checks a parsed body for `op`: its shape, and that `name` is an object name of the op's kind. */
export function checkBody(op, body) {
  const spec = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op] : undefined;
  need(spec !== undefined, `unknown operation: use one of ${Object.keys(OPERATIONS).join(", ")}`);
  need(body !== null && typeof body === "object" && !Array.isArray(body), "the body must be a JSON object");
  const name = body.name;
  need(typeof name === "string" && name.startsWith(`${spec.kind}:`), `name must be the ${spec.kind} object's name`);
  const id = name.slice(spec.kind.length + 1);
  if (spec.kind === "family") checkFamilyId(id, "the family name");
  else if (spec.kind === "subject") checkSubject(id);
  else checkJti(id);
  spec.check(body);
  if (op === "commit") need(body.change.familyId === id, "change.familyId is not this object's family");
  return spec;
}
