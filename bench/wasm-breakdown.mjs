// What a .wasm is made of: the size of each function body (code section), attributed to the
// crate of its symbol (from the name section rustc writes, before wasm-bindgen removes it), and
// the data segments. For the slim core: `node bench/wasm-breakdown.mjs` reads
// target/slim/wasm32-unknown-unknown/slim/jwtward.wasm (pass another path to compare).
// gzip sizes are of each crate's function bodies compressed together, a rough share of the total.
// DEPTH=2 splits jwtward's own code one module deeper; TOP=n lists the n largest functions.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

function leb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [result, pos];
  }
}

/** Sections, function bodies and names of a wasm binary. */
export function parse(bytes) {
  let pos = 8;
  let imports = 0;
  const bodies = [];
  const names = new Map();
  let data = 0;
  const sections = [];
  while (pos < bytes.length) {
    const id = bytes[pos++];
    let size;
    [size, pos] = leb(bytes, pos);
    const end = pos + size;
    let name = String(id);
    if (id === 0) {
      let len;
      let p;
      [len, p] = leb(bytes, pos);
      name = `custom:${new TextDecoder().decode(bytes.subarray(p, p + len))}`;
      if (name === "custom:name") {
        p += len;
        while (p < end) {
          const sub = bytes[p++];
          let subSize;
          [subSize, p] = leb(bytes, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let count;
            [count, p] = leb(bytes, p);
            for (let i = 0; i < count; i++) {
              let index;
              let n;
              [index, p] = leb(bytes, p);
              [n, p] = leb(bytes, p);
              names.set(index, new TextDecoder().decode(bytes.subarray(p, p + n)));
              p += n;
            }
          }
          p = subEnd;
        }
      }
    } else if (id === 2) {
      let count;
      let p;
      [count, p] = leb(bytes, pos);
      for (let i = 0; i < count; i++) {
        let n;
        [n, p] = leb(bytes, p);
        p += n;
        [n, p] = leb(bytes, p);
        p += n;
        const kind = bytes[p++];
        if (kind === 0) {
          imports++;
          [, p] = leb(bytes, p);
        } else if (kind === 1) {
          p += 1;
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 2) {
          const flags = bytes[p++];
          [, p] = leb(bytes, p);
          if (flags & 1) [, p] = leb(bytes, p);
        } else if (kind === 3) p += 2;
      }
    } else if (id === 10) {
      let count;
      let p;
      [count, p] = leb(bytes, pos);
      for (let i = 0; i < count; i++) {
        let n;
        const start = p;
        [n, p] = leb(bytes, p);
        bodies.push({ index: imports + i, size: p - start + n, bytes: bytes.subarray(p, p + n) });
        p += n;
      }
    } else if (id === 11) data = size;
    sections.push({ name, size });
    pos = end;
  }
  for (const b of bodies) b.name = names.get(b.index) || `func${b.index}`;
  return { sections, bodies, data };
}

/** The crate a (mangled or plain) Rust symbol belongs to, roughly: its first path segment. */
export function crateOf(symbol) {
  let crate = "(other)";
  const legacy = /^_ZN(\d+)/.exec(symbol);
  const v0 = /^_R/.test(symbol) && /C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_])/.exec(symbol);
  if (legacy) {
    const name = symbol.slice(legacy[0].length, legacy[0].length + Number(legacy[1])).replace(/^_?\$LT\$/, "");
    crate = (/^([A-Za-z_][A-Za-z0-9_]*)/.exec(name) || [, "(other)"])[1];
  } else if (v0) {
    const start = v0.index + v0[0].length - 1;
    crate = symbol.slice(start, start + Number(v0[1]));
  } else {
    crate = (/^([A-Za-z_][A-Za-z0-9_]*)/.exec(symbol) || [, "(other)"])[1];
  }
  // std's pieces count as one.
  return ["core", "alloc", "std", "compiler_builtins", "dlmalloc"].includes(crate) ? `std (${crate})` : crate;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2] || new URL("../target/slim/wasm32-unknown-unknown/slim/jwtward.wasm", import.meta.url).pathname;
  const bytes = readFileSync(path);
  const { sections, bodies, data } = parse(bytes);
  const byCrate = new Map();
  for (const b of bodies) {
    const c = crateOf(b.name);
    const e = byCrate.get(c) || { size: 0, parts: [] };
    e.size += b.size;
    e.parts.push(b.bytes);
    byCrate.set(c, e);
  }
  const code = bodies.reduce((s, b) => s + b.size, 0);
  console.log(`${path}: ${bytes.length} bytes; code ${code}, data ${data}, ${bodies.length} functions`);
  console.log(`sections: ${sections.map((s) => `${s.name} ${s.size}`).join(", ")}`);
  console.log("crate\tcode bytes\tshare\tgzip");
  for (const [c, e] of [...byCrate].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
    const gz = gzipSync(Buffer.concat(e.parts.map((p) => Buffer.from(p))), { level: 9 }).length;
    console.log(`${c}\t${e.size}\t${((100 * e.size) / code).toFixed(1)}%\t${gz}`);
  }
  // jwtward's own code by module (its second path segment, e.g. jwtward::keys).
  const segments = (sym) => {
    const out = [];
    let i = sym.startsWith("_ZN") ? 3 : 0;
    while (i < sym.length) {
      const m = /^(\d+)/.exec(sym.slice(i));
      if (!m) break;
      i += m[1].length;
      out.push(sym.slice(i, i + Number(m[1])));
      i += Number(m[1]);
    }
    return out.flatMap((seg) => seg.replace(/^_?\$LT\$/, "").split(/\$u20\$|\.\./));
  };
  const byModule = new Map();
  for (const b of bodies) {
    if (crateOf(b.name) !== "jwtward") continue;
    const segs = segments(b.name);
    const depth = Number(process.env.DEPTH || 1);
    const key = segs[0] === "jwtward" && segs[1] ? segs.slice(1, 1 + depth).filter((x) => !/^h[0-9a-f]{16}$/.test(x)).join("::") : "(other)";
    byModule.set(key, (byModule.get(key) || 0) + b.size);
  }
  console.log("\njwtward's own code by module:");
  for (const [k, v] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.MODULES || 20))) console.log(`${k}\t${v}`);
  if (process.env.TOP) {
    console.log("\nlargest functions:");
    for (const b of [...bodies].sort((a, b) => b.size - a.size).slice(0, Number(process.env.TOP))) console.log(`${b.size}\t${b.name.slice(0, 140)}`);
  }
}
