// Shared by the issuer server's tests and the issuer-to-Worker test: a small JSON HTTP client,
// and the server started as its own process (`node server.mjs`), as it runs in production.
import { after } from "node:test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

// ISSUER_DIR: run the tests against another copy of the server (to check a new test fails on
// the code before a fix); by default, the example in this repository.
export const ISSUER_DIR = process.env.ISSUER_DIR ?? new URL("../../js-examples/issuer-server/", import.meta.url).pathname;
const SERVER = join(ISSUER_DIR, "server.mjs");

/** A small client: JSON in, `{ status, body, headers }` out. */
export function client(base) {
  return async (method, path, { body, token, cookie, headers = {}, signal } = {}) => {
    const res = await fetch(base + path, {
      method,
      signal,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(cookie ? { cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  };
}

/** The server's modules (`createIssuer`, `configFromEnv`), from ISSUER_DIR. */
export async function issuerModules() {
  const [{ createIssuer }, { configFromEnv }] = await Promise.all([import(join(ISSUER_DIR, "src/app.mjs")), import(join(ISSUER_DIR, "src/config.mjs"))]);
  return { createIssuer, configFromEnv };
}

/**
 * For one test file: `dataDir()` makes a throw-away data directory (all removed after the file),
 * and `inProcess(env)` starts the issuer in this process on a free port with a 1 s reuse grace,
 * returning `{ issuer, base, call }`.
 */
export async function issuerFixture(prefix) {
  const { createIssuer, configFromEnv } = await issuerModules();
  const dirs = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function dataDir() {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  }
  async function inProcess(env = {}) {
    const issuer = await createIssuer(configFromEnv({ PORT: "0", DATA_DIR: dataDir(), REUSE_GRACE: "1s", ...env }));
    const base = await issuer.listen();
    return { issuer, base, call: client(base) };
  }
  return { createIssuer, configFromEnv, dataDir, inProcess };
}

/**
 * Starts `node server.mjs` with `env`; `ready` resolves to its base URL once it says it is
 * listening. `exited` resolves to `{ code, output }` when it exits. `nodeArgs`: flags for node.
 */
export function serverProcess(env, { nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, SERVER], { env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.once("close", (code, signal) => resolve({ code, signal, output })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15_000);
    const onData = (d) => {
      output += d;
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => (output += d));
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  // A child killed by a signal has `exitCode` null and `signalCode` set: checking `exitCode` alone
  // waited forever for an "exit" that had already happened. A server that ignores SIGTERM gets
  // SIGKILL after a bound, so a test file can never hang here.
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.once("exit", () => {
        clearTimeout(force);
        resolve();
      });
      child.kill("SIGTERM");
    });
  ready.catch(() => {}); // a test that expects the exit awaits `exited` instead
  return { ready, stop, exited, child, output: () => output };
}


/**
 * Sends `text` as raw bytes to `base`'s host and port and resolves to what came back (status
 * line first) when the server closes or after `timeoutMs` (then `timedOut: true`).
 */
export function raw(base, text, { timeoutMs = 5000, endAfterWrite = false } = {}) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ reply, status: status(reply), timedOut: true });
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve({ reply, status: status(reply), timedOut: false });
    };
    socket.on("connect", () => {
      socket.write(text);
      if (endAfterWrite) socket.end();
    });
    socket.on("data", (d) => (reply += d));
    socket.on("close", done);
    socket.on("error", () => {});
  });
}

function status(reply) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(reply);
  return m ? Number(m[1]) : null;
}
