// Shared by the issuer server's tests and the issuer-to-Worker test: a small JSON HTTP client,
// and the server started as its own process (`node server.mjs`), as it runs in production.
import { spawn } from "node:child_process";

const SERVER = new URL("../../js-examples/issuer-server/server.mjs", import.meta.url).pathname;

/** A small client: JSON in, `{ status, body, headers }` out. */
export function client(base) {
  return async (method, path, { body, token, cookie, headers = {} } = {}) => {
    const res = await fetch(base + path, {
      method,
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

/** Starts `node server.mjs` with `env`; resolves to its base URL once it says it is listening. */
export function serverProcess(env) {
  const child = spawn(process.execPath, [SERVER], { env: { ...process.env, HOST: "127.0.0.1", PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
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
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { ready, stop };
}

