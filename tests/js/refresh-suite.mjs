// Every refresh-token case through `RefreshTokens`, written once and run against each store
// (MemoryStore here, RedisStore with both clients in refresh-redis.test.mjs). A test clock
// (`now`) moves time; it starts at the wall clock and only moves forward, so a store that expires
// keys by the real clock (Redis) keeps them and the core's rules are what is tested.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JwtError, RefreshTokens, hashToken } from "jwtward";

/** A clock for `now`, starting at the current second. */
export function testClock() {
  const clock = { t: Math.ceil(Date.now() / 1000) };
  clock.now = () => clock.t;
  return clock;
}

/** Wraps a store and remembers every commit and whether it landed (and so every string it was given),
 * and the arguments of every read. */
export function recording(store) {
  const log = [];
  const reads = [];
  return {
    log,
    reads,
    store: {
      read: (hash, familyId) => {
        reads.push([hash, familyId]);
        return store.read(hash, familyId);
      },
      readFamily: (id) => store.readFamily(id),
      familiesOf: (subject) => store.familiesOf(subject),
      async commit(change) {
        const landed = await store.commit(change);
        log.push({ change, landed });
        return landed;
      },
    },
    /** How many tokens were ever created in `familyId` (landed inserts). */
    tokensCreated(familyId) {
      return log
        .filter((e) => e.landed && e.change.familyId === familyId)
        .reduce((n, e) => n + e.change.tokens.filter((t) => t.expect === null).length, 0);
    },
  };
}

/** Awaits `promise`, asserts it rejects with a JwtError of `code`, returns the error. */
export async function rejectsCode(promise, code) {
  let caught;
  await assert.rejects(promise, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof JwtError, `expected a JwtError, got ${caught && caught.name}: ${caught && caught.message}`);
  assert.equal(caught.code, code, caught.message);
  return caught;
}

/** Asserts that no token appears in `text`. */
export function assertNoToken(text, tokens, where) {
  for (const t of tokens) assert.ok(!text.includes(t), `a refresh token in plain text in ${where}`);
}

/**
 * Issues a family the way a version before routed tokens (`<familyId>.<secret>`) did: the first
 * token is the secret alone, its record filed under that text's hash (the records themselves did
 * not change). Returns that legacy token and the family id.
 */
export async function issueLegacy(store, options, subject) {
  let held;
  // A store that holds the issue commit back, to file it under the legacy hash below.
  const holding = { commit: async (change) => ((held = change), true) };
  for (const m of ["read", "readFamily", "familiesOf"]) holding[m] = (...a) => store[m](...a);
  const issued = await new RefreshTokens({ ...options, store: holding }).issue(subject);
  const secret = issued.token.slice(issued.token.indexOf(".") + 1);
  const landed = await store.commit({ ...held, tokens: [{ ...held.tokens[0], hash: hashToken(secret) }] });
  assert.equal(landed, true);
  return { token: secret, familyId: issued.familyId, routed: issued.token };
}

/**
 * Runs every case against a store backend.
 * @param {string} name
 * @param {() => Promise<{ stores: object[], dump?: () => Promise<string> }>} open
 *   `stores`: one or more store objects sharing ONE backend (e.g. two Redis connections);
 *   `dump`: everything the backend holds, keys and values, as text.
 * @param {{ legacyTokens?: "rotate" | "refused" }} [options] what the store does with a token from
 *   before routed tokens: rotates it (one keyspace: MemoryStore, RedisStore), or refuses it as
 *   ERR_REFRESH_INVALID with a message saying to sign in again (sharded stores).
 */
export function refreshSuite(name, open, { legacyTokens = "rotate" } = {}) {
  async function setup(options = {}) {
    const backend = await open();
    const clock = testClock();
    const rec = recording(backend.stores[0]);
    const rt = new RefreshTokens({ store: rec.store, now: clock.now, ...options });
    const others = backend.stores.map((store) => new RefreshTokens({ store, now: clock.now, ...options }));
    return { ...backend, clock, rec, rt, others };
  }

  test(`${name}: issue, then rotate along a chain, carrying subject and data`, async () => {
    const { rt, clock, rec } = await setup({ ttl: "1h" });
    const first = await rt.issue("user-1", { device: "laptop", n: 1 });
    assert.match(first.familyId, /^[A-Za-z0-9_-]{22}$/);
    // Routed: the family id, ".", 32 random bytes.
    assert.match(first.token, /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    assert.equal(first.token.split(".")[0], first.familyId);
    assert.equal(first.expiresAt, clock.t + 3600);
    clock.t += 60;
    const second = await rt.rotate(first.token);
    assert.deepEqual(Object.keys(second).sort(), ["data", "expiresAt", "familyId", "subject", "token"]);
    assert.notEqual(second.token, first.token);
    assert.equal(second.familyId, first.familyId);
    assert.equal(second.subject, "user-1");
    assert.deepEqual(second.data, { device: "laptop", n: 1 });
    assert.equal(second.expiresAt, clock.t + 3600);
    clock.t += 60;
    const third = await rt.rotate(second.token);
    assert.equal(third.familyId, first.familyId);
    assert.equal(third.token.split(".")[0], first.familyId, "every successor is routed to its family");
    assert.equal(rec.tokensCreated(first.familyId), 3);
    // The store is told where each token's family lives.
    assert.deepEqual(rec.reads.at(-1), [hashToken(second.token), first.familyId]);
    // Without data, none comes back.
    const bare = await rt.rotate((await rt.issue("user-2")).token);
    assert.equal("data" in bare, false);
  });

  test(`${name}: a token expires at exactly its ttl`, async () => {
    const { rt, clock } = await setup({ ttl: 100, reuseGrace: 0 });
    const a = await rt.issue("u");
    const b = await rt.issue("u");
    clock.t += 99;
    await rt.rotate(a.token);
    clock.t += 1;
    const e = await rejectsCode(rt.rotate(b.token), "ERR_REFRESH_EXPIRED");
    assert.match(e.message, /expired/);
  });

  test(`${name}: familyLifetime caps every successor, then ends the family`, async () => {
    const { rt, clock } = await setup({ ttl: 100, familyLifetime: 250 });
    const start = clock.t;
    let t = (await rt.issue("u")).token;
    clock.t += 90;
    t = (await rt.rotate(t)).token;
    clock.t += 90;
    const capped = await rt.rotate(t);
    assert.equal(capped.expiresAt, start + 250, "min(now + ttl, family expiry)");
    clock.t = start + 250;
    const e = await rejectsCode(rt.rotate(capped.token), "ERR_REFRESH_EXPIRED");
    assert.match(e.message, /familyLifetime/);
  });

  test(`${name}: revokeFamily refuses every token of that login only`, async () => {
    const { rt, clock } = await setup();
    const phone = await rt.issue("u");
    const laptop = await rt.issue("u");
    clock.t += 1;
    const next = await rt.rotate(phone.token);
    await rt.revokeFamily(phone.familyId);
    await rt.revokeFamily(phone.familyId); // idempotent
    await rt.revokeFamily("no-such-family"); // nothing to do
    await rejectsCode(rt.rotate(next.token), "ERR_REFRESH_REVOKED");
    await rejectsCode(rt.rotate(phone.token), "ERR_REFRESH_REVOKED");
    assert.ok(await rt.rotate(laptop.token));
  });

  test(`${name}: revokeSubject refuses every family of the subject, no one else's`, async () => {
    const { rt, clock } = await setup();
    const a1 = await rt.issue("alice");
    const a2 = await rt.issue("alice");
    const bob = await rt.issue("bob");
    clock.t += 1;
    const a1next = await rt.rotate(a1.token);
    await rt.revokeSubject("alice");
    await rejectsCode(rt.rotate(a1next.token), "ERR_REFRESH_REVOKED");
    await rejectsCode(rt.rotate(a2.token), "ERR_REFRESH_REVOKED");
    assert.equal((await rt.rotate(bob.token)).subject, "bob");
    await rt.revokeSubject("nobody");
  });

  test(`${name}: inside reuseGrace the same successor comes back; at its end, reuse revokes the family`, async () => {
    const { rt, clock, rec } = await setup({ reuseGrace: "10s" });
    const first = await rt.issue("u");
    clock.t += 5;
    const rotatedAt = clock.t;
    const second = await rt.rotate(first.token);
    for (const dt of [0, 5, 9.999]) {
      clock.t = rotatedAt + dt;
      const again = await rt.rotate(first.token);
      assert.equal(again.token, second.token, `+${dt}s`);
      assert.equal(again.expiresAt, second.expiresAt);
    }
    assert.equal(rec.tokensCreated(first.familyId), 2, "the family never forks");
    const third = await rt.rotate(second.token);
    clock.t = rotatedAt + 10;
    const e = await rejectsCode(rt.rotate(first.token), "ERR_REFRESH_REUSED");
    assert.match(e.message, /reuse/);
    for (const t of [first.token, second.token, third.token]) await rejectsCode(rt.rotate(t), "ERR_REFRESH_REVOKED");
  });

  test(`${name}: with reuseGrace 0 a second presentation is reuse at once`, async () => {
    const { rt } = await setup({ reuseGrace: 0 });
    const first = await rt.issue("u");
    const second = await rt.rotate(first.token);
    await rejectsCode(rt.rotate(first.token), "ERR_REFRESH_REUSED");
    await rejectsCode(rt.rotate(second.token), "ERR_REFRESH_REVOKED");
  });

  test(`${name}: unknown, malformed and non-string tokens are ERR_REFRESH_INVALID`, async () => {
    const { rt } = await setup();
    await rt.issue("u");
    for (const bad of ["x".repeat(43), "", "short", "a.b.c", "A".repeat(100_000), `${"A".repeat(42)}=`]) {
      const e = await rejectsCode(rt.rotate(bad), "ERR_REFRESH_INVALID");
      if (bad.length > 4) assert.ok(!e.message.includes(bad));
    }
    for (const bad of [undefined, null, 42, {}, ["t"]]) await rejectsCode(rt.rotate(bad), "ERR_REFRESH_INVALID");
  });

  test(`${name}: a token from before routed tokens (the secret alone) ${legacyTokens === "rotate" ? "still rotates, to a routed successor" : "is refused: sign in again"}`, async () => {
    const { stores, clock, rt } = await setup({ reuseGrace: "10s" });
    const issued = await issueLegacy(stores[0], { now: clock.now, reuseGrace: "10s" }, "legacy-user");
    const old = issued.token;
    assert.match(old, /^[A-Za-z0-9_-]{43}$/);
    clock.t += 1;
    if (legacyTokens === "rotate") {
      const next = await rt.rotate(old);
      assert.equal(next.token.split(".")[0], issued.familyId);
      assert.equal((await rt.rotate(old)).token, next.token, "inside the grace window: the same successor");
      assert.equal((await rt.rotate(next.token)).familyId, issued.familyId);
    } else {
      const e = await rejectsCode(rt.rotate(old), "ERR_REFRESH_INVALID");
      assert.match(e.message, /sign in again|log in again/);
      assert.ok(!e.message.includes(old));
    }
    // A routed token whose tag names another family: unknown where that family lives.
    const other = await rt.issue("legacy-user");
    const swapped = `${other.familyId}.${old}`;
    const e = await rejectsCode(rt.rotate(swapped), "ERR_REFRESH_INVALID");
    assert.ok(!e.message.includes(swapped.split(".")[1]));
  });

  test(`${name}: records of another family read for a routed token are refused (the routing tag is checked)`, async () => {
    const { stores, clock } = await setup();
    const store = stores[0];
    const rt = new RefreshTokens({ store, now: clock.now });
    const a = await rt.issue("tag-a");
    const b = await rt.issue("tag-b");
    // A store that answers with the records of b's token whatever it is asked (a bug, or a forged hash).
    const confused = {
      read: () => store.read(hashToken(b.token), b.familyId),
      readFamily: (f) => store.readFamily(f),
      familiesOf: (s) => store.familiesOf(s),
      commit: (c) => store.commit(c),
    };
    const e = await rejectsCode(new RefreshTokens({ store: confused, now: clock.now }).rotate(a.token), "ERR_REFRESH_INVALID");
    assert.match(e.message, /routing tag/);
    assert.ok(!e.message.includes(a.token.split(".")[1]) && !e.message.includes(b.token.split(".")[1]));
    assert.equal((await rt.rotate(b.token)).subject, "tag-b", "b's family untouched");
  });

  test(`${name}: 50 concurrent rotate() calls: one successor, the same for every caller, no fork`, async (t) => {
    const { others, clock, stores } = await setup();
    // Every caller goes through a recorder so landed commits can be counted across connections.
    const recs = stores.map((s) => recording(s));
    const rts = recs.map((r) => new RefreshTokens({ store: r.store, now: clock.now }));
    assert.ok(others.length >= 1);
    const first = await rts[0].issue("u");
    clock.t += 1;
    const calls = 50;
    const started = performance.now();
    const results = await Promise.allSettled(Array.from({ length: calls }, (_, i) => rts[i % rts.length].rotate(first.token)));
    const ms = performance.now() - started;
    const ok = results.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const failures = results.filter((r) => r.status === "rejected").map((r) => `${r.reason.code}: ${r.reason.message}`);
    const distinct = new Set(ok.map((r) => r.token));
    const created = recs.reduce((n, r) => n + r.tokensCreated(first.familyId), 0);
    const isRotation = (e) => e.change.familyId === first.familyId && e.change.family.expect !== null;
    const commits = recs.reduce((n, r) => n + r.log.filter(isRotation).length, 0);
    t.diagnostic(
      `${name}: ${calls} concurrent rotate() over ${rts.length} connection(s): ${ok.length} succeeded, ` +
        `${distinct.size} distinct successor, ${created} tokens in the family, ${commits} rotation commits tried, ${ms.toFixed(1)} ms`,
    );
    assert.deepEqual(failures, []);
    assert.equal(ok.length, calls);
    assert.equal(distinct.size, 1, "every caller gets the same successor");
    assert.equal(created, 2, "the first token and exactly one successor: the family never forks");
    // After the window, the old token is reuse: the whole family goes.
    clock.t += 10;
    await rejectsCode(rts[1 % rts.length].rotate(first.token), "ERR_REFRESH_REUSED");
    await rejectsCode(rts[0].rotate(ok[0].token), "ERR_REFRESH_REVOKED");
  });

  test(`${name}: no token in plain text in the store, in any error message or stack`, async () => {
    const { rt, clock, rec, dump } = await setup({ ttl: 100, reuseGrace: 5 });
    const tokens = [];
    const a = await rt.issue("u", { note: "data is stored as given" });
    tokens.push(a.token);
    clock.t += 1;
    const b = await rt.rotate(a.token);
    tokens.push(b.token);
    const c = await rt.rotate(b.token);
    tokens.push(c.token);
    assert.equal((await rt.rotate(b.token)).token, c.token); // sealed successor held for the window
    const messages = [];
    const collect = async (p) => {
      try {
        await p;
      } catch (e) {
        messages.push(`${e.message}\n${e.stack}`);
      }
    };
    if (dump) assertNoToken(await dump(), tokens, "the store");
    assertNoToken(JSON.stringify(rec.log), tokens, "what the store was given");
    clock.t += 6;
    await collect(rt.rotate(a.token)); // reuse
    await collect(rt.rotate(c.token)); // revoked
    const d = await rt.issue("u");
    tokens.push(d.token);
    clock.t += 200;
    await collect(rt.rotate(d.token)); // expired
    await collect(rt.rotate(d.token.slice(1))); // malformed
    assert.equal(messages.length, 4);
    assertNoToken(messages.join("\n"), tokens, "an error");
    if (dump) assertNoToken(await dump(), tokens, "the store");
    assertNoToken(JSON.stringify(rec.log), tokens, "what the store was given");
  });
}
