// PEM as it arrives from configuration (issue 12): what is tolerated (indentation, CRLF,
// trailing whitespace, literal \n in a one-line env value, any line width, text before BEGIN)
// verifies like the PEM as issued; what is refused (two blocks, a cut-off or spliced document,
// text after END, quotes glued to the markers, literal \n among real line breaks, headers,
// non-base64) says what to do.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { Key, Verifier } from "jwtward";
import { b64u, throwsCode, NOW } from "./helpers.mjs";

const pairs = {
  RS256: crypto.generateKeyPairSync("rsa", { modulusLength: 2048 }),
  ES256: crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }),
  EdDSA: crypto.generateKeyPairSync("ed25519"),
};

function sign(alg, privateKey) {
  const input = `${b64u({ alg, typ: "JWT", kid: "any" })}.${b64u({ sub: "s", exp: NOW + 60 })}`;
  const digest = alg === "EdDSA" ? null : "sha256";
  const sig = crypto.sign(digest, Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
  return `${input}.${sig.toString("base64url")}`;
}

const verifies = (pem, alg, token) => new Verifier(Key.fromPem(pem), { algorithms: [alg], currentDate: NOW }).verifyAsync(token);

/** The ways a PEM is reformatted on its way into configuration, each still the same key. */
function tolerated(pem) {
  const lines = pem.trim().split("\n");
  const body = lines.slice(1, -1).join("");
  return {
    "as issued": pem,
    "indented with spaces (YAML block, template)": lines.map((l) => `    ${l}`).join("\n"),
    "indented with tabs, trailing whitespace": lines.map((l) => `\t\t${l} \t`).join("\n"),
    "CRLF line endings": lines.join("\r\n") + "\r\n",
    "blank lines around": `\n\n${pem}\n\n`,
    "literal \\n on one line (env file)": lines.join("\\n"),
    "literal \\n with a trailing one": lines.join("\\n") + "\\n",
    "literal \\r\\n on one line": lines.join("\\r\\n"),
    "lines joined by spaces": lines.join(" "),
    "body on one line": `${lines[0]}\n${body}\n${lines.at(-1)}`,
    "byte-order mark": `\ufeff${pem}`,
    "explanatory text before (RFC 7468)": `subject=CN = example\nissuer=CN = example\n${pem}`,
  };
}

for (const [alg, { publicKey, privateKey }] of Object.entries(pairs)) {
  const token = sign(alg, privateKey);
  for (const [format, exported] of [
    ["SPKI", publicKey.export({ type: "spki", format: "pem" })],
    ["PKCS#8", privateKey.export({ type: "pkcs8", format: "pem" })],
  ]) {
    test(`${alg} ${format}: every tolerated variation verifies`, async () => {
      for (const [name, variant] of Object.entries(tolerated(exported))) {
        const verified = await verifies(variant, alg, token).catch((e) => assert.fail(`${name}: ${e.code} ${e.message}`));
        assert.equal(verified.payload.sub, "s", name);
      }
    });
  }
}

test("refused variations say what is wrong and what to do", () => {
  const pem = pairs.ES256.publicKey.export({ type: "spki", format: "pem" });
  const other = pairs.RS256.publicKey.export({ type: "spki", format: "pem" });
  const lines = pem.trim().split("\n");
  const cases = [
    [pem + other, /holds 2 PEM blocks; pass exactly one/],
    [lines.slice(0, -1).join("\n"), /has no -----END PUBLIC KEY----- line: it is cut short; copy the whole of it/],
    [pem.replace("END PUBLIC KEY", "END PRIVATE KEY"), /END line does not match its BEGIN line; it must read -----END PUBLIC KEY-----/],
    [JSON.stringify(pem), /stand before -----BEGIN on its line .*remove them/],
    [`"${lines.join("\\n")}"`, /stand before -----BEGIN on its line/],
    [`${pem.trim()}"`, /each marker must end its line/],
    [`${pem}${lines[1]}\n`, /text follows the -----END PUBLIC KEY----- line; pass the PEM block alone/],
    [`${lines.slice(0, 2).join("\n")}\\n${lines.slice(2).join("\n")}`, /line breaks and also literal \\n sequences .*replace each \\n with a line break/],
    [pem.replace("\n", "\nProc-Type: 4,ENCRYPTED\n"), /headers are not supported; this is an encrypted key: decrypt it first/],
    [pem.replace("\nM", "\n*M"), /character that is not base64 on line 1/],
    [pem.replace("\nM", "\n"), /base64 between the PEM's PUBLIC KEY lines is not valid/],
    [`${lines[0]}\n${lines.at(-1)}`, /nothing between its BEGIN and END lines/],
    ['{"kty":"EC","crv":"P-256"}', /not a PEM document.*Key\.fromJwk/],
  ];
  for (const [input, message] of cases) {
    const e = throwsCode(() => Key.fromPem(input), "ERR_JWK_INVALID");
    assert.match(e.message, message, JSON.stringify(input.slice(0, 40)));
    // Messages never carry the key's base64.
    assert.ok(!e.message.includes(lines[1].slice(0, 16)), e.message);
  }
});
