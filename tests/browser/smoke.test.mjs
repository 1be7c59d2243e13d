// The runtime smoke suite (tests/runtimes/smoke.mjs) in headless Debian Chromium, loading the
// package as native ES modules through an import map, once through the default browser entry
// (the slim module: asymmetric keys through the async methods, the sync ones refused) and once
// through jwtward/full: each check is one node:test test, so the suite's count includes them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchChromium, watchPage } from "./harness.mjs";

async function runInChromium(file) {
  const server = await startServer();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const problems = watchPage(page);
    await page.goto(`${server.origin}/tests/browser/${file}`);
    // RSA in wasm is slow, and two cores are shared: allow for it.
    const handle = await page.waitForFunction(() => window.smokeResults, null, { timeout: 120_000 }).catch((e) => {
      throw new Error(`the suite did not finish: ${[e.message, ...problems].join("; ")}`);
    });
    return { results: await handle.jsonValue(), problems };
  } finally {
    await browser.close();
    await server.close();
  }
}

for (const [entry, html] of [["jwtward", "smoke.html"], ["jwtward/full", "smoke-full.html"]]) {
  const { results, problems } = await runInChromium(html);
  test(`chromium smoke (${entry}): the page logged no errors`, () => assert.deepEqual(problems, []));
  for (const r of results) {
    test(`chromium smoke (${entry}): ${r.name}`, () => assert.ok(r.ok, r.error));
  }
}
