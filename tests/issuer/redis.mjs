// A redis-server of the issuer tests' own that can be killed, stalled and restarted on the same
// port and data directory: AOF with fsync on every write (`appendonly yes`, `appendfsync
// always`), so a SIGKILL loses nothing it acknowledged. Loopback only; never a running service.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, ping } from "../js/redis-server.mjs";

/**
 * `{ port, url, start(), kill(signal), stop() }`; not started until `start()` (so a test can
 * first run the issuer against a port where nothing listens).
 */
export async function durableRedis({ aof = true } = {}) {
  const port = await freePort();
  const dir = mkdtempSync(join(os.tmpdir(), "jwtward-issuer-redis-"));
  let proc = null;
  let exited = Promise.resolve();
  const persistence = aof ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      proc = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--dir", dir], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      proc.stderr.on("data", (d) => (stderr += d));
      const current = proc;
      exited = new Promise((resolve) => current.once("exit", resolve));
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
        if (current.exitCode !== null) throw new Error(`redis-server exited: ${stderr}`);
        if (await ping(port)) return;
      }
      throw new Error(`redis-server did not answer on ${port}: ${stderr}`);
    },
    /** Sends `signal` (SIGKILL, SIGSTOP, SIGCONT); after SIGKILL, resolves once it is gone. */
    async kill(signal) {
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      if (signal === "SIGKILL") await exited;
    },
    async stop() {
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        proc.kill("SIGCONT");
        proc.kill("SIGKILL");
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
