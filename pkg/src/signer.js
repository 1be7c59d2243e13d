// `Signer` (fixed header and registered claims, validated and sent to the core once) and
// `generateKeyPair`.
import { argError, callCore } from "./errors.js";
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
 * @param {{ core: any, Key: any, innerKey: (key: any) => any, wrapKey: (inner: any) => any }} ctx
 * @returns {{ Signer: any, generateKeyPair: (alg: string, opts?: { kid?: string }) => { privateKey: any, publicKey: any } }}
 */
export function createSigner({ core, Key, innerKey, wrapKey }) {
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
      if (!isPlainObject(claims)) throw argError("Signer.sign: claims must be an object");
      const o = checkOptionNames(overrides, SIGN_OVERRIDE_NAMES, "Signer.sign overrides");
      if (o.expiresIn !== undefined) checkDuration(o.expiresIn, "overrides.expiresIn");
      if (o.subject !== undefined) {
        expect(typeof o.subject === "string", "overrides.subject", "a string");
        // Like every other claim the Signer sets: one source per claim, never a silent replacement.
        if (Object.prototype.hasOwnProperty.call(claims, "sub") && claims.sub !== undefined) {
          throw argError('Signer.sign: claims.sub and overrides.subject both set the "sub" claim; give only one');
        }
      }
      checkCurrentDate(o.currentDate, "overrides.currentDate");
      return callCore(() => this.#inner.sign(toJsonText(claims, "the claims"), optionsJson(o), nowFrom(o.currentDate)));
    }

    get [Symbol.toStringTag]() {
      return "Signer";
    }
  }

  /** A fresh asymmetric key pair for `alg` (RS*, PS*, ES*, EdDSA), both halves bound to `alg`. */
  function generateKeyPair(alg, opts) {
    checkAlg(alg, "generateKeyPair: alg");
    const o = checkOptionNames(opts, ["kid"], "generateKeyPair options");
    if (o.kid !== undefined) expect(typeof o.kid === "string", "generateKeyPair options.kid", "a string");
    const pair = callCore(core.generateKeyPair, alg, o.kid);
    try {
      return { privateKey: wrapKey(pair.privateKey()), publicKey: wrapKey(pair.publicKey()) };
    } finally {
      pair.free();
    }
  }

  return { Signer, generateKeyPair };
}
