// A throw-away local Redis Cluster for the tests: three masters and three replicas of Debian's
// redis-server on free loopback ports, in a temporary directory, joined with
// `redis-cli --cluster create ... --cluster-replicas 1`, waited on until every node reports
// cluster_state:ok and every replica's link to its master is up, and torn down by `stop()`
// (SIGTERM, then SIGKILL after a bounded wait; the directory removed). Every wait is bounded:
// a hang is the worst outcome. Never touches a server that happens to be running.
//   node tests/redis-cluster/cluster.mjs    starts one, prints its nodes, stops it (a smoke check)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, ping } from "../js/redis-server.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every process started here, killed with SIGKILL if this process exits or is stopped by a
 * signal without stop() (e.g. node --test cancelling a file), so no server outlives the tests. */
const live = new Set();
/** Temporary directories of clusters not yet stopped, removed with them. */
const dirs = new Set();
const killAll = () => {
  for (const proc of live) if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
};
process.once("exit", killAll);
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]]) {
  process.once(signal, () => {
    killAll();
    process.exit(code);
  });
}

/** One RESP reply from `buf` at `at`: { value, next }, or null while incomplete. Errors become Error values. */
function parseReply(buf, at) {
  const eol = buf.indexOf("\r\n", at);
  if (eol < 0) return null;
  const head = buf.subarray(at + 1, eol).toString();
  const next = eol + 2;
  switch (String.fromCharCode(buf[at])) {
    case "+":
      return { value: head, next };
    case ":":
      return { value: Number(head), next };
    case "-":
      return { value: new Error(head), next };
    case "$": {
      const n = Number(head);
      if (n < 0) return { value: null, next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.subarray(next, next + n).toString(), next: next + n + 2 };
    }
    case "*": {
      const n = Number(head);
      if (n < 0) return { value: null, next };
      const items = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parseReply(buf, pos);
        if (item === null) return null;
        items.push(item.value);
        pos = item.next;
      }
      return { value: items, next: pos };
    }
    default:
      return { value: new Error(`unexpected reply: ${buf.subarray(at, eol).toString()}`), next };
  }
}

/**
 * One command to the server on loopback `port` over RESP, with a deadline: the reply (a string,
 * number, null or array of those); an error reply rejects. Used to inspect and steer nodes
 * independently of the clients under test.
 */
export function command(port, args, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    const done = (err, value) => {
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`redis ${port} ${args[0]}: no reply within ${timeoutMs} ms`)));
    socket.on("error", (e) => done(e));
    socket.on("connect", () => {
      const parts = args.map(String);
      socket.write(`*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("")}`);
    });
    socket.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const reply = parseReply(buf, 0);
      if (reply === null) return;
      if (reply.value instanceof Error) done(new Error(`redis ${port} ${args[0]}: ${reply.value.message}`));
      else done(null, reply.value);
    });
  });
}

/** Runs `file args` to completion within `timeoutMs` (SIGKILL after it): { code, stdout, stderr }. */
function run(file, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const proc = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"] });
    live.add(proc);
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (d) => (stdout += d));
    proc.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    proc.once("error", (e) => {
      clearTimeout(timer);
      live.delete(proc);
      reject(new Error(`cannot run ${file} (${e.message}); run scripts/setup.sh, which installs redis-server and redis-tools`));
    });
    proc.once("exit", (code, signal) => {
      clearTimeout(timer);
      live.delete(proc);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Polls `check` (an async predicate) every 100 ms until it holds or `timeoutMs` passes. */
async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`local cluster: ${what} not reached within ${timeoutMs} ms${last ? `: ${last.message}` : ""}`);
}

/** Parses CLUSTER NODES: [{ id, port, role: "master"|"replica", masterId, slots: [[from, to]], flags }]. */
export function parseNodes(text) {
  return text
    .trim()
    .split("\n")
    .map((line) => {
      const [id, addr, flags, masterId, , , , , ...slots] = line.trim().split(" ");
      return {
        id,
        port: Number(addr.split("@")[0].split(":")[1]),
        flags,
        role: flags.includes("master") ? "master" : "replica",
        masterId: masterId === "-" ? null : masterId,
        slots: slots.filter((s) => !s.startsWith("[")).map((s) => s.split("-").map(Number)).map(([a, b]) => [a, b ?? a]),
      };
    });
}

async function startNode(dir) {
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const busPort = await freePort();
    const nodeDir = path.join(dir, String(port));
    rmSync(nodeDir, { recursive: true, force: true });
    mkdirSync(nodeDir);
    const proc = spawn(
      "redis-server",
      [
        "--port", String(port),
        "--cluster-port", String(busPort),
        "--bind", "127.0.0.1",
        "--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "3000",
        "--dir", nodeDir,
        "--save", "",
        "--appendonly", "no",
        "--logfile", "redis.log",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    live.add(proc);
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
    const spawnError = new Promise((resolve) => proc.once("error", resolve));
    const deadline = Date.now() + 10_000;
    let outcome;
    while (Date.now() < deadline) {
      outcome = await Promise.race([exited, spawnError, ping(port)]);
      if (outcome === true || outcome instanceof Error || (outcome && typeof outcome === "object")) break;
      await sleep(50);
    }
    if (outcome === true) return { port, busPort, proc, exited, dir: nodeDir };
    if (outcome instanceof Error) throw new Error(`cannot start redis-server (${outcome.message}); run scripts/setup.sh, which installs it`);
    proc.kill("SIGKILL");
    await Promise.race([exited, sleep(2000)]);
    live.delete(proc);
    if (attempt === 2) throw new Error(`redis-server did not start on port ${port}: ${stderr || JSON.stringify(outcome)}`);
  }
  throw new Error("unreachable");
}

/** Stops one node: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function stopNode(node, graceMs = 3000) {
  const { proc, exited } = node;
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill("SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!stopped) {
      proc.kill("SIGKILL");
      await Promise.race([exited, sleep(graceMs)]);
    }
  }
  live.delete(proc);
}

/**
 * Starts a cluster of `masters` masters with one replica each. Resolves to
 * `{ nodes, rootNodes, seeds, stop(), topology(), keySlot(key), masterOf(slot), replicaOf(masterPort), failover(replicaPort), waitHealthy() }`.
 */
export async function startCluster({ masters = 3, timeoutMs = 60_000 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "jwtward-cluster-"));
  dirs.add(dir);
  const nodes = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => stopNode(n)));
    rmSync(dir, { recursive: true, force: true });
    dirs.delete(dir);
  };
  try {
    for (let i = 0; i < masters * 2; i++) nodes.push(await startNode(dir));
    const addrs = nodes.map((n) => `127.0.0.1:${n.port}`);
    const created = await run("redis-cli", ["--cluster", "create", ...addrs, "--cluster-replicas", "1", "--cluster-yes"], 30_000);
    if (created.code !== 0) throw new Error(`redis-cli --cluster create failed (${created.code ?? created.signal}): ${created.stdout}\n${created.stderr}`);
    const cluster = {
      dir,
      nodes,
      /** For node-redis createCluster({ rootNodes }). */
      rootNodes: nodes.map((n) => ({ url: `redis://127.0.0.1:${n.port}` })),
      /** For new ioredis.Cluster(seeds). */
      seeds: nodes.map((n) => ({ host: "127.0.0.1", port: n.port })),
      stop,
      /** CLUSTER NODES, parsed, as the node on `port` (default: the first live one) sees it. */
      async topology(port = nodes[0].port) {
        return parseNodes(await command(port, ["CLUSTER", "NODES"]));
      },
      /** Every key matching `pattern` on every master: [{ key, port }]. */
      async keys(pattern) {
        const out = [];
        for (const n of (await cluster.topology()).filter((x) => x.role === "master" && !x.flags.includes("fail"))) {
          for (const key of await command(n.port, ["KEYS", pattern])) out.push({ key, port: n.port });
        }
        return out;
      },
      /** `args` on the master serving `key`'s slot. */
      async onKey(key, args) {
        return command(await cluster.masterOf(await cluster.keySlot(key)), args);
      },
      async keySlot(key) {
        return Number(await command(nodes[0].port, ["CLUSTER", "KEYSLOT", key]));
      },
      /** The port of the master serving `slot` now. */
      async masterOf(slot) {
        const owner = (await cluster.topology()).find((n) => n.role === "master" && n.slots.some(([a, b]) => slot >= a && slot <= b));
        if (!owner) throw new Error(`no master serves slot ${slot}`);
        return owner.port;
      },
      /** The port of a replica of the master on `masterPort`. */
      async replicaOf(masterPort) {
        const topo = await cluster.topology();
        const master = topo.find((n) => n.port === masterPort);
        const replica = topo.find((n) => n.role === "replica" && n.masterId === master.id);
        if (!replica) throw new Error(`the master on ${masterPort} has no replica`);
        return replica.port;
      },
      /** CLUSTER FAILOVER on the replica on `replicaPort`; resolves once it is a master seen by every node. */
      async failover(replicaPort, waitMs = 20_000) {
        await command(replicaPort, ["CLUSTER", "FAILOVER"]);
        await until(`the replica on ${replicaPort} promoted`, waitMs, async () => {
          for (const n of nodes) {
            const me = (await cluster.topology(n.port)).find((x) => x.port === replicaPort);
            if (!me || me.role !== "master") return false;
          }
          return true;
        });
      },
      /** Every node reports cluster_state:ok, every slot is served, every replica's link is up. */
      async waitHealthy(waitMs = 30_000) {
        await until("cluster_state:ok on every node with every replica in sync", waitMs, async () => {
          for (const n of nodes) {
            const info = await command(n.port, ["CLUSTER", "INFO"]);
            if (!info.includes("cluster_state:ok") || !info.includes("cluster_slots_ok:16384")) return false;
            const repl = await command(n.port, ["INFO", "replication"]);
            if (repl.includes("role:slave") && !repl.includes("master_link_status:up")) return false;
          }
          return true;
        });
      },
    };
    await cluster.waitHealthy(Math.max(5000, timeoutMs - 30_000));
    return cluster;
  } catch (e) {
    await stop();
    throw e;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const cluster = await startCluster();
  const topo = await cluster.topology();
  console.log(`cluster up in ${Date.now() - started} ms:`);
  for (const n of topo) console.log(`  ${n.port} ${n.role}${n.slots.length ? ` slots ${n.slots.map((s) => s.join("-")).join(",")}` : ""}`);
  await cluster.stop();
  console.log("stopped");
}
