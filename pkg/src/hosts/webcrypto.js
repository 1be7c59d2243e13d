// The asynchronous host backend for browsers and workerd (WebCrypto: native code there, 5 to 20
// times faster than the same arithmetic in wasm, and the slim module's only asymmetric crypto).
// - `verifyAsync`: RSA, RSA-PSS, ECDSA and Ed25519 signatures checked in the two passes described
//   in src/wasm/host.rs: the core runs every check up to the signature, this file asks
//   `crypto.subtle.verify`, the core runs the rest. Public keys are imported once from the SPKI
//   DER the core derives, cached under the key's id (ids are never reused). A key or algorithm
//   WebCrypto refuses (Ed25519 in an older browser) is answered `undefined`: the full core then
//   verifies it, the slim one fails closed.
// - `signAsync` (slim module): the core builds the token and hands out the signing input
//   (src/wasm/sign_async.rs); this file signs it with the private key the core handed over once
//   through `importPrivateKey`; the core checks the signature's form and finishes the token.
// - `generateKeyPairAsync` (slim module): WebCrypto generates, the core parses and checks the JWKs.
// A pure factory: the runtime's `subtle` is passed in.

const CURVES = { ES256: "P-256", ES384: "P-384", ES512: "P-521" };
/** Imported keys kept at most; the oldest is dropped (and imported again on its next use). */
const MAX_KEYS = 1024;

/** WebCrypto's names for a JWS algorithm: how to import the key, and how to verify. */
function params(alg) {
  const hash = `SHA-${alg.slice(2)}`;
  if (alg.startsWith("RS")) return { importAs: { name: "RSASSA-PKCS1-v1_5", hash }, verifyAs: { name: "RSASSA-PKCS1-v1_5" } };
  if (alg.startsWith("PS")) return { importAs: { name: "RSA-PSS", hash }, verifyAs: { name: "RSA-PSS", saltLength: Number(alg.slice(2)) / 8 } };
  if (alg.startsWith("ES")) return { importAs: { name: "ECDSA", namedCurve: CURVES[alg] }, verifyAs: { name: "ECDSA", hash } };
  if (alg === "EdDSA") return { importAs: { name: "Ed25519" }, verifyAs: { name: "Ed25519" } };
  return null;
}

/** The layout version of the core's requests (src/crypto/deferred.rs, `REQUEST_VERSION`). */
const REQUEST_VERSION = 2;
/** The first byte of the core's sign requests (src/wasm/sign_async.rs, `SIGN_REQUEST_VERSION`). */
const SIGN_REQUEST_VERSION = 0x53;

/** How WebCrypto signs a JWS algorithm (the JOSE forms: raw r||s for ECDSA, salt = hash length for PSS). */
function signParams(alg) {
  if (alg.startsWith("RS")) return { name: "RSASSA-PKCS1-v1_5" };
  if (alg.startsWith("PS")) return { name: "RSA-PSS", saltLength: Number(alg.slice(2)) / 8 };
  if (alg.startsWith("ES")) return { name: "ECDSA", hash: `SHA-${alg.slice(2)}` };
  if (alg === "EdDSA") return { name: "Ed25519" };
  return null;
}

/** What WebCrypto's generateKey needs for a JWS algorithm (RSA: 2048 bits, e = 65537, as the core's generateKeyPair). */
function generateParams(alg) {
  const p = params(alg);
  if (!p) return null;
  if (alg.startsWith("RS") || alg.startsWith("PS")) return { ...p.importAs, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
  return p.importAs;
}

/**
 * Reads a sign request packed by the core (src/wasm/sign_async.rs): the request id (pass it
 * back with the signature), the key id, the algorithm's name and the signing input, as views of
 * `packed`.
 */
function unpackSign(packed) {
  if (packed[0] !== SIGN_REQUEST_VERSION) throw new TypeError(`jwtward: the core's sign request starts with ${packed[0]}, this host reads ${SIGN_REQUEST_VERSION}`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const nameEnd = 18 + packed[17];
  return {
    requestId: view.getFloat64(1, true),
    keyId: view.getFloat64(9, true),
    alg: String.fromCharCode(...packed.subarray(18, nameEnd)),
    msg: packed.subarray(nameEnd),
  };
}

/**
 * Reads a request packed by the core (src/crypto/deferred.rs, `pack_request`): the request id
 * (pass it back with the verdict: the core applies a verdict only to the exact signature its
 * request carried), the key id, the algorithm's name, the signing input and the signature, as
 * views of `packed`.
 */
function unpack(packed) {
  if (packed[0] !== REQUEST_VERSION) throw new TypeError(`jwtward: the core's request is version ${packed[0]}, this host reads ${REQUEST_VERSION}`);
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const nameEnd = 18 + packed[17];
  const alg = String.fromCharCode(...packed.subarray(18, nameEnd));
  const msgEnd = nameEnd + 4 + view.getUint32(nameEnd, true);
  return {
    requestId: view.getFloat64(1, true),
    keyId: view.getFloat64(9, true),
    alg,
    msg: packed.subarray(nameEnd + 4, msgEnd),
    sig: packed.subarray(msgEnd),
  };
}

/**
 * @param {SubtleCrypto} subtle
 * @param {(keyId: number) => Uint8Array | undefined} spkiOf the core's `hostKeySpki`
 */
export default function createWebCrypto(subtle, spkiOf) {
  /** alg name -> WebCrypto parameters (null: not a WebCrypto algorithm). */
  const PARAMS = new Map();
  const paramsOf = (alg) => {
    if (!PARAMS.has(alg)) PARAMS.set(alg, params(alg));
    return PARAMS.get(alg);
  };
  /** `${id}/${alg}` -> Promise of a CryptoKey, or of null when WebCrypto refused the key. */
  const keys = new Map();

  function importKey(keyId, alg, p) {
    const cacheKey = `${keyId}/${alg}`;
    let key = keys.get(cacheKey);
    if (key === undefined) {
      const spki = spkiOf(keyId);
      if (spki === undefined) return null;
      key = subtle.importKey("spki", spki, p.importAs, false, ["verify"]).catch(() => null);
      if (keys.size >= MAX_KEYS) keys.delete(keys.keys().next().value);
      keys.set(cacheKey, key);
    }
    return key;
  }

  /** The private key (a promise) once it has signed a probe that its public half verifies. */
  async function checkPair(privateKey, alg, p, spki) {
    const [key, publicKey] = await Promise.all([privateKey, subtle.importKey("spki", spki, p.importAs, false, ["verify"])]);
    const probe = new TextEncoder().encode("jwtward: does this private key match its public key?");
    const sig = await subtle.sign(signParams(alg), key, probe);
    if (!(await subtle.verify(signParams(alg), publicKey, sig, probe))) {
      throw new TypeError(`this ${alg} private key does not match its public key (the JWK's "x"/"y" or "n" are another key's)`);
    }
    return key;
  }

  /** `${id}/${alg}` -> Promise of a private CryptoKey (rejected when WebCrypto refused it). */
  const privateKeys = new Map();

  return {
    unpack,
    unpackSign,
    /** Whether the private key `keyId` for `alg` was imported (`importPrivateKey`) and is still cached. */
    hasPrivateKey(keyId, alg) {
      return privateKeys.has(`${keyId}/${alg}`);
    },
    /**
     * Protocol v2's `importPrivateKey`, called by the core (`WasmSigner.exportKeyToHost`) with
     * PKCS#8 DER in wasm memory that is wiped when this returns: WebCrypto copies it
     * synchronously, and so does this function, which wipes its own copy at once. With `spki`
     * (the public half the core holds), the pair is checked once (a signature by the private key
     * must verify with it), so a private JWK whose `x`/`y` are not its `d`'s never signs tokens
     * that its published public key refuses.
     */
    importPrivateKey(keyId, alg, pkcs8, spki) {
      const p = paramsOf(alg);
      if (!p) throw new TypeError(`jwtward: WebCrypto does not sign ${alg}`);
      const copy = pkcs8.slice();
      let key;
      try {
        key = subtle.importKey("pkcs8", copy, p.importAs, false, ["sign"]);
      } finally {
        copy.fill(0);
      }
      if (spki !== undefined) key = checkPair(key, alg, p, spki.slice());
      if (privateKeys.size >= MAX_KEYS) privateKeys.delete(privateKeys.keys().next().value);
      const cacheKey = `${keyId}/${alg}`;
      privateKeys.set(cacheKey, key);
      // A refused key is forgotten, so the next signAsync imports it again (and fails again, loudly).
      key.catch(() => privateKeys.delete(cacheKey));
      return key;
    },
    /** The JWS signature for a packed sign request, by the private key imported under its key id. */
    async sign(packed) {
      const { keyId, alg, msg } = unpackSign(packed);
      const key = privateKeys.get(`${keyId}/${alg}`);
      if (key === undefined) throw new TypeError(`jwtward: no ${alg} private key ${keyId} was imported`);
      return new Uint8Array(await subtle.sign(signParams(alg), await key, msg.slice()));
    },
    /** A new key pair for `alg` from WebCrypto, both halves exported as JWKs (the core then parses and checks them). */
    async generateKeyPair(alg) {
      const p = generateParams(alg);
      if (!p) throw new TypeError(`jwtward: WebCrypto does not generate ${alg} keys`);
      const pair = await subtle.generateKey(p, true, ["sign", "verify"]);
      const [privateJwk, publicJwk] = await Promise.all([subtle.exportKey("jwk", pair.privateKey), subtle.exportKey("jwk", pair.publicKey)]);
      return { privateJwk, publicJwk };
    },
    /**
     * The verdict on a packed core request: true or false, or undefined when WebCrypto cannot
     * check it (the core then does).
     */
    async verify(packed) {
      const { alg, keyId, msg, sig } = unpack(packed);
      const p = paramsOf(alg);
      if (!p) return undefined;
      const key = await importKey(keyId, alg, p);
      if (key === null) return undefined;
      try {
        return await subtle.verify(p.verifyAs, key, sig, msg);
      } catch {
        return undefined;
      }
    },
  };
}
