// Starts a throw-away redis-server for the RedisStore tests: a free loopback port, no
// persistence, waited on until it answers PING, and killed by `stop()`. Never uses a server that
// happens to be running. The binary comes from Debian's redis-server (scripts/setup.sh).
import { spawn } from "node:child_process";
import net from "node:net";
import os from "node:os";

/** A free loopback port (the OS picks it; closed again at once). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether a redis-server answers PING on the loopback `port` within half a second. */
export function ping(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let reply = "";
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => {
      reply += d;
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
    socket.on("error", () => done(false));
  });
}

async function startOnce() {
  const port = await freePort();
  const proc = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", os.tmpdir()],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  proc.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
  const spawnError = new Promise((resolve) => proc.once("error", resolve));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const early = await Promise.race([exited, spawnError, ping(port)]);
    if (early === true) {
      return {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
          // A server left stopped (SIGSTOP) or slow to save never answers SIGTERM: bounded, then SIGKILL.
          const force = setTimeout(() => proc.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(force);
        },
      };
    }
    if (early instanceof Error) {
      throw new Error(`cannot start redis-server (${early.message}); run scripts/setup.sh, which installs it`);
    }
    if (early && typeof early === "object") return { failed: `redis-server exited (${JSON.stringify(early)}): ${stderr}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill("SIGKILL");
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s: ${stderr}`);
}

/** A running redis-server of our own: `{ port, url, stop() }`. Retries if the port was taken in between. */
export async function startRedis() {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await startOnce();
    if (!server.failed) return server;
    last = server.failed;
  }
  throw new Error(last);
}
