// The docs runner catches what it is there to catch: a document of blocks that must fail (the
// README's old mistakes among them: `token` declared twice, a missing import), each reported with
// its file:line, next to one block that must pass.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { failure, runDocs } from "./runner.mjs";

const GENERATED = join(fileURLToPath(new URL(".", import.meta.url)), ".generated", "selftest");
const DOC_DIR = join(GENERATED, "..", "selftest-doc");

const fence = (lang, code) => ["```" + lang, code, "```", ""].join("\n");
const BLOCKS = {
  good: fence("js", [
    'import { Verifier, Key } from "jwtward";',
    'const { payload } = new Verifier(Key.fromPem(publicPem), { algorithms: ["RS256"], issuer: "https://id.example", audience: "api" }).verify(token);',
    "console.log(payload.sub);",
  ].join("\n")),
  twice: fence("js", [
    'import { Verifier, bearerToken } from "jwtward";',
    'const verifier = new Verifier(keys, { algorithms: ["RS256"] });',
    "verifier.verify(token);",
    "const token = bearerToken(request);",
  ].join("\n")),
  noImport: fence("js", 'const verifier = new Verifier(keys, { algorithms: ["RS256"] });'),
  hidden: fence("js", [
    'import { verify } from "jwtward";',
    'try { verify("a.b.c", keys, { algorithms: ["RS256"] }); } catch (e) { console.log(e.code); }',
  ].join("\n")),
  worker: fence("js", "export default { async fetch() { return new Response(null, { status: 500 }); } };"),
  typeError: fence("ts", 'const n: number = "not a number";\nconsole.log(n);'),
};

let doc;
let lines;
let run;

before(async () => {
  mkdirSync(DOC_DIR, { recursive: true });
  doc = "# self test\n\n" + Object.values(BLOCKS).join("\n");
  writeFileSync(join(DOC_DIR, "doc.md"), doc);
  // Each block's fence line (1-based), found in order.
  lines = {};
  let from = 0;
  for (const [name, text] of Object.entries(BLOCKS)) {
    const at = doc.indexOf(text, from);
    lines[name] = doc.slice(0, at).split("\n").length;
    from = at + text.length;
  }
  run = await runDocs({ root: DOC_DIR, documents: ["doc.md"], generated: GENERATED, modes: ["nodenext"] });
});

const verdict = (name) => {
  const entry = run.entries.find((e) => e.block.line === lines[name]);
  assert.ok(entry, `block ${name} (doc.md:${lines[name]}) was not extracted`);
  return failure(entry, run.results.get(entry));
};

test("a block that runs passes", () => {
  assert.equal(verdict("good"), null);
});

test("a block declaring token twice fails, named by file:line", () => {
  assert.match(verdict("twice") ?? "", new RegExp(`^doc\\.md:${lines.twice} \\(js\\) failed[\\s\\S]*before initialization`));
});

test("a block missing its import fails", () => {
  assert.match(verdict("noImport") ?? "", /Verifier is not defined/);
});

test("a block that prints an error code it does not name fails", () => {
  assert.match(verdict("hidden") ?? "", /printed ERR_\w+, which it does not expect/);
});

test("a Worker block that does not answer 200 fails", () => {
  assert.match(verdict("worker") ?? "", /the Worker answered 500/);
});

test("type errors are reported at the README's line", () => {
  const errors = run.types.get("nodenext").join("\n");
  assert.match(errors, new RegExp(`doc\\.md:${lines.typeError + 1}:\\d+: error TS2322`));
  assert.match(errors, new RegExp(`doc\\.md:${lines.twice + 3}:\\d+: error TS2448`), "token used before its declaration");
  assert.match(errors, new RegExp(`doc\\.md:${lines.noImport + 1}:\\d+: error TS(2304|2552)`), "Verifier not found");
});
