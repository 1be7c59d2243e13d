// Load benchmark of the reference issuer (js-examples/issuer-server), as separate processes on
// 127.0.0.1: one process on the memory store, then two processes sharing a throw-away
// redis-server (requests alternate between them). For 50 and 200 concurrent clients (keep-alive
// connections), each endpoint is driven for a few seconds: login (scrypt; shed with 503 when the
// hashing queue is full), refresh (rotation), the protected route and the JWKS. Prints a
// Markdown table of p50/p99 latency and throughput per status. Not part of the test command.
//   node bench/load.mjs [seconds per scenario, default 3]
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { serverProcess } from "../tests/issuer/helpers.mjs";
import { durableRedis } from "../tests/issuer/redis.mjs";

const SECONDS = Number(process.argv[2] ?? 3);
const CLIENTS = [50, 200];
const USERS = 200;
const PASSWORD = "a long enough password";
const ENV = { LOGIN_LIMIT_IP: "1000000000", LOGIN_LIMIT_ACCOUNT: "1000000000", ISSUER: "http://issuer.bench", COOKIE_SECURE: "0" };

function requester(bases, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  let turn = 0;
  const send = (method, path, body, headers = {}, retried = false) =>
    new Promise((resolve) => {
      const base = bases[turn++ % bases.length];
      const started = performance.now();
      const req = http.request({ host: base.hostname, port: base.port, method, path, agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, text, headers: res.headers, ms: performance.now() - started }));
      });
      req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
      req.on("error", (e) => {
        // A keep-alive socket the server closed as idle just as it was reused: the request never
        // reached the server, so send it again (as undici does), once.
        if (e.code === "ECONNRESET" && req.reusedSocket && !retried) resolve(send(method, path, body, headers, true));
        else resolve({ status: e.message, text: "", ms: performance.now() - started });
      });
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/** Runs `clients` loops of `step(i)` for SECONDS; returns rows per status. */
async function drive(clients, step) {
  const samples = [];
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      while (performance.now() < end) samples.push(await step(i));
    }),
  );
  const byStatus = new Map();
  for (const s of samples) {
    if (!byStatus.has(s.status)) byStatus.set(s.status, []);
    byStatus.get(s.status).push(s.ms);
  }
  return [...byStatus].map(([status, ms]) => {
    ms.sort((a, b) => a - b);
    return { status, n: ms.length, rps: ms.length / SECONDS, p50: pct(ms, 50), p99: pct(ms, 99) };
  });
}

async function setup(send) {
  const users = [];
  // A few at a time: registration and login hash with scrypt, and a burst would be shed.
  for (let i = 0; i < USERS; i += 4) {
    await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const email = `load${i + k}@example.com`;
        const body = JSON.stringify({ email, password: PASSWORD });
        const reg = await send("POST", "/auth/register", body);
        if (reg.status !== 201 && reg.status !== 409) throw new Error(`register: ${reg.status} ${reg.text}`);
        const login = await send("POST", "/auth/login", body);
        if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
        const t = JSON.parse(login.text);
        users[i + k] = { body, refresh: t.refresh_token, access: t.access_token };
      }),
    );
  }
  return users;
}

async function scenarios(label, bases) {
  const rows = [];
  for (const clients of CLIENTS) {
    const { send, close } = requester(bases, clients);
    const users = await setup(send);
    const endpoints = {
      // Clients that retry at once on 503 (a flood), then clients that wait the Retry-After.
      "POST /auth/login": (i) => send("POST", "/auth/login", users[i % USERS].body),
      "POST /auth/login (honouring Retry-After)": async (i) => {
        const r = await send("POST", "/auth/login", users[i % USERS].body);
        if (r.status === 503) await new Promise((resolve) => setTimeout(resolve, 1000 * Number(r.headers?.["retry-after"] ?? 1)));
        return r;
      },
      "POST /auth/refresh": async (i) => {
        const u = users[i % USERS];
        const r = await send("POST", "/auth/refresh", JSON.stringify({ refresh_token: u.refresh }));
        if (r.status === 200) u.refresh = JSON.parse(r.text).refresh_token;
        return r;
      },
      "GET /auth/me": (i) => send("GET", "/auth/me", undefined, { authorization: `Bearer ${users[i % USERS].access}` }),
      "GET /.well-known/jwks.json": () => send("GET", "/.well-known/jwks.json"),
    };
    for (const [endpoint, step] of Object.entries(endpoints)) {
      for (const row of await drive(clients, step)) rows.push({ label, clients, endpoint, ...row });
      process.stderr.write(`${label}, ${clients} clients, ${endpoint}: done\n`);
    }
    close();
  }
  return rows;
}

const dirs = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "jwtward-load-"));
  dirs.push(d);
  return d;
};
const rows = [];
try {
  const single = serverProcess({ ...ENV, DATA_DIR: tmp() });
  rows.push(...(await scenarios("1 process, memory store", [new URL(await single.ready)])));
  await single.stop();

  const redis = await durableRedis({ aof: false });
  await redis.start();
  const shared = tmp();
  const a = serverProcess({ ...ENV, DATA_DIR: shared, REDIS_URL: redis.url, REDIS_PREFIX: "load:" });
  const baseA = new URL(await a.ready);
  const b = serverProcess({ ...ENV, DATA_DIR: shared, REDIS_URL: redis.url, REDIS_PREFIX: "load:" });
  const baseB = new URL(await b.ready);
  try {
    rows.push(...(await scenarios("2 processes, Redis", [baseA, baseB])));
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await redis.stop();
  }
} finally {
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
}

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : "-");
console.log(`\n${SECONDS} s per scenario; ${availableParallelism()} CPUs; node ${process.version}; ${new Date().toISOString()}\n`);
console.log("| setup | clients | endpoint | status | requests | req/s | p50 ms | p99 ms |");
console.log("|---|---:|---|---|---:|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.label} | ${r.clients} | \`${r.endpoint}\` | ${r.status} | ${r.n} | ${r.rps.toFixed(0)} | ${f(r.p50)} | ${f(r.p99)} |`);
