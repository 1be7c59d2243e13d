// `MemoryStore`: a RefreshStore and Denylist in this process's memory. Plain JavaScript, no core.
import { INSPECT, checkEpochSeconds, checkOptionNames, clockFrom, expect } from "../options.js";
import { checkCommit } from "./contract.js";

/** Expired entries a MemoryStore examines per write: cleanup cost stays bounded per call yet
 * outpaces growth (each write adds at most two entries per map). */
const SWEEP_BUDGET = 4;

/**
 * Deletes expired entries of `map` a few at a time, resuming where the last call stopped, so a
 * full pass is spread over many writes and no single call pays for the whole map.
 */
function sweeper(map) {
  let cursor = map.entries();
  return (now) => {
    for (let i = 0; i < SWEEP_BUDGET; i++) {
      let next = cursor.next();
      if (next.done) {
        cursor = map.entries();
        next = cursor.next();
        if (next.done) return;
      }
      if (next.value[1].expiresAt <= now) map.delete(next.value[0]);
    }
  };
}

/**
 * A RefreshStore and Denylist in this process's memory: for one process, tests and
 * development. Each commit is checked and applied in one synchronous section, so it is atomic
 * with respect to every other call. Expired entries read as absent and are swept a few per write.
 */
export class MemoryStore {
  #tokens = new Map(); // hash -> { familyId, record, expiresAt }
  #sealed = new Map(); // hash -> { value, expiresAt }
  #families = new Map(); // familyId -> { record, expiresAt }
  #subjects = new Map(); // subject -> { families: Map<familyId, expiresAt>, expiresAt }
  #denied = new Map(); // jti -> { expiresAt }
  #sweeps;
  #now;

  /** @param {{ now?: () => Date|number }} [options] `now`: the clock expiry is judged by (default: the wall clock). */
  constructor(options) {
    const o = checkOptionNames(options, ["now"], "MemoryStore options");
    this.#now = clockFrom(o.now, "MemoryStore options.now");
    this.#sweeps = [this.#tokens, this.#sealed, this.#families, this.#subjects, this.#denied].map(sweeper);
  }

  #live(map, key, now) {
    const entry = map.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(now) {
    for (const sweep of this.#sweeps) sweep(now);
  }

  /** RefreshStore: the record filed under `tokenHash`, its sealed successor and its family's record. */
  async read(tokenHash) {
    const now = this.#now();
    const token = this.#live(this.#tokens, tokenHash, now);
    const sealed = this.#live(this.#sealed, tokenHash, now);
    const family = token && this.#live(this.#families, token.familyId, now);
    return { token: token ? token.record : null, sealed: sealed ? sealed.value : null, family: family ? family.record : null };
  }

  /** RefreshStore: a family's record. */
  async readFamily(familyId) {
    const family = this.#live(this.#families, familyId, this.#now());
    return family ? family.record : null;
  }

  /** RefreshStore: applies `change` if every `expect` still holds; true if applied. */
  async commit(change) {
    checkCommit(change);
    const now = this.#now();
    // Check and write with no await in between: nothing else runs until this returns.
    const family = this.#live(this.#families, change.familyId, now);
    if ((family ? family.record : null) !== (change.family.expect ?? null)) return false;
    for (const t of change.tokens) {
      const current = this.#live(this.#tokens, t.hash, now);
      if ((current ? current.record : null) !== (t.expect ?? null)) return false;
    }
    this.#families.set(change.familyId, { record: change.family.record, expiresAt: change.family.expiresAt });
    for (const t of change.tokens) {
      this.#tokens.set(t.hash, { familyId: change.familyId, record: t.record, expiresAt: t.expiresAt });
      if (t.sealed) this.#sealed.set(t.hash, { value: t.sealed.value, expiresAt: t.sealed.expiresAt });
      else this.#sealed.delete(t.hash);
    }
    let subject = this.#subjects.get(change.subject);
    if (subject === undefined) {
      subject = { families: new Map(), expiresAt: 0 };
      this.#subjects.set(change.subject, subject);
    }
    subject.families.set(change.familyId, change.family.expiresAt);
    subject.expiresAt = Math.max(subject.expiresAt, change.family.expiresAt);
    this.#sweep(now);
    return true;
  }

  /** RefreshStore: the ids of the subject's families that have not expired. */
  async familiesOf(subject) {
    const now = this.#now();
    const entry = this.#live(this.#subjects, subject, now);
    if (entry === undefined) return [];
    for (const [id, expiresAt] of entry.families) if (expiresAt <= now) entry.families.delete(id);
    return [...entry.families.keys()];
  }

  /** Denylist: refuses `jti` until `expiresAt` (epoch seconds: the token's `exp`). */
  async add(jti, expiresAt) {
    expect(typeof jti === "string" && jti.length > 0, "Denylist.add: jti", "a non-empty string");
    checkEpochSeconds(expiresAt, "Denylist.add: expiresAt");
    const now = this.#now();
    if (expiresAt > now) {
      const current = this.#denied.get(jti);
      this.#denied.set(jti, { expiresAt: Math.max(expiresAt, current ? current.expiresAt : 0) });
    }
    this.#sweep(now);
  }

  /** Denylist: whether `jti` is refused. */
  async has(jti) {
    expect(typeof jti === "string", "Denylist.has: jti", "a string");
    return this.#live(this.#denied, jti, this.#now()) !== undefined;
  }

  get [Symbol.toStringTag]() {
    return "MemoryStore";
  }

  [INSPECT]() {
    return `MemoryStore { tokens: ${this.#tokens.size}, families: ${this.#families.size}, denylist: ${this.#denied.size} }`;
  }
}
