// `JwtwardRefreshObject`: the Durable Object behind `DurableObjectStore`. One object per token
// family (its tokens, sealed successors and family record), one per subject (the ids of its
// families) and one per denied jti. It is dumb storage, like every store: the rotation rules stay
// in RefreshTokens and the core; this applies their compare-and-set commits atomically.
import { BadRequest, MAX_BODY_BYTES, checkBody } from "./protocol.js";

/** Storage keys. Family object: "f" (family record), "t:<hash>" (token record), "s:<hash>" (sealed
 * successor). Subject object: "sf:<familyId>" (the family's expiry). Deny object: "deny" (expiry).
 * Every object: "name", its own name, written with its first entry. */
const NAME = "name";
const FAMILY = "f";
const tokenKey = (hash) => `t:${hash}`;
const sealedKey = (hash) => `s:${hash}`;
const subjectFamilyKey = (familyId) => `sf:${familyId}`;
const DENY = "deny";

/** An entry's expiry in epoch seconds: records are `{ record|value, expiresAt }`, index entries a number. */
const expiryOf = (v) => (typeof v === "number" ? v : v !== null && typeof v === "object" ? v.expiresAt : 0);

function reply(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** The request body as text, refusing more than MAX_BODY_BYTES without reading it all. */
async function readBody(request) {
  const declared = Number(request.headers.get("content-length"));
  if (declared > MAX_BODY_BYTES) throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new BadRequest(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new BadRequest("the body is not UTF-8");
  }
}

/**
 * The Durable Object class of `DurableObjectStore`. Re-export it from your Worker's entry
 * (`export { JwtwardRefreshObject } from "jwtward/cloudflare"`) and bind it in wrangler.toml.
 *
 * Atomicity: every operation of one object runs through a queue, one at a time, so a commit's
 * compare and its set never interleave with another request (this does not rely on input gates
 * alone); the set is one `put` plus one `delete` with no await between them, which the runtime
 * writes as one atomic batch. Bounded storage: each entry carries its expiry, reads treat an
 * expired entry as absent, and an alarm at the earliest expiry deletes what has expired (the
 * whole object once nothing is left).
 */
export class JwtwardRefreshObject {
  #storage;
  #queue = Promise.resolve();

  /** @param {{ storage: any }} state the DurableObjectState workerd passes. */
  constructor(state) {
    this.#storage = state.storage;
  }

  /** The RPC surface: `POST /<operation>` with a JSON body (protocol.js); 200 `{ result }` or 400 `{ error }`. */
  async fetch(request) {
    try {
      if (request.method !== "POST") return reply(405, { error: "use POST" });
      const op = new URL(request.url).pathname.slice(1);
      const text = await readBody(request);
      let body;
      try {
        body = JSON.parse(text);
      } catch {
        throw new BadRequest("the body is not JSON");
      }
      checkBody(op, body);
      const result = await this.#serial(() => this.#run(op, body));
      return reply(200, { result });
    } catch (e) {
      if (e instanceof BadRequest) return reply(400, { error: e.message });
      // Storage failed (or a bug): the caller answers 503. No input is echoed into the log.
      console.error(`JwtwardRefreshObject: ${e && e.name}: ${e && e.message}`);
      return reply(500, { error: "the refresh object could not complete the operation" });
    }
  }

  /** Deletes what has expired, then sets the next alarm (or deletes the object's storage). */
  async alarm() {
    await this.#serial(async () => {
      const now = Date.now() / 1000;
      const all = await this.#storage.list();
      const expired = [];
      let next = Infinity;
      for (const [key, value] of all) {
        if (key === NAME) continue;
        const at = expiryOf(value);
        if (at <= now) expired.push(key);
        else next = Math.min(next, at);
      }
      if (next === Infinity) {
        await this.#storage.deleteAll();
        return;
      }
      // delete() takes at most 128 keys per call.
      for (let i = 0; i < expired.length; i += 128) await this.#storage.delete(expired.slice(i, i + 128));
      await this.#storage.setAlarm(Math.ceil(next * 1000));
    });
  }

  #serial(fn) {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Refuses a request meant for another object (its stored name differs). */
  #checkName(stored, name) {
    if (stored !== undefined && stored !== name) throw new BadRequest("this object holds another name's entries: route by objectName");
  }

  /** Moves the alarm earlier if `expiresAt` comes before it. */
  async #alarmBy(expiresAt) {
    const at = Math.ceil(expiresAt * 1000);
    const current = await this.#storage.getAlarm();
    if (current === null || current === undefined || at < current) await this.#storage.setAlarm(at);
  }

  /**
   * Keeps `key` (an expiry in epoch seconds: a subject's family, a denied jti) until at least
   * `expiresAt`; never shortens it. Answers null (the operation's result).
   */
  async #extend(name, key, expiresAt, now) {
    const got = await this.#storage.get([NAME, key]);
    this.#checkName(got.get(NAME), name);
    if (expiresAt <= now) return null;
    const current = got.get(key);
    this.#storage.put({ [NAME]: name, [key]: Math.max(expiresAt, typeof current === "number" ? current : 0) });
    await this.#alarmBy(expiresAt);
    return null;
  }

  async #run(op, b) {
    const storage = this.#storage;
    const now = Date.now() / 1000;
    const live = (v) => (v !== undefined && expiryOf(v) > now ? v : undefined);
    switch (op) {
      case "read": {
        const got = await storage.get([NAME, FAMILY, tokenKey(b.hash), sealedKey(b.hash)]);
        this.#checkName(got.get(NAME), b.name);
        const token = live(got.get(tokenKey(b.hash)));
        const sealed = live(got.get(sealedKey(b.hash)));
        const family = token && live(got.get(FAMILY));
        return { token: token ? token.record : null, sealed: sealed ? sealed.value : null, family: family ? family.record : null };
      }
      case "readFamily": {
        const got = await storage.get([NAME, FAMILY]);
        this.#checkName(got.get(NAME), b.name);
        const family = live(got.get(FAMILY));
        return family ? family.record : null;
      }
      case "commit": {
        const c = b.change;
        const keys = [NAME, FAMILY, ...c.tokens.map((t) => tokenKey(t.hash))];
        const got = await storage.get(keys);
        this.#checkName(got.get(NAME), b.name);
        // The compare and the set, with no await between them.
        const family = live(got.get(FAMILY));
        if ((family ? family.record : null) !== (c.family.expect ?? null)) return false;
        for (const t of c.tokens) {
          const current = live(got.get(tokenKey(t.hash)));
          if ((current ? current.record : null) !== (t.expect ?? null)) return false;
        }
        const puts = { [NAME]: b.name, [FAMILY]: { record: c.family.record, expiresAt: c.family.expiresAt } };
        const deletes = [];
        let earliest = c.family.expiresAt;
        for (const t of c.tokens) {
          puts[tokenKey(t.hash)] = { record: t.record, expiresAt: t.expiresAt };
          earliest = Math.min(earliest, t.expiresAt);
          if (t.sealed) {
            puts[sealedKey(t.hash)] = { value: t.sealed.value, expiresAt: t.sealed.expiresAt };
            earliest = Math.min(earliest, t.sealed.expiresAt);
          } else deletes.push(sealedKey(t.hash));
        }
        storage.put(puts);
        if (deletes.length > 0) storage.delete(deletes);
        await this.#alarmBy(earliest);
        return true;
      }
      case "addFamily":
        return this.#extend(b.name, subjectFamilyKey(b.familyId), b.expiresAt, now);
      case "families": {
        const stored = await storage.get(NAME);
        this.#checkName(stored, b.name);
        const entries = await storage.list({ prefix: "sf:" });
        const ids = [];
        for (const [key, at] of entries) if (live(at) !== undefined) ids.push(key.slice(3));
        return ids;
      }
      case "deny":
        return this.#extend(b.name, DENY, b.expiresAt, now);
      case "denied": {
        const got = await storage.get([NAME, DENY]);
        this.#checkName(got.get(NAME), b.name);
        return live(got.get(DENY)) !== undefined;
      }
      default:
        throw new BadRequest("unknown operation");
    }
  }

  get [Symbol.toStringTag]() {
    return "JwtwardRefreshObject";
  }
}
