// Extracts the ```js and ```ts blocks of the READMEs and works out what each one needs from the
// fixtures: which of the names the prose says the user has (`token`, `publicPem`, ...) it uses
// without defining, the algorithm and times its token must have, and how it runs (ESM, CommonJS
// or a Worker). The block's own code is never changed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ts = require("typescript");

/** The documents whose blocks run, relative to the repository root. */
export const DOCUMENTS = ["README.md", "pkg/README.md"];

/**
 * Names a block may use without defining them: the things the surrounding prose says the reader
 * already has. Each is provided (at run time by fixtures.cjs, for the type check by the ambient
 * declarations in typecheck.mjs) only when the block uses it and does not declare it.
 */
export const FIXTURE_NAMES = [
  "token", "bigToken", "publicPem", "publicKeyPem", "pem", "privatePem", "certPem", "secret",
  "jwk", "jwks", "jwksUrl", "issuer", "audience", "keys", "key", "key1", "key2", "verifier",
  "signer", "request", "user", "denylist",
];

/**
 * Every fenced ```js / ```javascript / ```ts block of `file`: `{ file, line, lang, code, toml, directive }`.
 * `line` is the fence's line (1-based); `toml` is the text of the closest ```toml block above in the
 * same section (a Worker's wrangler.toml); `directive` the JSON of a `<!-- docs-test: {...} -->`
 * comment on the line before the fence, if any (see docs.test.mjs).
 */
export function extractBlocks(root, file) {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks = [];
  let toml = null;
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6}\s/.test(lines[i])) toml = null;
    const fence = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(lines[i]);
    if (!fence) continue;
    const [, indent, marks, info] = fence;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(marks)) end++;
    const code = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join("\n") + "\n";
    const lang = info.toLowerCase();
    if (lang === "toml") toml = code;
    if (["js", "javascript", "mjs", "cjs", "ts", "typescript"].includes(lang)) {
      const before = i > 0 ? /^\s*<!--\s*docs-test:\s*(\{.*\})\s*-->\s*$/.exec(lines[i - 1]) : null;
      let directive = {};
      if (before) directive = JSON.parse(before[1]);
      blocks.push({ file, line: i + 1, lang: lang.startsWith("t") ? "ts" : "js", code, toml, directive });
    }
    i = end;
  }
  return blocks;
}

/** Top-level names a block declares (imports, const/let/var with destructuring, functions, classes). */
function declaredNames(source) {
  const names = new Set();
  const bind = (name) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
      for (const el of name.elements) if (!ts.isOmittedExpression(el)) bind(el.name);
    }
  };
  for (const st of source.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) names.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) names.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) names.add(el.name.text);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) bind(d.name);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) {
      names.add(st.name.text);
    }
  }
  return names;
}

/** Identifiers used as values (not property names after a dot, not object keys). */
function usedNames(source) {
  const names = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      // The name of a declaration, property or member is not a use; `{ token }` shorthand is.
      const isPropertyName =
        (p && ts.isPropertyAccessExpression(p) && p.name === node) ||
        (p && "name" in p && p.name === node && !ts.isShorthandPropertyAssignment(p)) ||
        (p && ts.isBindingElement(p) && p.propertyName === node) ||
        (p && ts.isQualifiedName(p));
      if (!isPropertyName) names.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** What a block needs: `{ module: "esm" | "cjs" | "worker", needs: [...names], alg, now, claims, typ, redis, redisCluster }`. */
export function analyze(block) {
  const source = ts.createSourceFile("block.ts", block.code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declared = declaredNames(source);
  const used = usedNames(source);
  const needs = FIXTURE_NAMES.filter((n) => used.has(n) && !declared.has(n));
  const code = block.code;
  const hasImport = source.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportAssignment(s) || ts.isExportDeclaration(s));
  const isWorker = /export\s+default\s*\{[\s\S]*\bfetch\s*\(/.test(code) || /export\s+class\s+\w+\s+extends\s+DurableObject/.test(code);
  const module = block.directive.harness ?? (isWorker ? "worker" : !hasImport && /\brequire\s*\(/.test(code) ? "cjs" : "esm");
  // The token's algorithm: the block's own allowlist (first entry), else the Signer's alg.
  const alg = block.directive.alg ?? /algorithms:\s*\[\s*"(\w+)"/.exec(code)?.[1] ?? /\balg:\s*"(\w+)"/.exec(code)?.[1] ?? "RS256";
  // A block that pins the verifier's clock gets a token valid at that time.
  const pinned = /currentDate:\s*new Date\("([^"]+)"\)/.exec(code)?.[1];
  const now = block.directive.now ?? (pinned ? Math.floor(Date.parse(pinned) / 1000) : null);
  const claims = {};
  // `issuer: "..."`, `const issuer = "..."` or `remoteKeySetFromIssuer("...")`.
  const issuer = /\bissuer\s*[:=]\s*"([^"]+)"|remoteKeySetFromIssuer\(\s*"([^"]+)"/.exec(code)?.slice(1).find(Boolean);
  if (issuer) claims.iss = issuer;
  const audience = /\baudience\s*[:=]\s*\[?\s*"([^"]+)"/.exec(code)?.[1];
  if (audience) claims.aud = audience;
  const typ = /\btyp:\s*"([^"]+)"/.exec(code)?.[1];
  Object.assign(claims, block.directive.claims ?? {});
  const redis = /from\s+"(redis|ioredis)"|require\("(redis|ioredis)"\)/.test(code);
  // A Redis Cluster block gets a real cluster (REDIS_CLUSTER_URL), not a lone server posing as one.
  const redisCluster = /REDIS_CLUSTER_URL|createCluster\(|\.Cluster\(/.test(code);
  return { module, needs, alg, now, claims, typ, redis, redisCluster, kid: block.directive.kid };
}
