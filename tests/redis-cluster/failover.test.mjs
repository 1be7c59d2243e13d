// A master failover during load, on a real local cluster: rotations of many families run
// through both cluster clients while `CLUSTER FAILOVER` promotes the replica of the master that
// serves several of them. Every rotation answered during it must be either applied or refused
// with a clear error, never forked: afterwards each family is walked record by record from its
// first token, and must be exactly one chain (every token record of the family on it, one head,
// the head the client's last token), with every successor a client received on that chain.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hashToken, RedisClusterStore, RefreshTokens } from "jwtward";
import { command, startCluster } from "./cluster.mjs";
import { closeCluster, connectCluster } from "./clients.mjs";

let cluster;
const clients = [];

before(async () => {
  cluster = await startCluster();
  for (const kind of ["node-redis", "ioredis"]) clients.push(await connectCluster(kind, cluster.seeds));
});

after(async () => {
  await Promise.all(clients.map(closeCluster));
  if (cluster) await cluster.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or a rejection after `ms` (a call that never answers counts as refused, not as a hang). */
function bounded(promise, ms) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: "TIMEOUT" })), ms))),
  ]);
}

/** Walks a family from its first token's record: { chain: [hashes], records: [every token key], head, revoked }. */
async function walk(prefix, familyId, firstToken) {
  const key = (h) => `${prefix}{${familyId}}:token:${h}`;
  const port = await cluster.masterOf(await cluster.keySlot(familyId));
  const chain = [];
  let hash = hashToken(firstToken);
  while (hash !== undefined && chain.length < 10_000) {
    const record = await command(port, ["HGET", key(hash), "r"]);
    if (record === null) break;
    chain.push(hash);
    hash = JSON.parse(record).rotated?.successor;
  }
  const records = await command(port, ["KEYS", key("*")]);
  const family = JSON.parse(await command(port, ["GET", `${prefix}{${familyId}}:family`]));
  return { chain, records, head: chain.at(-1), revoked: family.revoked };
}

test("RedisClusterStore: a master failover (CLUSTER FAILOVER) during rotations: each answer applied or refused with a clear error, never a fork", async (t) => {
  const prefix = "fo:";
  const rts = clients.map((c) => new RefreshTokens({ store: new RedisClusterStore(c, { prefix }), reuseGrace: "30s" }));
  // Families on every master, at least 8 on the one that will fail over.
  const chains = [];
  let target;
  while (chains.length < 60) {
    const issued = await rts[chains.length % 2].issue(`fo-user-${chains.length}`);
    const master = await cluster.masterOf(await cluster.keySlot(issued.familyId));
    target ??= master;
    chains.push({ ...issued, first: issued.token, current: issued.token, master, received: [] });
    if (chains.length >= 24 && chains.filter((c) => c.master === target).length >= 8) break;
  }
  const onTarget = chains.filter((c) => c.master === target).length;
  const replica = await cluster.replicaOf(target);

  const answers = []; // { at, ok, code, message }
  let stop = false;
  async function load(chain, n) {
    for (let i = 0; !stop; i++) {
      const rt = rts[(n + i) % 2];
      const at = performance.now();
      try {
        if (i % 5 === 4) {
          // Two callers race on one token (one per client): the same successor or a refusal, never two.
          const both = await Promise.allSettled([bounded(rts[0].rotate(chain.current), 10_000), bounded(rts[1].rotate(chain.current), 10_000)]);
          const ok = both.filter((r) => r.status === "fulfilled").map((r) => r.value.token);
          const took = performance.now() - at;
          for (const r of both) answers.push(r.status === "fulfilled" ? { at, took, chain, ok: true } : { at, took, chain, ok: false, code: r.reason.code, message: r.reason.message });
          if (ok.length === 2) assert.equal(ok[0], ok[1], "two racing callers got different successors: a fork");
          if (ok.length > 0) {
            chain.received.push(ok[0]);
            chain.current = ok[0];
          }
        } else {
          const next = await bounded(rt.rotate(chain.current), 10_000);
          answers.push({ at, took: performance.now() - at, chain, ok: true });
          chain.received.push(next.token);
          chain.current = next.token;
        }
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        answers.push({ at, took: performance.now() - at, chain, ok: false, code: e.code, message: e.message });
        await sleep(20);
      }
    }
  }
  const loops = chains.map((c, n) => load(c, n));
  await sleep(800);
  const t0 = performance.now();
  await cluster.failover(replica);
  const t1 = performance.now();
  await sleep(1500);
  stop = true;
  await Promise.all(loops);
  await cluster.waitHealthy();

  // Each chain's last answer may have been lost with a refusal after its commit landed: one more
  // rotation settles it (inside reuseGrace it returns the successor already chosen).
  for (const chain of chains) {
    const next = await bounded(rts[0].rotate(chain.current), 10_000);
    chain.received.push(next.token);
    chain.current = next.token;
  }
  let forks = 0;
  for (const chain of chains) {
    const { chain: hashes, records, head, revoked } = await walk(prefix, chain.familyId, chain.first);
    const onChain = new Set(hashes);
    assert.equal(revoked, undefined, `family ${chain.familyId} was revoked`);
    assert.equal(records.length, hashes.length, `family ${chain.familyId}: ${records.length} token records, ${hashes.length} on the chain: a fork`);
    if (records.length !== hashes.length) forks++;
    assert.equal(head, hashToken(chain.current), "the head is the client's last token");
    for (const token of chain.received) assert.ok(onChain.has(hashToken(token)), "every successor a client received is on the chain");
  }
  // A call "during" the failover was sent between CLUSTER FAILOVER and the promotion seen by all.
  const phase = (a) => (a.at < t0 ? "before" : a.at <= t1 ? "during" : "after");
  const duringOnTarget = answers.filter((a) => phase(a) === "during" && a.chain.master === target);
  const slowest = Math.max(...duringOnTarget.map((a) => a.took));
  const tally = {};
  for (const a of answers) {
    const k = `${phase(a)} ${a.ok ? "applied" : `refused ${a.code ?? "(no code)"}: ${a.message.slice(0, 90)}`}`;
    tally[k] = (tally[k] ?? 0) + 1;
  }
  const topo = await cluster.topology();
  t.diagnostic(
    `failover of master ${target} (${onTarget} of ${chains.length} families) to replica ${replica}: ${(t1 - t0).toFixed(0)} ms until every node saw the promotion; ` +
      `now ${target} is a ${topo.find((n) => n.port === target).role} and ${replica} a ${topo.find((n) => n.port === replica).role}; ` +
      `${answers.length} answers, ${forks} forks: ${JSON.stringify(tally)}; ${duringOnTarget.length} calls on the failing-over master's families sent during it ` +
      `(${duringOnTarget.filter((a) => a.ok).length} applied, slowest answer ${slowest.toFixed(0)} ms)`,
  );
  for (const a of answers.filter((x) => !x.ok)) {
    assert.ok(typeof a.message === "string" && a.message.length > 0, "a refusal says why");
    assert.ok(!["ERR_REFRESH_REUSED", "ERR_REFRESH_REVOKED", "ERR_REFRESH_INVALID"].includes(a.code), `a legitimate token was refused as ${a.code}: ${a.message}`);
  }
  assert.ok(answers.some((a) => phase(a) === "after" && a.ok), "rotations resume after the failover");
  assert.ok(duringOnTarget.length > 0, "rotations of the failing-over master's families were in flight during the failover");
  assert.equal(topo.find((n) => n.port === replica).role, "master");
});
