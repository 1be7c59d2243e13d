// What the Chromium tests share: a static server for the repository root on 127.0.0.1 (with
// extra routes for test endpoints), Debian's Chromium driven by playwright-core (never a
// downloaded browser), and a page watcher that turns page errors and console errors into
// test failures.
import http from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/**
 * Serves ROOT over HTTP on 127.0.0.1 (a free port). `routes` maps a path to a handler
 * `(req, res)` for test endpoints; everything else is a file (a directory means its
 * index.html). Returns `{ origin, close }`.
 */
export async function startServer(routes = {}) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (Object.hasOwn(routes, url.pathname)) return routes[url.pathname](req, res);
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed");
    let path = resolve(ROOT, `.${decodeURIComponent(url.pathname)}`);
    if (path !== ROOT && !path.startsWith(ROOT + sep)) return send(res, 403, "text/plain", "outside the repository");
    try {
      if ((await stat(path)).isDirectory()) path = join(path, "index.html");
      const body = await readFile(path);
      send(res, 200, MIME[extname(path)] ?? "application/octet-stream", req.method === "HEAD" ? undefined : body);
    } catch {
      send(res, 404, "text/plain", "not found");
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    },
  };
}

function send(res, status, type, body) {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(body);
}

/** The flags that work on these machines (TOOLCHAIN.md): no sandbox as root, no background traffic. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Debian's Chromium. playwright-core gives each launch a fresh, temporary --user-data-dir. */
export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Collects what must fail a test: uncaught page errors and console errors. `expected`
 * (regular expressions) lets a test that provokes an error name it.
 */
export function watchPage(page, expected = []) {
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !expected.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`);
  });
  return problems;
}
