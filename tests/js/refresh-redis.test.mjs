// RedisStore against a real redis-server started for this file (tests/js/redis-server.mjs), with
// both supported clients: every rotation case of the shared suite, two connections racing, two
// Node processes racing, key layout and expiry, the grace window in real time, and the Denylist.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import Redis from "ioredis";
import { hashToken, RedisStore, RefreshTokens } from "jwtward";
import { startRedis } from "./redis-server.mjs";
import { assertNoToken, refreshSuite, rejectsCode } from "./refresh-suite.mjs";

let server;
let admin; // a node-redis client for inspecting the server
const opened = [];
let prefixes = 0;
/** A fresh key prefix per test, so tests sharing the server never see each other's keys. */
const newPrefix = () => `t${++prefixes}:`;

before(async () => {
  server = await startRedis();
  admin = await connect("node-redis");
});

after(async () => {
  for (const c of opened) await (typeof c.close === "function" && !(c instanceof Redis) ? c.close() : c.quit());
  if (server) await server.stop();
});

async function connect(kind) {
  let client;
  if (kind === "ioredis") {
    client = new Redis(server.port, "127.0.0.1", { maxRetriesPerRequest: 1 });
    await client.ping();
  } else {
    client = createClient({ url: server.url });
    await client.connect();
  }
  opened.push(client);
  return client;
}

const cmd = (...args) => admin.sendCommand(args.map(String));

/** Everything under `prefix`: each key, its type, value and time to live, as text. */
async function dump(prefix) {
  const lines = [];
  for (const key of await cmd("KEYS", `${prefix}*`)) {
    const type = await cmd("TYPE", key);
    const value =
      type === "hash" ? await cmd("HGETALL", key) : type === "zset" ? await cmd("ZRANGE", key, 0, -1, "WITHSCORES") : await cmd("GET", key);
    lines.push(`${key} ${type} ${JSON.stringify(value)} pttl=${await cmd("PTTL", key)}`);
  }
  return lines.join("\n");
}

for (const kind of ["node-redis", "ioredis"]) {
  const clients = [];
  refreshSuite(`RedisStore (${kind})`, async () => {
    // Two connections of this client kind, shared by the tests of this suite, each test under its own prefix.
    while (clients.length < 2) clients.push(await connect(kind));
    const prefix = newPrefix();
    return { stores: clients.map((c) => new RedisStore(c, { prefix })), dump: () => dump(prefix) };
  });
}

test("RedisStore: every key is under the prefix and expires with what it is for", async () => {
  const client = await connect("ioredis");
  const prefix = newPrefix();
  const rt = new RefreshTokens({ store: new RedisStore(client, { prefix }), ttl: "1h", familyLifetime: "1d", reuseGrace: "10s" });
  const first = await rt.issue("ada", { role: "user" });
  const second = await rt.rotate(first.token);
  const keys = (await cmd("KEYS", `${prefix}*`)).sort();
  const h1 = hashToken(first.token);
  const h2 = hashToken(second.token);
  assert.deepEqual(keys, [`${prefix}rf:${first.familyId}`, `${prefix}rs:${h1}`, `${prefix}rsub:ada`, `${prefix}rt:${h1}`, `${prefix}rt:${h2}`].sort());
  const pttl = async (k) => Number(await cmd("PTTL", `${prefix}${k}`));
  const near = (actual, expectedMs, what) => assert.ok(actual > 0 && Math.abs(actual - expectedMs) < 5000, `${what}: pttl ${actual}, expected about ${expectedMs}`);
  near(await pttl(`rt:${h1}`), 3600e3, "the rotated token's record lives until it would have expired (reuse detection)");
  near(await pttl(`rt:${h2}`), 3600e3, "the successor's record");
  near(await pttl(`rs:${h1}`), 10e3, "the sealed successor: the grace window only");
  near(await pttl(`rf:${first.familyId}`), 86400e3, "the family record: familyLifetime");
  near(await pttl("rsub:ada"), 86400e3, "the subject index: its longest family");
  assertNoToken(await dump(prefix), [first.token, second.token], "Redis");
  // Nothing outside the prefixes the tests use: no stray key without an expiry.
  for (const key of await cmd("KEYS", "*")) {
    assert.match(key, /^(t\d+:|jwtward:)/, key);
    assert.ok(Number(await cmd("PTTL", key)) > 0, `${key} has no expiry`);
  }
});

test("RedisStore: the default prefix is jwtward:", async () => {
  const client = await connect("node-redis");
  const rt = new RefreshTokens({ store: new RedisStore(client) });
  const { familyId } = await rt.issue("default-prefix-user");
  assert.equal(Number(await cmd("EXISTS", `jwtward:rf:${familyId}`)), 1);
  await rt.revokeSubject("default-prefix-user");
});

test("RedisStore: the grace window in real time: the sealed successor leaves Redis when it ends", async () => {
  const client = await connect("node-redis");
  const prefix = newPrefix();
  const rt = new RefreshTokens({ store: new RedisStore(client, { prefix }), reuseGrace: "1s" }); // generous: the machine may be busy
  const first = await rt.issue("u");
  const second = await rt.rotate(first.token);
  assert.equal((await rt.rotate(first.token)).token, second.token);
  assert.equal(Number(await cmd("EXISTS", `${prefix}rs:${hashToken(first.token)}`)), 1);
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(Number(await cmd("EXISTS", `${prefix}rs:${hashToken(first.token)}`)), 0);
  await rejectsCode(rt.rotate(first.token), "ERR_REFRESH_REUSED");
  await rejectsCode(rt.rotate(second.token), "ERR_REFRESH_REVOKED");
});

for (const kind of ["node-redis", "ioredis"]) {
  test(`RedisStore (${kind}) as a Denylist: a jti is refused until the token's exp, then Redis drops it`, async () => {
    const client = await connect(kind);
    const prefix = newPrefix();
    const store = new RedisStore(client, { prefix });
    const now = Date.now() / 1000;
    await store.add("jti-1", now + 3600);
    await store.add("jti-short", now + 1);
    await store.add("jti-old", now - 10);
    assert.equal(await store.has("jti-1"), true);
    assert.equal(await store.has("jti-short"), true);
    assert.equal(await store.has("jti-old"), false);
    assert.equal(await store.has("jti-2"), false);
    assert.equal(Number(await cmd("EXISTS", `${prefix}deny:jti-old`)), 0, "an expired token needs no entry");
    const ttl = Number(await cmd("PTTL", `${prefix}deny:jti-1`));
    assert.ok(ttl > 3595e3 && ttl <= 3600e3, `pttl ${ttl}`);
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(await store.has("jti-short"), false);
    const isRevoked = (jti) => store.has(jti); // the shape of verifyAsync's isRevoked hook
    assert.equal(await isRevoked("jti-1"), true);
  });
}

test("RedisStore: 50 concurrent rotate() calls from two Node processes (node-redis and ioredis) sharing the server", async (t) => {
  const client = await connect("node-redis");
  const prefix = newPrefix();
  const rt = new RefreshTokens({ store: new RedisStore(client, { prefix }), reuseGrace: "30s" });
  const first = await rt.issue("u");
  const worker = fileURLToPath(new URL("./fixtures/refresh-rotate-worker.mjs", import.meta.url));
  const startAt = Date.now() + 1500; // both processes are connected and waiting by then
  const run = (kind) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [worker, String(server.port), prefix, first.token, "25", kind, String(startAt)], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      let err = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker (${kind}) exited ${code}: ${err}`))));
    });
  const outcomes = await Promise.all([run("node-redis"), run("ioredis")]);
  const tokens = outcomes.flatMap((o) => o.tokens);
  const errors = outcomes.flatMap((o) => o.errors);
  const distinct = new Set(tokens);
  // Count the family's token records in Redis: the first token and exactly one successor.
  let inFamily = 0;
  for (const key of await cmd("KEYS", `${prefix}rt:*`)) if ((await cmd("HGET", key, "f")) === first.familyId) inFamily++;
  t.diagnostic(
    `RedisStore, 2 processes (${outcomes.map((o) => `${o.kind} pid ${o.pid}: ${o.tokens.length} ok, ${o.commits.tried} commits tried, ${o.commits.landed} landed, ${o.ms.toFixed(1)} ms`).join("; ")}): ` +
      `50 calls, ${tokens.length} succeeded, ${distinct.size} distinct successor, ${inFamily} token records in the family`,
  );
  assert.deepEqual(errors, []);
  assert.equal(tokens.length, 50);
  assert.equal(distinct.size, 1, "every caller in both processes gets the same successor");
  assert.equal(inFamily, 2, "the family never forks");
  assert.equal(outcomes.reduce((n, o) => n + o.commits.landed, 0), 1, "exactly one rotation landed, in one of the processes");
  // After the window (a clock 31 s ahead), the old token is reuse: the whole family goes.
  const later = new RefreshTokens({ store: new RedisStore(client, { prefix }), reuseGrace: "30s", now: () => Date.now() / 1000 + 31 });
  await rejectsCode(later.rotate(first.token), "ERR_REFRESH_REUSED");
  await rejectsCode(rt.rotate(tokens[0]), "ERR_REFRESH_REVOKED");
});

// Issue 13: expiries were absolute (PEXPIREAT) from the application's clock but judged by
// Redis's clock. Here Redis's clock runs 60 s ahead of the application's (Date.now, the clock
// RefreshTokens and RedisStore read, is set back): the sealed successor, due to live reuseGrace
// (30 s), was deleted the moment it was written, and a retry within the window became reuse.
test("RedisStore: expiry is relative, so a skew between the application's and Redis's clocks changes nothing", async () => {
  const client = await connect("node-redis");
  const prefix = newPrefix();
  const real = Date.now;
  Date.now = () => real() - 60_000;
  try {
    const rt = new RefreshTokens({ store: new RedisStore(client, { prefix }), ttl: "1h", familyLifetime: "1d", reuseGrace: "30s" });
    const first = await rt.issue("skewed");
    const second = await rt.rotate(first.token);
    const pttl = async (k) => Number(await cmd("PTTL", `${prefix}${k}`));
    const near = (actual, expectedMs, what) => assert.ok(Math.abs(actual - expectedMs) < 5000, `${what}: pttl ${actual}, expected about ${expectedMs}`);
    near(await pttl(`rs:${hashToken(first.token)}`), 30e3, "the sealed successor lives reuseGrace");
    near(await pttl(`rt:${hashToken(second.token)}`), 3600e3, "the successor's record lives ttl");
    near(await pttl(`rf:${first.familyId}`), 86400e3, "the family lives familyLifetime");
    near(await pttl("rsub:skewed"), 86400e3, "the subject index lives as long as its longest family");
    // A retry inside the grace window gets the same successor, not a reuse alarm.
    assert.equal((await rt.rotate(first.token)).token, second.token);
  } finally {
    Date.now = real;
  }
});

// Issue 13: the commit script wrote as it went, so a write failing midway (WRONGTYPE, an expiry
// Redis cannot read) left the earlier writes in place: half a rotation.
test("RedisStore: a commit that cannot be applied whole changes nothing", async () => {
  const client = await connect("ioredis");
  const prefix = newPrefix();
  const store = new RedisStore(client, { prefix });
  // Every key, type and value (times to live only as set or not: they tick).
  const state = async () => (await dump(prefix)).replace(/pttl=\d+/g, "pttl>0").split("\n").sort().join("\n");
  const rt = new RefreshTokens({ store, reuseGrace: "30s" });
  const first = await rt.issue("wrongtype");
  // The subject index, written last, is now a key of another type.
  await cmd("DEL", `${prefix}rsub:wrongtype`);
  await cmd("SET", `${prefix}rsub:wrongtype`, "not a sorted set");
  const before = await state();
  await assert.rejects(rt.rotate(first.token), /wrong type|WRONGTYPE/i);
  assert.equal(await state(), before, "nothing written");
  await assert.rejects(rt.issue("wrongtype"), /wrong type|WRONGTYPE/i);
  assert.equal(await state(), before, "nothing written");
  // An expiry Redis cannot take as a whole number, on the last token of a commit.
  const now = Date.now() / 1000;
  const commit = {
    familyId: "fam",
    subject: "someone",
    family: { expect: null, record: "{}", expiresAt: now + 60 },
    tokens: [
      { hash: "h1", expect: null, record: "{}", expiresAt: now + 60, sealed: { value: "s", expiresAt: now + 30 } },
      { hash: "h2", expect: null, record: "{}", expiresAt: 1e300 },
    ],
  };
  await assert.rejects(store.commit(commit));
  assert.equal(await state(), before, "nothing written");
  await assert.rejects(store.commit({ ...commit, tokens: [{ ...commit.tokens[0], sealed: { value: "s", expiresAt: -1e300 } }] }));
  assert.equal(await state(), before, "nothing written");
  // And the same commit with good numbers lands whole.
  assert.equal(await store.commit({ ...commit, tokens: [commit.tokens[0]] }), true);
  assert.equal(await store.read("h1").then((r) => r.sealed), "s");
});
