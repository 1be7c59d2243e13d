// Refresh tokens through the package with MemoryStore: token generation and hashing, option
// validation, every rotation case (the shared suite), the Denylist, and MemoryStore's own
// expiry and atomicity.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { test } from "node:test";
import util from "node:util";
import { generateRefreshToken, hashToken, MemoryStore, RefreshTokens, RedisStore } from "jwtward";
import { refreshSuite, rejectsCode, testClock } from "./refresh-suite.mjs";

function throwsArg(fn, pattern) {
  assert.throws(fn, (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && (!pattern || pattern.test(e.message)));
}

async function rejectsArg(promise, pattern) {
  await assert.rejects(promise, (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_VALUE" && (!pattern || pattern.test(e.message)));
}

test("generateRefreshToken: base64url from the CSPRNG, 16 to 256 bytes", () => {
  const t = generateRefreshToken();
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(t, "base64url").length, 32);
  assert.equal(Buffer.from(generateRefreshToken(16), "base64url").length, 16);
  assert.equal(Buffer.from(generateRefreshToken(256), "base64url").length, 256);
  const many = new Set(Array.from({ length: 1000 }, () => generateRefreshToken()));
  assert.equal(many.size, 1000);
  for (const bad of [15, 257, 0, -1, 32.5, NaN, "32", null]) throwsArg(() => generateRefreshToken(bad), /16 to 256/);
});

test("hashToken: SHA-256, base64url", () => {
  assert.equal(hashToken("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  const t = generateRefreshToken();
  assert.equal(hashToken(t), crypto.createHash("sha256").update(t).digest("base64url"));
  assert.equal(hashToken("é"), crypto.createHash("sha256").update("é", "utf8").digest("base64url"));
  throwsArg(() => hashToken(42));
});

test("RefreshTokens options are validated like the rest of the API", () => {
  const store = new MemoryStore();
  throwsArg(() => new RefreshTokens(), /store/);
  throwsArg(() => new RefreshTokens({}), /store/);
  throwsArg(() => new RefreshTokens({ store: {} }), /missing read, readFamily, commit, familiesOf/);
  throwsArg(() => new RefreshTokens({ store, reuseGrase: 10 }), /unknown option "reuseGrase"/);
  throwsArg(() => new RefreshTokens({ store, ttl: NaN }), /ttl/);
  throwsArg(() => new RefreshTokens({ store, ttl: -1 }), /ttl/);
  throwsArg(() => new RefreshTokens({ store, ttl: 0 }), /ttl/);
  throwsArg(() => new RefreshTokens({ store, familyLifetime: "soon" }), /familyLifetime/);
  throwsArg(() => new RefreshTokens({ store, reuseGrace: {} }), /reuseGrace/);
  throwsArg(() => new RefreshTokens({ store, now: 1_700_000_000 }), /now/);
  throwsArg(() => new RefreshTokens(null));
  throwsArg(() => new MemoryStore({ clock: Date.now }), /unknown option "clock"/);
  throwsArg(() => new RedisStore({}), /node-redis .* or ioredis/);
  throwsArg(() => new RedisStore(null));
  assert.ok(new RefreshTokens({ store, ttl: "14d", familyLifetime: "30d", reuseGrace: "10s", now: () => new Date() }));
});

test("RefreshTokens method arguments are checked before any store access", async () => {
  const rt = new RefreshTokens({ store: new MemoryStore() });
  await rejectsArg(rt.issue(""), /subject/);
  await rejectsArg(rt.issue(42), /subject/);
  await rejectsArg(rt.issue("x".repeat(1025)), /subject/);
  await rejectsArg(rt.issue("u", []), /data/);
  await rejectsArg(rt.issue("u", new Date()), /data/);
  await rejectsArg(rt.issue("u", { n: 10n }), /data/);
  await rejectsArg(rt.revokeFamily(""), /familyId/);
  await rejectsArg(rt.revokeSubject(undefined), /subject/);
  const broken = new RefreshTokens({ store: new MemoryStore(), now: () => "tomorrow" });
  await rejectsArg(broken.issue("u"), /now must return/);
});

test("a store that breaks the contract is reported, not trusted", async () => {
  const inner = new MemoryStore();
  const lying = { read: async () => ({ token: 5 }), readFamily: async () => 7, commit: async () => "yes", familiesOf: async () => "f" };
  const rt = new RefreshTokens({ store: lying });
  const contract = (e) => e instanceof TypeError && e.code === "ERR_INVALID_RETURN_VALUE";
  await assert.rejects(rt.issue("u"), contract);
  await assert.rejects(rt.rotate(generateRefreshToken()), contract);
  await assert.rejects(rt.revokeFamily("f"), contract);
  await assert.rejects(rt.revokeSubject("u"), contract);
  // A store whose commit never lands: bounded retries, then a plain Error (not a rejected token).
  const stuck = new RefreshTokens({ store: { ...bind(inner), commit: async () => false } });
  await assert.rejects(stuck.issue("u"), (e) => !(e instanceof TypeError) && /did not accept a change/.test(e.message));
  // Built-in stores refuse a commit that RefreshTokens did not produce.
  await rejectsArg(inner.commit({ familyId: "f" }), /not a commit/);
});

function bind(store) {
  return {
    read: (h) => store.read(h),
    readFamily: (f) => store.readFamily(f),
    commit: (c) => store.commit(c),
    familiesOf: (s) => store.familiesOf(s),
  };
}

refreshSuite("MemoryStore", async () => {
  const store = new MemoryStore();
  return { stores: [store, store] };
});

test("MemoryStore forgets expired entries by its own clock and sweeps them a few per write", async () => {
  const clock = testClock();
  const store = new MemoryStore({ now: clock.now });
  const rt = new RefreshTokens({ store, now: clock.now, ttl: 100, familyLifetime: 500, reuseGrace: 5 });
  const a = await rt.issue("u");
  clock.t += 1;
  const b = await rt.rotate(a.token);
  assert.equal((await store.read(hashToken(a.token))).sealed === null, false, "sealed successor kept inside the window");
  clock.t += 5;
  assert.equal((await store.read(hashToken(a.token))).sealed, null, "dropped at the end of the window");
  clock.t += 100;
  // Past the ttl the store no longer has the records: unknown, as after any store expiry.
  await rejectsCode(rt.rotate(b.token), "ERR_REFRESH_INVALID");
  assert.deepEqual(await store.read(hashToken(b.token)), { token: null, sealed: null, family: null });
  // Many expired entries are swept by later writes, without a full scan on any one call.
  for (let i = 0; i < 200; i++) await rt.issue(`user-${i}`);
  clock.t += 1000;
  for (let i = 0; i < 200; i++) await rt.issue(`later-${i}`);
  assert.match(util.inspect(store), /^MemoryStore \{ tokens: 20\d, families: 20\d, denylist: 0 \}$/);
  assert.deepEqual(await store.familiesOf("user-1"), []);
  assert.equal((await store.familiesOf("later-1")).length, 1);
});

test("MemoryStore commits are atomic: of racing writers exactly one lands", async () => {
  const store = new MemoryStore();
  const rt = new RefreshTokens({ store });
  const { token } = await rt.issue("u");
  const read = await store.read(hashToken(token));
  const change = (suffix) => ({
    familyId: JSON.parse(read.family).id,
    subject: "u",
    family: { expect: read.family, record: read.family, expiresAt: Date.now() / 1000 + 60 },
    tokens: [{ hash: hashToken(token), expect: read.token, record: `${read.token} ${suffix}`, expiresAt: Date.now() / 1000 + 60 }],
  });
  const landed = await Promise.all(Array.from({ length: 20 }, (_, i) => store.commit(change(i))));
  assert.equal(landed.filter(Boolean).length, 1);
});

test("MemoryStore as a Denylist: a jti is refused until the token's exp", async () => {
  const clock = testClock();
  const store = new MemoryStore({ now: clock.now });
  await store.add("jti-1", clock.t + 60);
  await store.add("jti-old", clock.t - 1); // already expired: nothing to refuse
  assert.equal(await store.has("jti-1"), true);
  assert.equal(await store.has("jti-2"), false);
  assert.equal(await store.has("jti-old"), false);
  clock.t += 60;
  assert.equal(await store.has("jti-1"), false);
  await rejectsArg(store.add("", clock.t + 1), /jti/);
  await rejectsArg(store.add("j", "tomorrow"), /expiresAt/);
  await rejectsArg(store.add("j", NaN), /expiresAt/);
  await rejectsArg(store.has(5), /jti/);
  // The shape verifyAsync's isRevoked hook takes.
  const isRevoked = (jti) => store.has(jti);
  assert.equal(await isRevoked("jti-2"), false);
});

test("inspecting stores and RefreshTokens shows no records or tokens", async () => {
  const store = new MemoryStore();
  const rt = new RefreshTokens({ store });
  const { token } = await rt.issue("u");
  const shown = util.inspect(store, { showHidden: true, depth: 10 }) + util.inspect(rt, { showHidden: true, depth: 10 });
  assert.ok(!shown.includes(token));
  assert.ok(!shown.includes(hashToken(token)));
});

// Issue 13: giving up on a store that never accepts a commit threw a plain Error without a code.
test("a store that never accepts a commit: JwtError ERR_REFRESH_CONFLICT, not a bare Error", async () => {
  const { JwtError } = await import("jwtward");
  const inner = new MemoryStore();
  const rt = new RefreshTokens({ store: inner });
  const issued = await rt.issue("u");
  let commits = 0;
  const refusing = {
    read: (h) => inner.read(h),
    readFamily: (id) => inner.readFamily(id),
    familiesOf: (s) => inner.familiesOf(s),
    commit: async () => (commits++, false),
  };
  const stuck = new RefreshTokens({ store: refusing });
  const conflict = (e) => e instanceof JwtError && e.name === "JwtError" && e.code === "ERR_REFRESH_CONFLICT" && /try again/.test(e.message);
  await assert.rejects(stuck.rotate(issued.token), conflict);
  await assert.rejects(stuck.issue("u"), conflict);
  await assert.rejects(stuck.revokeFamily(issued.familyId), conflict);
  assert.ok(commits >= 3);
});
