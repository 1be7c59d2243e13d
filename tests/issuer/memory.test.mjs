// Memory stays bounded over 100,000 bad login requests: distinct ~250-character emails from
// distinct (forwarded) addresses, oversized emails, and a flood from one address. The server
// runs as its own process with --expose-gc and the test-only heap route (ISSUER_TEST_HOOKS=1);
// the heap after a full GC may grow by at most a fixed bound. Before the fix, every attempt
// left two counters that were never swept (+157 MB over 20,000 requests).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serverProcess } from "./helpers.mjs";

const REQUESTS = 100_000;
const CONCURRENCY = 32;
const BOUND_BYTES = 10 * 1024 * 1024;

test(`heap growth over ${REQUESTS.toLocaleString("en")} bad login requests stays under ${BOUND_BYTES / 2 ** 20} MiB`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "jwtward-issuer-memory-"));
  // A small counter table so that it fills (and is seen to stop growing) within the test.
  const server = serverProcess({ DATA_DIR: dir, ISSUER_TEST_HOOKS: "1", TRUST_PROXY: "1", LOGIN_COUNTERS_MAX: "400" }, { nodeArgs: ["--expose-gc"] });
  const base = new URL(await server.ready);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  t.after(async () => {
    agent.destroy();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function request(method, path, body, headers = {}) {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: base.hostname, port: base.port, method, path, agent, headers: { "content-type": "application/json", ...headers } }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode, text }));
      });
      req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path}: no answer in 10 s`)));
      req.on("error", reject);
      req.end(body);
    });
  }
  const heap = async () => JSON.parse((await request("GET", "/__test/heap")).text);

  const local = "x".repeat(55); // with up to 6 digits: within the 64-character local part
  const domain = `${"d".repeat(180)}.example`;
  /** The i-th bad request: three kinds, in turn. */
  function bad(i) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    switch (i % 4) {
      case 0: // distinct large (valid-shaped) email from a distinct address: counted until the table is full
      case 1:
        return [JSON.stringify({ email: `${local}${i}@${domain}`, password: "wrong password" }), { "x-forwarded-for": ip }];
      case 2: // oversized email: refused before counting
        return [JSON.stringify({ email: `${"y".repeat(4000)}${i}@example.com`, password: "wrong password" }), { "x-forwarded-for": ip }];
      default: // one address, distinct emails: its IP counter stops the rest
        return [JSON.stringify({ email: `${local}${i}@${domain}`, password: "wrong password" }), { "x-forwarded-for": "192.0.2.1" }];
    }
  }

  const statuses = {};
  let next = 0;
  async function run(until) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < until) {
          const [body, headers] = bad(next++);
          const { status } = await request("POST", "/auth/login", body, headers);
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  }

  // Warm up (code paths, the table filling up), then measure the rest.
  await run(5_000);
  const before = await heap();
  assert.ok(before.gc, "the server runs with --expose-gc");
  const started = performance.now();
  await run(REQUESTS);
  const seconds = (performance.now() - started) / 1000;
  const afterAll = await heap();
  const growth = afterAll.heapUsed - before.heapUsed;
  console.log(
    `# memory: ${REQUESTS.toLocaleString("en")} bad logins (${JSON.stringify(statuses)}) in ${seconds.toFixed(1)} s; heap after GC ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(afterAll.heapUsed / 2 ** 20).toFixed(1)} MiB (${growth >= 0 ? "+" : ""}${(growth / 2 ** 20).toFixed(2)} MiB)`,
  );
  // 503 is the hashing queue shedding load (with Retry-After), the one 5xx allowed.
  assert.ok(Object.keys(statuses).every((s) => Number(s) < 500 || Number(s) === 503), JSON.stringify(statuses));
  assert.ok(growth < BOUND_BYTES, `heap grew ${(growth / 2 ** 20).toFixed(1)} MiB`);
});
