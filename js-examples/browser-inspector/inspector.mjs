// The token inspector: decodes what is pasted, explains its times, warns about risky headers
// and claims, and verifies it against a key the person supplies. Everything a token contains
// reaches the page through textContent and DOM nodes only, never as HTML.
import { decode, bearerToken, Key, KeySet, remoteKeySet, Verifier } from "jwtward";

const $ = (id) => document.getElementById(id);
const el = {
  token: $("token"),
  decodeStatus: $("decode-status"),
  decoded: $("decoded"),
  warnings: $("warnings"),
  noWarnings: $("no-warnings"),
  headerJson: $("header-json"),
  payloadJson: $("payload-json"),
  timesTable: $("times"),
  timesBody: $("times").tBodies[0],
  timesCaption: $("times-caption"),
  noTimes: $("no-times"),
  lifetime: $("lifetime"),
  signatureInfo: $("signature-info"),
  form: $("verify-form"),
  alg: $("alg"),
  keyText: $("key-text"),
  keyTextLabel: $("key-text-label"),
  keyTextField: $("key-text-field"),
  secretB64Label: $("secret-b64-label"),
  secretB64: $("secret-b64"),
  jwksUrlField: $("jwks-url-field"),
  jwksUrl: $("jwks-url"),
  issuer: $("issuer"),
  audience: $("audience"),
  verifyButton: $("verify"),
  result: $("verify-result"),
};

/** The decoded token on screen, or null. */
let current = null;
/** Set once the person picks a key kind; until then the kind follows the token's alg. */
let keyKindChosen = false;
/** Numbers each verification, so a slow JWKS fetch cannot overwrite a newer result. */
let verification = 0;

const TIME_CLAIMS = ["exp", "nbf", "iat", "auth_time"];
/** The algorithms jwtward verifies: the options of the algorithm select. */
const ALGS = [...el.alg.options].map((o) => o.value).filter(Boolean);
const LONG_LIFETIME = 24 * 3600;
/** How far in the future `iat` or `auth_time` may be before it looks like a clock problem. */
const FUTURE_SLACK = 60;
/** Codes raised only after the signature has verified: the core checks the signature before it parses the payload (README, security defaults). */
const CLAIM_CODES = ["ERR_JWT_EXPIRED", "ERR_JWT_CLAIM_VALIDATION_FAILED"];

// ---------------------------------------------------------------- small DOM helpers

/** An element with a class and children (strings become text nodes: never parsed as HTML). */
function h(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children);
  return node;
}

/** Pretty-printed JSON as DOM nodes, coloured by kind; its text equals JSON.stringify(value, null, 2). */
function jsonNodes(value, indent = "") {
  const out = document.createDocumentFragment();
  const inner = `${indent}  `;
  if (Array.isArray(value) || (value !== null && typeof value === "object")) {
    const entries = Array.isArray(value) ? value.map((v) => [null, v]) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) {
      out.append(open + close);
      return out;
    }
    out.append(`${open}\n`);
    entries.forEach(([key, v], i) => {
      out.append(inner);
      if (key !== null) out.append(h("span", "json-key", JSON.stringify(key)), ": ");
      out.append(jsonNodes(v, inner), i < entries.length - 1 ? ",\n" : "\n");
    });
    out.append(indent + close);
  } else {
    const kind = typeof value === "string" ? "json-string" : typeof value === "number" ? "json-number" : "json-literal";
    out.append(h("span", kind, JSON.stringify(value)));
  }
  return out;
}

function errorNodes(e) {
  const code = e && typeof e.code === "string" ? e.code : (e && e.name) || "Error";
  return [h("code", "error-code", code), " ", h("span", "error-message", (e && e.message) || String(e))];
}

// ---------------------------------------------------------------- times

/** Each unit, how many of it make the next one, and whether a count under 10 gets a tenth ("1.5 d"). */
const UNITS = [["s", 60, false], ["min", 60, false], ["h", 24, true], ["d", 365.25, true], ["y", Infinity, true]];

/**
 * "12 min", "3 h", "1.5 d": the largest unit whose rounded count is at least 1 (3599 s is
 * "1 h", not "60 min").
 */
function duration(seconds) {
  let value = Math.abs(seconds);
  for (const [unit, perNext, tenths] of UNITS) {
    const shown = tenths && value < 10 ? Math.round(value * 10) / 10 : Math.round(value);
    if (shown < perNext) return `${shown} ${unit}`;
    value /= perNext;
  }
}

/** What a time claim means relative to `now`, in words. */
function relativeText(claim, value, now) {
  const delta = value - now;
  const d = duration(delta);
  const future = delta > 0;
  switch (claim) {
    case "exp":
      return future ? `expires in ${d}` : `expired ${d} ago`;
    case "nbf":
      return future ? `becomes valid in ${d}` : `valid since ${d} ago`;
    case "iat":
      return future ? `issued ${d} in the future` : `issued ${d} ago`;
    default:
      return future ? `authenticated ${d} in the future` : `authenticated ${d} ago`;
  }
}

/** A NumericDate a Date can hold, or null. */
function numericDate(v) {
  return typeof v === "number" && Number.isFinite(v) && Math.abs(v) <= 8.64e12 ? v : null;
}

function utcText(seconds) {
  return new Date(seconds * 1000).toISOString().replace("T", " ").replace(/\.\d{3}Z$/, " UTC");
}

function renderTimes() {
  const now = Date.now() / 1000;
  const { payload } = current;
  const rows = TIME_CLAIMS.filter((c) => c in payload).map((claim) => {
    const value = payload[claim];
    const t = numericDate(value);
    const row = h("tr", "", h("th", "", claim), h("td", "mono", JSON.stringify(value)));
    row.dataset.claim = claim;
    if (t === null) {
      row.append(h("td", "", "—"), h("td", "relative bad", "not a NumericDate (a JSON number of seconds)"));
    } else {
      const date = h("time", "", utcText(t));
      date.dateTime = new Date(t * 1000).toISOString();
      date.title = new Date(t * 1000).toLocaleString();
      const past = t <= now;
      const tone = claim === "exp" ? (past ? "bad" : "good") : claim === "nbf" && !past ? "bad" : "";
      row.append(h("td", "", date), h("td", `relative ${tone}`, relativeText(claim, t, now)));
    }
    return row;
  });
  el.timesBody.replaceChildren(...rows);
  el.timesTable.hidden = rows.length === 0;
  el.noTimes.hidden = rows.length > 0;
  el.timesCaption.textContent = `Relative to now, ${utcText(Math.floor(now))} (your clock).`;
  const exp = numericDate(payload.exp);
  const from = ["iat", "nbf"].find((c) => numericDate(payload[c]) !== null);
  let lifetime = "";
  if (exp !== null && from) {
    lifetime = exp >= payload[from] ? `Lifetime (exp − ${from}): ${duration(exp - payload[from])}.` : `exp is before ${from}: the token was never valid.`;
  }
  el.lifetime.textContent = lifetime;
}

// ---------------------------------------------------------------- warnings

/** A kid that reads like a location: a verifier that resolves it may fetch or read attacker-chosen content. */
function looksLikeLocation(kid) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(kid) || kid.startsWith("/") || kid.includes("..") || kid.includes("\\");
}

/**
 * The risks a person should know about, each `{ id, level, title, text }`, level one of
 * "danger", "warning", "notice". The list, and why, is in README.md.
 */
function findWarnings({ header, payload, signature }, now) {
  const out = [];
  const add = (id, level, title, text) => out.push({ id, level, title, text });
  const alg = header.alg;

  if (typeof alg === "string" && alg.toLowerCase() === "none") {
    add("alg-none", "danger", `alg: ${JSON.stringify(alg)}`, "An unsigned token: anyone can write one. jwtward never accepts it; a verifier that does lets anyone forge tokens.");
  } else if (!ALGS.includes(alg)) {
    add("alg-unsupported", "warning", "unknown alg", `The header's alg ${JSON.stringify(alg)} is not a signature algorithm jwtward verifies.`);
  } else if (signature === "") {
    add("no-signature", "danger", "no signature", "The token names an algorithm but carries no signature; it cannot verify.");
  }
  for (const name of ["jku", "x5u"]) {
    if (name in header) add(name, "danger", name, `The token names a URL to fetch its own key from (${name}). Trusting it lets whoever wrote the token choose the key; jwtward never fetches it.`);
  }
  for (const name of ["jwk", "x5c"]) {
    if (name in header) add(name, "danger", name, `The token carries its own key (${name}). A verifier that uses it accepts any token its author signs (CVE-2018-0114); jwtward ignores it.`);
  }
  if (typeof header.kid === "string" && looksLikeLocation(header.kid)) {
    const hmac = typeof alg === "string" && alg.startsWith("HS");
    add(
      "kid-location",
      hmac ? "danger" : "warning",
      "kid looks like a URL or a path",
      hmac
        ? "An HMAC token whose kid names a file or URL: a verifier that loads its secret from there can be pointed at content the attacker knows (kid injection)."
        : "A verifier that resolves kid as a file or URL can be made to load a key the attacker chose. A kid should be an opaque name.",
    );
  }
  if ("crit" in header) {
    add("crit", "warning", "crit", `Critical extensions ${JSON.stringify(header.crit)}: a verifier must refuse the token unless it implements every one. jwtward implements none and refuses it.`);
  }
  if (header.b64 === false) {
    add("b64-false", "warning", "b64: false", "Unencoded payload (RFC 7797): jwtward refuses it. A verifier that ignores b64 checks the signature over different bytes than the signer meant.");
  }

  for (const claim of TIME_CLAIMS) {
    if (claim in payload && numericDate(payload[claim]) === null) {
      add(`${claim}-not-number`, "warning", `${claim} is not a number`, `${claim} must be a JSON number of seconds. jwtward refuses the token; libraries that coerce strings disagree about what it means.`);
    }
  }
  const exp = numericDate(payload.exp);
  const iat = numericDate(payload.iat);
  const start = iat ?? numericDate(payload.nbf) ?? now;
  if (!("exp" in payload)) {
    add("exp-missing", "warning", "no exp", "The token never expires: once leaked, it works until the key is rotated.");
  } else if (exp !== null && exp - start > LONG_LIFETIME) {
    add("long-lifetime", "warning", "long lifetime", `Valid for ${duration(exp - start)} (more than 24 h). Access tokens usually live minutes; a leaked one stays useful for long.`);
  }
  if (exp !== null && exp <= now) add("expired", "notice", "expired", `The token ${relativeText("exp", exp, now)}.`);
  const nbf = numericDate(payload.nbf);
  if (nbf !== null && nbf > now) add("not-yet-valid", "notice", "not yet valid", `The token ${relativeText("nbf", nbf, now)}.`);
  for (const claim of ["iat", "auth_time"]) {
    const t = numericDate(payload[claim]);
    if (t !== null && t > now + FUTURE_SLACK) add(`${claim}-future`, "warning", `${claim} in the future`, `${claim}: ${relativeText(claim, t, now)}. Either a clock is wrong or the token was not made when it claims.`);
  }
  if (!("aud" in payload)) add("aud-missing", "notice", "no aud", "No audience: every service that trusts this issuer would accept the token, not only the one it was meant for.");
  return out;
}

function renderWarnings(warnings) {
  const items = warnings.map((w) => {
    const item = h("li", `warning-${w.level}`, h("span", "level", w.level), " ", h("strong", "", w.title), " ", h("span", "", w.text));
    item.dataset.warning = w.id;
    return item;
  });
  el.warnings.replaceChildren(...items);
  el.noWarnings.hidden = items.length > 0;
}

/** What depends on the time: the relative times and the warnings about expiry. */
function renderClock() {
  if (!current) return;
  renderWarnings(findWarnings(current, Date.now() / 1000));
  renderTimes();
}

// ---------------------------------------------------------------- decoding

function tokenText() {
  const text = el.token.value.trim();
  return bearerToken(text) ?? text;
}

function showDecoded() {
  clearResult();
  const token = tokenText();
  current = null;
  el.decodeStatus.classList.remove("bad");
  if (token === "") {
    el.decoded.hidden = true;
    el.decodeStatus.textContent = "Paste a token to decode it.";
    return;
  }
  try {
    current = { token, ...decode(token) };
  } catch (e) {
    el.decoded.hidden = true;
    el.decodeStatus.classList.add("bad");
    el.decodeStatus.replaceChildren("Cannot decode: ", ...errorNodes(e));
    return;
  }
  const { header, payload, signature } = current;
  el.decodeStatus.textContent = "Decoded. Not verified: anyone can write these claims; verify below to learn who signed them.";
  el.headerJson.replaceChildren(jsonNodes(header));
  el.payloadJson.replaceChildren(jsonNodes(payload));
  el.signatureInfo.textContent = signature === "" ? "none" : `${signature.length} base64url characters`;
  renderClock();
  el.decoded.hidden = false;

  // Default the form to what the header claims; the allowlist stays the person's explicit choice.
  const known = ALGS.includes(header.alg);
  el.alg.value = known ? header.alg : "";
  if (!keyKindChosen && known) setKeyKind(header.alg.startsWith("HS") ? "secret" : "pem");
}

// ---------------------------------------------------------------- verifying

const KEY_LABELS = { secret: "Secret", pem: "PEM (public key, or a private key)", jwk: "JWK or JWKS (JSON)" };

function keyKind() {
  return el.form.elements["key-kind"].value;
}

function setKeyKind(kind) {
  el.form.elements["key-kind"].value = kind;
  const url = kind === "jwks-url";
  el.jwksUrlField.hidden = !url;
  el.keyTextField.hidden = url;
  if (!url) el.keyTextLabel.textContent = KEY_LABELS[kind];
  el.secretB64Label.hidden = kind !== "secret";
}

/** Bytes of standard or URL-safe base64, padded or not. */
function base64Bytes(text) {
  const std = text.replace(/\s+/g, "").replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(std + "=".repeat((4 - (std.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The key source the form describes: a Key, a KeySet or a remote key set. Throws with a
 * message a person can act on. A single pasted key is meant for this token, so it takes the
 * token's kid unless it names its own (jwtward selects keys by kid, and a key without one
 * would match no token that has one).
 */
function keysFromForm() {
  const kid = typeof current.header.kid === "string" ? current.header.kid : undefined;
  const kind = keyKind();
  if (kind === "jwks-url") {
    const url = el.jwksUrl.value.trim();
    if (url === "") throw new Error("Enter the JWKS URL.");
    return remoteKeySet(url, { timeout: "10s" });
  }
  const text = el.keyText.value;
  if (text.trim() === "") throw new Error(`Paste the ${kind === "secret" ? "secret" : kind === "pem" ? "PEM" : "JWK"} first.`);
  if (kind === "secret") return Key.fromSecret(el.secretB64.checked ? base64Bytes(text) : text, { kid });
  if (kind === "pem") return Key.fromPem(text, { kid });
  const json = JSON.parse(text);
  if (json !== null && Array.isArray(json.keys)) return KeySet.fromJwks(json);
  return Key.fromJwk(json !== null && typeof json === "object" && json.kid === undefined && kid !== undefined ? { ...json, kid } : json);
}

function verifyOptions(alg) {
  const options = { algorithms: [alg] };
  const issuer = el.issuer.value.trim();
  const audience = el.audience.value.split(",").map((s) => s.trim()).filter(Boolean);
  if (issuer) options.issuer = issuer;
  if (audience.length) options.audience = audience.length === 1 ? audience[0] : audience;
  return options;
}

/** What the claim checks covered, for a token that passed them. */
function claimOutcome(payload, options) {
  const now = Date.now() / 1000;
  const lines = [];
  const exp = numericDate(payload.exp);
  lines.push(exp === null ? "exp: absent, so the token never expires" : `exp: ${relativeText("exp", exp, now)}`);
  if (numericDate(payload.nbf) !== null) lines.push(`nbf: ${relativeText("nbf", payload.nbf, now)}`);
  lines.push(options.issuer ? `iss: matches ${JSON.stringify(options.issuer)}` : "iss: not checked (no expected issuer given)");
  const audience = [options.audience ?? []].flat().map((a) => JSON.stringify(a));
  lines.push(
    audience.length === 0
      ? "aud: not checked (no expected audience given)"
      : `aud: includes ${audience.length === 1 ? audience[0] : `one of ${audience.join(", ")}`}`,
  );
  return lines;
}

function clearResult() {
  verification += 1;
  el.result.replaceChildren();
  el.result.removeAttribute("data-outcome");
}

function showResult(outcome, ...children) {
  el.result.dataset.outcome = outcome;
  el.result.replaceChildren(...children);
}

async function verifyCurrent() {
  clearResult();
  const mine = verification;
  if (!current) return showResult("error", h("p", "bad", "Paste a token first."));
  const alg = el.alg.value;
  if (!alg) return showResult("error", h("p", "bad", "Choose the algorithm you expect this token to use."));
  const options = verifyOptions(alg);
  el.verifyButton.disabled = true;
  try {
    const keys = keysFromForm();
    if (keyKind() === "jwks-url") showResult("pending", h("p", "muted", `Fetching ${keys.url} …`));
    const { payload } = await new Verifier(keys, options).verifyAsync(current.token);
    if (mine !== verification) return;
    showResult(
      "valid",
      h("p", "good verdict", "✔ Signature valid"),
      h("p", "", `Claims checked and accepted (${alg}):`),
      h("ul", "checks", ...claimOutcome(payload, options).map((line) => h("li", "", line))),
    );
  } catch (e) {
    if (mine !== verification) return;
    if (e instanceof SyntaxError) e = new Error(`The JWK is not valid JSON: ${e.message}`);
    if (e === null || typeof e !== "object") e = new Error(String(e));
    const claimFailed = CLAIM_CODES.includes(e.code);
    const details = [e.claim && `claim: ${e.claim}`, e.reason && `reason: ${e.reason}`].filter(Boolean).join(", ");
    showResult(
      claimFailed ? "claims-failed" : "invalid",
      claimFailed
        ? h("p", "good verdict", "✔ Signature valid, ", h("span", "bad", "✘ but a claim check failed"))
        : h("p", "bad verdict", "✘ Not verified"),
      h("p", "error", ...errorNodes(e)),
      ...(details ? [h("p", "muted", details)] : []),
    );
  } finally {
    el.verifyButton.disabled = false;
  }
}

// ---------------------------------------------------------------- wiring

el.token.addEventListener("input", showDecoded);
el.form.addEventListener("change", (event) => {
  if (event.target.name === "key-kind") {
    keyKindChosen = true;
    setKeyKind(keyKind());
  }
});
el.form.addEventListener("input", clearResult);
el.form.addEventListener("submit", (event) => {
  event.preventDefault();
  verifyCurrent();
});
setInterval(renderClock, 15_000);
setKeyKind(keyKind());
if (el.token.value) showDecoded();
document.documentElement.dataset.ready = "true";
