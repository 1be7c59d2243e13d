// `Signer` (fixed header and registered claims, validated and sent to the core once),
// `generateKeyPair`, and their asynchronous forms `Signer#signAsync` and `generateKeyPairAsync`:
// where the core signs synchronously (the full module, or the slim one with node:crypto) they
// resolve the synchronous result; in browsers and workerd on the slim module, WebCrypto makes
// the signature (the core builds the token and checks the signature's form, src/wasm/sign_async.rs)
// and generates the keys (the core parses and checks them).
import { JwtError, argError, asyncRequired, callCore } from "./errors.js";
import {
  SIGNER_OPTION_NAMES,
  SIGN_OVERRIDE_NAMES,
  checkAlg,
  checkCurrentDate,
  checkDuration,
  checkOptionNames,
  expect,
  isPlainObject,
  isStringArray,
  nowFrom,
  optionsJson,
  toJsonText,
} from "./options.js";

/**
 * @param {{ core: any, Key: any, innerKey: (key: any) => any, wrapKey: (inner: any) => any,
 *           webCrypto?: any, asyncOnly?: boolean }} ctx
 *   `webCrypto`: the WebCrypto host (hosts/webcrypto.js) that signs and generates for the async
 *   methods, when the core cannot do it synchronously (else null); `asyncOnly`: the core has no
 *   synchronous asymmetric crypto, so `sign`/`generateKeyPair` turn its refusal into a TypeError
 *   naming the async method and jwtward/full
 * @returns {{ Signer: any, generateKeyPair: Function, generateKeyPairAsync: Function }}
 */
export function createSigner({ core, Key, innerKey, wrapKey, webCrypto = null, asyncOnly = false }) {
  /** Issues tokens with a private or secret key: fixed header and registered claims, a fresh `jti`, `iat` and `exp`. */
  class Signer {
    #inner;

    constructor(key, opts) {
      if (!(key instanceof Key)) throw argError("new Signer(key, opts): key must be a Key");
      if (!key.isPrivate) throw argError("new Signer(key, opts): signing needs a private key or an HMAC secret, not a public key");
      const o = checkOptionNames(opts, SIGNER_OPTION_NAMES, "Signer options");
      checkAlg(o.alg, "Signer options.alg");
      for (const k of ["kid", "typ", "issuer"]) if (o[k] !== undefined) expect(typeof o[k] === "string", `Signer options.${k}`, "a string");
      if (o.audience !== undefined) expect(typeof o.audience === "string" || isStringArray(o.audience), "Signer options.audience", "a string or an array of strings");
      if (o.expiresIn !== undefined) checkDuration(o.expiresIn, "Signer options.expiresIn");
      if (o.notBefore !== undefined) checkDuration(o.notBefore, "Signer options.notBefore");
      if (o.jti !== undefined) expect(typeof o.jti === "boolean", "Signer options.jti", "a boolean");
      this.#inner = callCore(() => new core.WasmSigner(innerKey(key), JSON.stringify(o)));
    }

    /** Signs `claims` (plus the configured ones) into a compact JWS. */
    sign(claims = {}, overrides) {
      const args = signArgs(claims, overrides, "Signer.sign");
      try {
        return callCore(() => this.#inner.sign(...args));
      } catch (e) {
        throw asyncOnly ? asyncRequired(e, "Signer#sign", "signAsync") : e;
      }
    }

    /** `sign`, for every runtime: with WebCrypto where the core cannot sign synchronously. */
    async signAsync(claims = {}, overrides) {
      const args = signArgs(claims, overrides, "Signer.signAsync");
      const inner = this.#inner;
      if (webCrypto === null) return callCore(() => inner.sign(...args));
      const first = callCore(() => inner.signStart(...args));
      if (typeof first === "string") return first; // HMAC: signed in the core
      const { requestId, keyId, alg } = webCrypto.unpackSign(first);
      // The private key reaches WebCrypto once per key, through the core's host call, never in a request.
      if (!webCrypto.hasPrivateKey(keyId, alg)) callCore(() => inner.exportKeyToHost(webCrypto));
      let signature;
      try {
        signature = await webCrypto.sign(first);
      } catch (e) {
        // WebCrypto's messages name no key material; the pair check's says what is wrong.
        throw new JwtError("ERR_JOSE_NOT_SUPPORTED", `WebCrypto could not sign with this ${alg} key: ${(e && e.message) || e}`, { cause: e });
      }
      return callCore(() => inner.signFinish(requestId, alg, signature));
    }

    get [Symbol.toStringTag]() {
      return "Signer";
    }
  }

  /** The core's arguments of one signature, from the public ones (checked here). */
  function signArgs(claims, overrides, what) {
    if (!isPlainObject(claims)) throw argError(`${what}: claims must be an object`);
    const o = checkOptionNames(overrides, SIGN_OVERRIDE_NAMES, `${what} overrides`);
    if (o.expiresIn !== undefined) checkDuration(o.expiresIn, "overrides.expiresIn");
    if (o.subject !== undefined) {
      expect(typeof o.subject === "string", "overrides.subject", "a string");
      // Like every other claim the Signer sets: one source per claim, never a silent replacement.
      if (Object.prototype.hasOwnProperty.call(claims, "sub") && claims.sub !== undefined) {
        throw argError(`${what}: claims.sub and overrides.subject both set the "sub" claim; give only one`);
      }
    }
    checkCurrentDate(o.currentDate, "overrides.currentDate");
    return [toJsonText(claims, "the claims"), optionsJson(o), nowFrom(o.currentDate)];
  }

  function keyPairOptions(alg, opts, what) {
    checkAlg(alg, `${what}: alg`);
    const o = checkOptionNames(opts, ["kid"], `${what} options`);
    if (o.kid !== undefined) expect(typeof o.kid === "string", `${what} options.kid`, "a string");
    return o;
  }

  function generateWithCore(alg, kid) {
    const pair = callCore(core.generateKeyPair, alg, kid);
    try {
      return { privateKey: wrapKey(pair.privateKey()), publicKey: wrapKey(pair.publicKey()) };
    } finally {
      pair.free();
    }
  }

  /** A fresh asymmetric key pair for `alg` (RS*, PS*, ES*, EdDSA), both halves bound to `alg`. */
  function generateKeyPair(alg, opts) {
    const o = keyPairOptions(alg, opts, "generateKeyPair");
    try {
      return generateWithCore(alg, o.kid);
    } catch (e) {
      throw asyncOnly ? asyncRequired(e, "generateKeyPair", "generateKeyPairAsync") : e;
    }
  }

  /** `generateKeyPair`, for every runtime: with WebCrypto where the core cannot generate synchronously. */
  async function generateKeyPairAsync(alg, opts) {
    const o = keyPairOptions(alg, opts, "generateKeyPairAsync");
    if (webCrypto === null || alg.startsWith("HS")) return generateWithCore(alg, o.kid);
    let jwks;
    try {
      jwks = await webCrypto.generateKeyPair(alg);
    } catch (e) {
      throw new JwtError("ERR_JOSE_NOT_SUPPORTED", `WebCrypto could not generate an ${alg} key pair`, { cause: e });
    }
    // WebCrypto's own usage members go; the pair is bound to `alg` (and `kid`) as generateKeyPair's.
    const bind = ({ key_ops: _ops, ext: _ext, alg: _alg, use: _use, ...jwk }) => Key.fromJwk(o.kid === undefined ? { ...jwk, alg } : { ...jwk, alg, kid: o.kid });
    return { privateKey: bind(jwks.privateJwk), publicKey: bind(jwks.publicJwk) };
  }

  return { Signer, generateKeyPair, generateKeyPairAsync };
}
