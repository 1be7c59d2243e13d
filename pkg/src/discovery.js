// Issuer discovery: from an issuer identifier to its metadata document (OpenID Connect
// Discovery 1.0 `/.well-known/openid-configuration`, or RFC 8414
// `/.well-known/oauth-authorization-server`) and from there to its `jwks_uri`. The rules, in one
// place (as oauth4webapi and openid-client apply them, except that the issuer is compared as a
// string, exactly, as both specifications say):
// - the metadata URL is built from the issuer as each specification says; a 3xx is refused
//   (the specifications fix where the document is, and a redirect would let another host answer);
// - the document's `issuer` must be the configured issuer, character for character (OIDC
//   Discovery 4.3, RFC 8414 3.3): "https://id.example" and "https://id.example/" are two issuers;
// - `jwks_uri` must be an absolute https URL; plain http only with `allowHttpLoopback` and only
//   to 127.0.0.0/8, [::1] or localhost (for tests);
// - the body is bounded and read like a JWKS (jwks-response.js); failures are the key set's codes
//   (ERR_JWKS_TIMEOUT, ERR_JWKS_FETCH_FAILED, ERR_JWKS_INVALID): a key source that cannot be
//   reached or trusted is a 503, whichever of its two documents failed.
import { JwtError, argError } from "./errors.js";
import { fetchDocument, fetchOptions } from "./jwks-response.js";
import { checkOptionNames, isPlainObject } from "./options.js";

export const DISCOVERY_TYPES = ["oidc", "oauth2"];
const DISCOVER_OPTION_NAMES = ["type", "timeout", "headers", "fetch", "allowHttpLoopback"];
const WHAT = "issuer metadata";

const isLoopbackHost = (hostname) => hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** Whether `url` (a URL) may be fetched: https, or http to a loopback host when allowed. */
export function allowedScheme(url, allowHttpLoopback) {
  return url.protocol === "https:" || (allowHttpLoopback === true && url.protocol === "http:" && isLoopbackHost(url.hostname));
}

/**
 * The configured issuer, checked: an absolute https URL without query or fragment (RFC 8414 2),
 * kept as the exact string given (it is compared with the metadata's `issuer` as is).
 * @param {string | URL} issuer
 * @returns {string}
 */
export function checkIssuer(issuer, allowHttpLoopback, what) {
  if (issuer instanceof URL) issuer = issuer.href;
  if (typeof issuer !== "string") throw argError(`${what}: issuer must be a string (or a URL), e.g. "https://id.example"`);
  let parsed;
  try {
    parsed = new URL(issuer);
  } catch {
    throw argError(`${what}: issuer must be an absolute https URL, e.g. "https://id.example", got ${JSON.stringify(issuer)}`);
  }
  if (!allowedScheme(parsed, allowHttpLoopback)) {
    throw argError(`${what}: issuer must use https: (plain http is allowed only to a loopback host, with allowHttpLoopback: true, for tests)`);
  }
  if (parsed.search !== "" || parsed.hash !== "" || issuer.includes("?") || issuer.includes("#")) {
    throw argError(`${what}: an issuer identifier has no query or fragment (RFC 8414 section 2)`);
  }
  return issuer;
}

/**
 * Where the metadata of `issuer` is published.
 * - "oidc" (OpenID Connect Discovery 1.0, section 4): `/.well-known/openid-configuration`
 *   appended to the issuer, one terminating "/" removed first.
 * - "oauth2" (RFC 8414, section 3.1): `/.well-known/oauth-authorization-server` inserted between
 *   the host and the path, one terminating "/" of the path removed first.
 * @param {string} issuer checked by checkIssuer
 * @param {"oidc" | "oauth2"} type
 */
export function metadataUrl(issuer, type) {
  const url = new URL(issuer);
  const path = url.pathname.endsWith("/") ? url.pathname.slice(0, -1) : url.pathname;
  url.pathname = type === "oauth2" ? `/.well-known/oauth-authorization-server${path}` : `${path}/.well-known/openid-configuration`;
  return url.href;
}

/**
 * The metadata document `text` fetched from `url`, checked for `issuer`: a JSON object whose
 * `issuer` is exactly `issuer` and whose `jwks_uri` is an allowed absolute URL.
 * @returns {Record<string, unknown> & { issuer: string, jwks_uri: string }}
 */
export function parseMetadata(text, url, issuer, allowHttpLoopback) {
  const invalid = (message) => new JwtError("ERR_JWKS_INVALID", `the ${WHAT} at ${url} ${message}`);
  let metadata;
  try {
    metadata = JSON.parse(text);
  } catch {
    throw invalid("is not JSON");
  }
  if (!isPlainObject(metadata)) throw invalid("is not a JSON object");
  if (typeof metadata.issuer !== "string") throw invalid('has no "issuer" string');
  if (metadata.issuer !== issuer) {
    const slash = metadata.issuer.replace(/\/$/, "") === issuer.replace(/\/$/, "") ? " (they differ by a trailing slash, which is significant: tokens carry the issuer exactly as the metadata spells it)" : "";
    throw invalid(`names the issuer ${JSON.stringify(metadata.issuer)}, not the configured ${JSON.stringify(issuer)}${slash}: configure the issuer exactly as the metadata and the tokens' iss spell it, or check the URL`);
  }
  if (metadata.jwks_uri === undefined) throw invalid('has no "jwks_uri": this issuer publishes no key set there; pass its JWKS URL to remoteKeySet(url) instead');
  if (typeof metadata.jwks_uri !== "string") throw invalid('has a "jwks_uri" that is not a string');
  let jwksUrl;
  try {
    jwksUrl = new URL(metadata.jwks_uri);
  } catch {
    throw invalid(`has a "jwks_uri" that is not an absolute URL: ${JSON.stringify(metadata.jwks_uri)}`);
  }
  if (!allowedScheme(jwksUrl, allowHttpLoopback)) {
    throw invalid(`has a "jwks_uri" that is not https (${JSON.stringify(metadata.jwks_uri)}): keys fetched over plain http could be replaced in transit`);
  }
  return metadata;
}

/**
 * Fetches and checks the metadata of `issuer` (checked by checkIssuer) at `url`.
 * @returns {Promise<{ metadata: Record<string, any>, text: string, maxAge: number | undefined }>}
 */
export async function fetchMetadata({ fetch, url, issuer, headers, timeout, allowHttpLoopback }) {
  const { text, maxAge } = await fetchDocument({ fetch, url, headers, timeout, redirect: "manual", what: WHAT });
  return { metadata: parseMetadata(text, url, issuer, allowHttpLoopback), text, maxAge };
}

/**
 * The options of `discover` and `remoteKeySetFromIssuer` that concern discovery, checked.
 * @returns {{ type: "oidc" | "oauth2", allowHttpLoopback: boolean }}
 */
export function discoveryOptions(o, what) {
  const type = o.type === undefined ? "oidc" : o.type;
  if (!DISCOVERY_TYPES.includes(type)) throw argError(`${what} options.type must be "oidc" (OpenID Connect Discovery, the default) or "oauth2" (RFC 8414)`);
  if (o.allowHttpLoopback !== undefined && typeof o.allowHttpLoopback !== "boolean") throw argError(`${what} options.allowHttpLoopback must be a boolean`);
  return { type, allowHttpLoopback: o.allowHttpLoopback === true };
}

/**
 * @param {{ millis: (value: unknown, name: string, what: string) => number }} ctx
 */
export function createDiscover({ millis }) {
  /**
   * The metadata document of `issuer`, fetched now (not cached: keep the result, or use
   * `remoteKeySetFromIssuer`, which caches it like its key set).
   * @param {string | URL} issuer
   * @param {{ type?: "oidc" | "oauth2", timeout?: number | string, headers?: Record<string, string>,
   *           fetch?: typeof fetch, allowHttpLoopback?: boolean }} [options]
   */
  async function discover(issuer, options) {
    const what = "discover";
    const o = { timeout: "5s", ...checkOptionNames(options, DISCOVER_OPTION_NAMES, `${what} options`) };
    const { type, allowHttpLoopback } = discoveryOptions(o, what);
    const checked = checkIssuer(issuer, allowHttpLoopback, what);
    const { fetch, headers, timeout } = fetchOptions(o, what, millis);
    const url = metadataUrl(checked, type);
    const { metadata } = await fetchMetadata({ fetch, url, issuer: checked, headers: { accept: "application/json", ...headers }, timeout, allowHttpLoopback });
    return metadata;
  }
  return { discover };
}
