//! The JavaScript boundary, and the only module that knows about wasm-bindgen. Options cross
//! once, as JSON, when a Verifier or Signer is built; the hot path takes a token string and
//! returns the header and payload as the exact JSON text that was signed, which JS parses
//! with `JSON.parse` (cheaper than building JS objects field by field from Rust).
//! Every error becomes one kind of JS object here (`to_js`); the package's JS wraps it in
//! its exported `JwtError` class.

mod host;

use crate::claims::ClaimOptions;
use crate::error::{invalid_argument, jwt_invalid, Error, ErrorCode};
use crate::keys::{Key, KeySet};
use crate::sign::{Signer, SignerOptions};
use crate::verify::{Verifier, VerifyOptions};
use crate::Alg;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

mod refresh;
mod sign_async;

pub(crate) type JsResult<T> = std::result::Result<T, JsValue>;

/// The one conversion from a core error to a JS value: an `Error` named "JwtError" carrying
/// `code` (and `claim`/`reason` for claim failures), or a `TypeError` for misuse of the API.
pub(crate) fn to_js(e: Error) -> JsValue {
    let err: js_sys::Error = if e.code() == ErrorCode::InvalidArgument {
        js_sys::TypeError::new(e.message()).into()
    } else {
        let err = js_sys::Error::new(e.message());
        err.set_name("JwtError");
        err
    };
    // Reflect::set on a fresh Error object cannot fail; ignoring keeps this path panic-free.
    let _ = Reflect::set(&err, &"code".into(), &e.code().as_str().into());
    if let Some(claim) = e.claim_name() {
        let _ = Reflect::set(&err, &"claim".into(), &claim.into());
    }
    if let Some(reason) = e.reason() {
        let _ = Reflect::set(&err, &"reason".into(), &reason.into());
    }
    err.into()
}

fn parse_alg(alg: Option<String>) -> crate::Result<Option<Alg>> {
    alg.map(|a| Alg::parse(&a).map_err(|e| invalid_argument(e.to_string()))).transpose()
}

/// A key, as the JS `Key` class holds it.
#[wasm_bindgen]
pub struct WasmKey {
    inner: Key,
}

#[wasm_bindgen]
impl WasmKey {
    #[wasm_bindgen(js_name = fromSecret)]
    pub fn from_secret(secret: &[u8], alg: Option<String>, kid: Option<String>) -> JsResult<WasmKey> {
        let alg = parse_alg(alg).map_err(to_js)?;
        Key::from_secret(secret, alg, kid).map(|inner| WasmKey { inner }).map_err(to_js)
    }

    #[wasm_bindgen(js_name = fromPem)]
    pub fn from_pem(pem: &str, alg: Option<String>, kid: Option<String>) -> JsResult<WasmKey> {
        let alg = parse_alg(alg).map_err(to_js)?;
        Key::from_pem(pem, alg, kid).map(|inner| WasmKey { inner }).map_err(to_js)
    }

    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(jwk_json: &str) -> JsResult<WasmKey> {
        Key::from_jwk_json(jwk_json).map(|inner| WasmKey { inner }).map_err(to_js)
    }

    #[wasm_bindgen(getter)]
    pub fn kid(&self) -> Option<String> {
        self.inner.kid().map(str::to_owned)
    }

    #[wasm_bindgen(getter)]
    pub fn alg(&self) -> Option<String> {
        self.inner.alg().map(|a| a.as_str().to_owned())
    }

    #[wasm_bindgen(getter)]
    pub fn kty(&self) -> String {
        self.inner.kty().to_owned()
    }

    #[wasm_bindgen(getter, js_name = isPrivate)]
    pub fn is_private(&self) -> bool {
        self.inner.is_private()
    }

    /// Checks a raw signature over `msg` with the backend in force: for the tests that run the
    /// Wycheproof vectors through each backend (not part of the public JS API).
    #[wasm_bindgen(js_name = verifySignature)]
    pub fn verify_signature(&self, alg: &str, msg: &[u8], sig: &[u8]) -> JsResult<()> {
        let alg = Alg::parse(alg).map_err(to_js)?;
        host::with_backend(|backend| self.inner.verify_with(backend, alg, msg, sig)).map_err(to_js)
    }

    /// The first pass of [`WasmKey::verify_signature`] for an asynchronous host, as
    /// `WasmVerifier.verifyStart`: `undefined` when the core has decided (HMAC), else the request.
    #[wasm_bindgen(js_name = verifySignatureStart)]
    pub fn verify_signature_start(&self, alg: &str, msg: &[u8], sig: &[u8]) -> JsResult<Option<Vec<u8>>> {
        let alg = Alg::parse(alg).map_err(to_js)?;
        let deferred = host::DeferredWithSpki(host::Deferred::default());
        let outcome = self.inner.verify_with(&deferred, alg, msg, sig);
        match (deferred.0.request.into_inner(), outcome) {
            (Some(request), _) => Ok(Some(request)),
            (None, Ok(())) => Ok(None),
            (None, Err(e)) => Err(to_js(e)),
        }
    }

    /// The second pass, with the host's verdict on the request (as `WasmVerifier.verifyFinish`).
    #[wasm_bindgen(js_name = verifySignatureFinish)]
    pub fn verify_signature_finish(
        &self,
        alg: &str,
        msg: &[u8],
        sig: &[u8],
        request_id: f64,
        request_alg: &str,
        valid: Option<bool>,
    ) -> JsResult<()> {
        let alg = Alg::parse(alg).map_err(to_js)?;
        let verdict = host::Verdict::take(request_id, request_alg, valid);
        self.inner.verify_with(&verdict, alg, msg, sig).map_err(to_js)
    }

    /// The public JWK as JSON text; throws for secret keys.
    #[wasm_bindgen(js_name = toPublicJwk)]
    pub fn to_public_jwk(&self) -> JsResult<String> {
        let jwk = self.inner.to_public_jwk().map_err(to_js)?;
        serde_json::to_string(&jwk).map_err(|e| to_js(invalid_argument(e.to_string())))
    }
}

/// A set of keys, as the JS `KeySet` class holds it.
#[wasm_bindgen]
pub struct WasmKeySet {
    inner: KeySet,
}

#[wasm_bindgen]
impl WasmKeySet {
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmKeySet {
        WasmKeySet { inner: KeySet::new(Vec::new()) }
    }

    #[wasm_bindgen(js_name = fromJwks)]
    pub fn from_jwks(jwks_json: &str) -> JsResult<WasmKeySet> {
        KeySet::from_jwks_json(jwks_json).map(|inner| WasmKeySet { inner }).map_err(to_js)
    }

    /// A set from a `{ kid: PEM certificate }` document (Google's form for Firebase ID tokens).
    #[wasm_bindgen(js_name = fromX509Map)]
    pub fn from_x509_map(map_json: &str) -> JsResult<WasmKeySet> {
        KeySet::from_x509_map_json(map_json).map(|inner| WasmKeySet { inner }).map_err(to_js)
    }

    /// A set from a document fetched over the network: a JWKS or a `{ kid: certificate }` map
    /// (`KeySet::from_published_json`), with `oct` secrets dropped.
    #[wasm_bindgen(js_name = fromRemoteJwks)]
    pub fn from_remote_jwks(jwks_json: &str) -> JsResult<WasmKeySet> {
        KeySet::from_published_json(jwks_json).map(|inner| WasmKeySet { inner }).map_err(to_js)
    }

    /// The one key a user gave alone (not a set): without a `kid` of its own it verifies
    /// whatever `kid` the token carries (`KeySet::single`).
    pub fn single(key: &WasmKey) -> WasmKeySet {
        WasmKeySet { inner: KeySet::single(key.inner.clone()) }
    }

    /// Members of the JWKS that were skipped (malformed, unsupported, or secrets in a remote set).
    #[wasm_bindgen(getter)]
    pub fn skipped(&self) -> usize {
        self.inner.skipped()
    }

    /// Adds a copy of `key`.
    pub fn add(&mut self, key: &WasmKey) {
        self.inner.push(key.inner.clone());
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.inner.len()
    }

    /// The public JWKS as JSON text (secret keys are left out).
    #[wasm_bindgen(js_name = toJwks)]
    pub fn to_jwks(&self) -> JsResult<String> {
        let jwks = self.inner.to_jwks().map_err(to_js)?;
        serde_json::to_string(&jwks).map_err(|e| to_js(invalid_argument(e.to_string())))
    }
}

impl Default for WasmKeySet {
    fn default() -> Self {
        Self::new()
    }
}

/// A verifier with its keys and options fixed at construction.
#[wasm_bindgen]
pub struct WasmVerifier {
    inner: Verifier,
}

#[wasm_bindgen]
impl WasmVerifier {
    #[wasm_bindgen(constructor)]
    pub fn new(keys: &WasmKeySet, options_json: &str) -> JsResult<WasmVerifier> {
        let options = VerifyOptions::from_json(options_json).map_err(to_js)?;
        Verifier::new(keys.inner.clone(), options).map(|inner| WasmVerifier { inner }).map_err(to_js)
    }

    /// Replaces the keys (a copy of `keys`), keeping the options: for remote key sets.
    #[wasm_bindgen(js_name = setKeys)]
    pub fn set_keys(&mut self, keys: &WasmKeySet) -> JsResult<()> {
        self.inner.set_keys(keys.inner.clone()).map_err(to_js)
    }

    /// Verifies `token` at `now` (epoch seconds); returns `{"header":…,"payload":…}` as JSON text.
    pub fn verify(&self, token: &str, now: f64) -> JsResult<String> {
        let v = host::with_backend(|backend| self.inner.verify_with(token, now, backend)).map_err(to_js)?;
        Ok(verified_json(&v))
    }

    /// `verify` with the token as UTF-8 bytes: JS writes them with `TextEncoder.encodeInto` into a
    /// reused buffer, which for a token of several hundred characters is cheaper than the
    /// character-by-character copy wasm-bindgen does for a string argument.
    #[wasm_bindgen(js_name = verifyUtf8)]
    pub fn verify_utf8(&self, token: &[u8], now: f64) -> JsResult<String> {
        self.verify(utf8_token(token)?, now)
    }

    /// The first pass of a verification by an asynchronous host (see host.rs): the result as
    /// `verify` gives it (HMAC, or a failure before the signature), or the signature to check.
    /// The token arrives as UTF-8 bytes, as in `verifyUtf8`.
    #[wasm_bindgen(js_name = verifyStart)]
    pub fn verify_start(&self, token: &[u8], now: f64) -> JsResult<JsValue> {
        let token = utf8_token(token)?;
        let deferred = host::DeferredWithSpki(host::Deferred::default());
        let outcome = self.inner.verify_with(token, now, &deferred);
        match (deferred.0.request.into_inner(), outcome) {
            (Some(request), _) => Ok(js_sys::Uint8Array::from(request.as_slice()).into()),
            (None, Ok(v)) => Ok(verified_json(&v).into()),
            (None, Err(e)) => Err(to_js(e)),
        }
    }

    /// The second pass: verifies `token` again, with the host's verdict on `verifyStart`'s
    /// request, named by its id and algorithm (`valid` undefined: the host could not check it).
    /// The verdict applies only to the exact signature that request carried.
    #[wasm_bindgen(js_name = verifyFinish)]
    pub fn verify_finish(
        &self,
        token: &[u8],
        now: f64,
        request_id: f64,
        alg: &str,
        valid: Option<bool>,
    ) -> JsResult<String> {
        let token = utf8_token(token)?;
        let verdict = host::Verdict::take(request_id, alg, valid);
        let v = self.inner.verify_with(token, now, &verdict).map_err(to_js)?;
        Ok(verified_json(&v))
    }
}

/// A token handed over as UTF-8 bytes (JS wrote them with `TextEncoder`, so they are valid).
fn utf8_token(token: &[u8]) -> JsResult<&str> {
    std::str::from_utf8(token).map_err(|_| to_js(jwt_invalid("the token is not valid UTF-8")))
}

/// `{"header":…,"payload":…}` as one JSON text, for one `JSON.parse` in JS. Joined by hand:
/// `format!` showed up in the profile of every verification (2-3%).
fn verified_json(v: &crate::verify::Verified) -> String {
    let (header, payload) = (v.header_json.as_str(), v.payload_json.as_str());
    let mut out = String::with_capacity(header.len() + payload.len() + 24);
    for part in ["{\"header\":", header, ",\"payload\":", payload, "}"] {
        out.push_str(part);
    }
    out
}

/// A signer with its key and defaults fixed at construction.
#[wasm_bindgen]
pub struct WasmSigner {
    inner: Signer,
    /// Binds `signStart`'s requests to this signer (sign_async.rs).
    serial: u64,
}

#[wasm_bindgen]
impl WasmSigner {
    #[wasm_bindgen(constructor)]
    pub fn new(key: &WasmKey, options_json: &str) -> JsResult<WasmSigner> {
        let options = SignerOptions::from_json(options_json).map_err(to_js)?;
        Signer::new(key.inner.clone(), options)
            .map(|inner| WasmSigner { inner, serial: sign_async::fresh_signer_serial() })
            .map_err(to_js)
    }

    pub fn sign(&self, claims_json: &str, overrides_json: &str, now: f64) -> JsResult<String> {
        let (claims, overrides) = sign_async::sign_args(claims_json, overrides_json)?;
        self.inner.sign_with(&claims, &overrides, now).map_err(to_js)
    }
}

/// A generated key pair.
#[wasm_bindgen]
pub struct WasmKeyPair {
    private_key: Key,
    public_key: Key,
}

#[wasm_bindgen]
impl WasmKeyPair {
    #[wasm_bindgen(js_name = privateKey)]
    pub fn private_key(&self) -> WasmKey {
        WasmKey { inner: self.private_key.clone() }
    }

    #[wasm_bindgen(js_name = publicKey)]
    pub fn public_key(&self) -> WasmKey {
        WasmKey { inner: self.public_key.clone() }
    }
}

#[wasm_bindgen(js_name = generateKeyPair)]
pub fn generate_key_pair(alg: &str, kid: Option<String>) -> JsResult<WasmKeyPair> {
    let alg = Alg::parse(alg).map_err(|e| to_js(invalid_argument(e.to_string())))?;
    let (private_key, public_key) = Key::generate(alg, kid).map_err(to_js)?;
    Ok(WasmKeyPair { private_key, public_key })
}

/// Decodes WITHOUT verifying: `{"header":…,"payload":…,"signature":"…"}` as JSON text.
#[wasm_bindgen]
pub fn decode(token: &str) -> JsResult<String> {
    let (header, payload, signature) = crate::decode::decode_json(token).map_err(to_js)?;
    Ok(format!("{{\"header\":{header},\"payload\":{payload},\"signature\":\"{signature}\"}}"))
}

/// Decodes the header WITHOUT verifying: JSON text.
#[wasm_bindgen(js_name = decodeHeader)]
pub fn decode_header(token: &str) -> JsResult<String> {
    crate::decode::decode_header_json(token).map_err(to_js)
}

/// [`decode`] under a larger size limit than the default 16 KiB (the caller's `maxTokenSize`).
#[wasm_bindgen(js_name = decodeWithLimit)]
pub fn decode_with_limit(token: &str, max_size: u32) -> JsResult<String> {
    let limit = usize::try_from(max_size).unwrap_or(usize::MAX);
    let (header, payload, signature) = crate::decode::decode_json_with_limit(token, limit).map_err(to_js)?;
    Ok(format!("{{\"header\":{header},\"payload\":{payload},\"signature\":\"{signature}\"}}"))
}

/// [`decode_header`] under a larger size limit than the default 16 KiB.
#[wasm_bindgen(js_name = decodeHeaderWithLimit)]
pub fn decode_header_with_limit(token: &str, max_size: u32) -> JsResult<String> {
    let limit = usize::try_from(max_size).unwrap_or(usize::MAX);
    crate::decode::decode_header_json_with_limit(token, limit).map_err(to_js)
}

/// Seconds in a duration given as text ("30s", "10m"); `name` is the option, for the message.
/// Lets the JS-only parts (remote key sets) read durations by the same rules as the core.
#[wasm_bindgen(js_name = parseDuration)]
pub fn parse_duration(text: &str, name: &str) -> JsResult<f64> {
    crate::duration::DurationInput::Text(text.to_owned()).seconds(name).map_err(to_js)
}

/// SHA-256 of `token`, base64: the key of the verified-token cache (pkg/lib/cache.cjs) where
/// the host has no synchronous hash of its own (browsers, workerd).
#[wasm_bindgen(js_name = cacheKey)]
pub fn cache_key(token: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::base64url::encode(&Sha256::digest(token.as_bytes()))
}

/// Runs the claim checks alone on a payload given as JSON text.
#[wasm_bindgen(js_name = checkClaims)]
pub fn check_claims(payload_json: &str, options_json: &str, now: f64) -> JsResult<()> {
    let payload = crate::json::view::parse_object_view(payload_json)
        .map_err(|e| to_js(invalid_argument(format!("payload must be a JSON object: {e}"))))?;
    let options = ClaimOptions::from_json(options_json).map_err(to_js)?;
    options.check(&payload, now).map_err(to_js)
}
