// RedisClusterStore under contention on a real local cluster: 50 concurrent rotations of one
// token from two Node processes (one per client library), and a replay after the grace window
// in real time (the sealed successor leaves the cluster; the replay revokes the family).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { hashToken, RedisClusterStore, RefreshTokens } from "jwtward";
import { rejectsCode } from "../js/refresh-suite.mjs";
import { startCluster } from "./cluster.mjs";
import { closeCluster, connectCluster } from "./clients.mjs";

let cluster;
let client;

before(async () => {
  cluster = await startCluster();
  client = await connectCluster("node-redis", cluster.seeds);
});

after(async () => {
  if (client) await closeCluster(client);
  if (cluster) await cluster.stop();
});

/** The token records of a family, read on the master that serves its slot. */
async function familyTokens(prefix, familyId) {
  return (await cluster.keys(`${prefix}{${familyId}}:token:*`)).map((k) => k.key);
}

test("RedisClusterStore: 50 concurrent rotate() calls from two Node processes (node-redis and ioredis): exactly one successor", async (t) => {
  const prefix = "proc:";
  const rt = new RefreshTokens({ store: new RedisClusterStore(client, { prefix }), reuseGrace: "30s" });
  const first = await rt.issue("u");
  const worker = fileURLToPath(new URL("./rotate-worker.mjs", import.meta.url));
  const startAt = Date.now() + 2500; // both processes are connected and waiting by then
  const run = (kind, port) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [worker, String(port), prefix, first.token, "25", kind, String(startAt)], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (err += d));
      child.on("error", reject);
      child.on("exit", (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(JSON.parse(out));
        else reject(new Error(`worker (${kind}) exited ${code}: ${err}`));
      });
    });
  // Each process enters the cluster through a different node.
  const outcomes = await Promise.all([run("node-redis", cluster.nodes[0].port), run("ioredis", cluster.nodes[4].port)]);
  const tokens = outcomes.flatMap((o) => o.tokens);
  const errors = outcomes.flatMap((o) => o.errors);
  const distinct = new Set(tokens);
  const inFamily = await familyTokens(prefix, first.familyId);
  t.diagnostic(
    `RedisClusterStore, 2 processes (${outcomes.map((o) => `${o.kind} pid ${o.pid}: ${o.tokens.length} ok, ${o.commits.tried} commits tried, ${o.commits.landed} landed, ${o.ms.toFixed(1)} ms`).join("; ")}): ` +
      `50 calls, ${tokens.length} succeeded, ${distinct.size} distinct successor, ${inFamily.length} token records in the family`,
  );
  assert.deepEqual(errors, []);
  assert.equal(tokens.length, 50);
  assert.equal(distinct.size, 1, "every caller in both processes gets the same successor");
  assert.equal(inFamily.length, 2, "the family never forks");
  assert.deepEqual(inFamily.sort(), [`${prefix}{${first.familyId}}:token:${hashToken(first.token)}`, `${prefix}{${first.familyId}}:token:${hashToken(tokens[0])}`].sort());
  assert.equal(outcomes.reduce((n, o) => n + o.commits.landed, 0), 1, "exactly one rotation landed, in one of the processes");
  // After the window (a clock 31 s ahead), the old token is reuse: the whole family goes.
  const later = new RefreshTokens({ store: new RedisClusterStore(client, { prefix }), reuseGrace: "30s", now: () => Date.now() / 1000 + 31 });
  await rejectsCode(later.rotate(first.token), "ERR_REFRESH_REUSED");
  await rejectsCode(rt.rotate(tokens[0]), "ERR_REFRESH_REVOKED");
});

test("RedisClusterStore: a replay after the grace window, in real time, revokes the family", async () => {
  const prefix = "grace:";
  const rt = new RefreshTokens({ store: new RedisClusterStore(client, { prefix }), reuseGrace: "1s" }); // generous: the machine may be busy
  const first = await rt.issue("u");
  const second = await rt.rotate(first.token);
  assert.equal((await rt.rotate(first.token)).token, second.token, "inside the window: the same successor");
  const sealed = `${prefix}{${first.familyId}}:sealed:${hashToken(first.token)}`;
  assert.equal(Number(await cluster.onKey(sealed, ["EXISTS", sealed])), 1);
  await new Promise((r) => setTimeout(r, 1300));
  assert.equal(Number(await cluster.onKey(sealed, ["EXISTS", sealed])), 0, "the sealed successor left with the window");
  const e = await rejectsCode(rt.rotate(first.token), "ERR_REFRESH_REUSED");
  assert.match(e.message, /every token of this login is now revoked/);
  await rejectsCode(rt.rotate(second.token), "ERR_REFRESH_REVOKED");
});
