//! Signing by an asynchronous host (WebCrypto in browsers and workerd, for the slim module's
//! `signAsync`), in two steps. The core keeps everything but the arithmetic:
//! - `signStart` builds the header and claims exactly as `sign` does and records, under a fresh
//!   request id, the signer, key, algorithm and signing input; it returns the request (packed as
//!   [`pack`] says) for the host to sign. HMAC never leaves the core: a secret key's token is
//!   returned at once.
//! - `signFinish(requestId, alg, signature)` takes (consumes) that record, checks that it belongs
//!   to this very signer and algorithm and that the signature has the form the algorithm and key
//!   require (exact length; RSA below the modulus; ECDSA r and s in [1, n-1]; Ed25519 canonical
//!   S), and joins the recorded signing input with it. The token's header and claims are thus
//!   always the ones the core built for that request: a signature, or a request id, from another
//!   request or another signer never completes this one, and no request completes twice.
//! - `exportKeyToHost(host)` hands the private key, as PKCS#8 DER, to `host.importPrivateKey(keyId,
//!   alg, pkcs8, spki)` (protocol v2's method, plus the public half for a pairwise check): the
//!   only way private material reaches the host; it is never part of a request. The host caches
//!   what it imported under the key id (never reused).

use super::{to_js, JsResult, WasmSigner};
use crate::alg::Alg;
use crate::base64url;
use crate::crypto::pending::{PendingQueue, Weighed};
use crate::crypto::{checks, host::precheck, KeyMaterial};
use crate::error::{invalid_argument, Error, ErrorCode};
use crate::json::parse_object;
use crate::keys::KeyOp;
use crate::sign::SignOverrides;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;

/// Requests awaiting their signature, at most; the oldest is forgotten first (its signature is
/// then refused). Far more than the tokens a process signs at once.
const MAX_PENDING: usize = 1024;

/// Bytes of signing inputs kept for pending requests, at most (as verifyAsync's requests:
/// src/crypto/deferred.rs); the oldest is forgotten first.
const MAX_PENDING_BYTES: usize = 4 << 20;

/// The first byte of a packed sign request (a verify request starts with 2, see
/// src/crypto/deferred.rs): pkg/src/hosts/webcrypto.js reads this layout.
pub const SIGN_REQUEST_VERSION: u8 = 0x53;

struct Pending {
    signer: u64,
    alg: Alg,
    signing_input: String,
}

impl Weighed for Pending {
    fn weight(&self) -> usize {
        self.signing_input.len()
    }
}

thread_local! {
    static PENDING: RefCell<PendingQueue<Pending>> = const { RefCell::new(PendingQueue::new(MAX_PENDING, MAX_PENDING_BYTES)) };
    static NEXT_SIGNER: Cell<u64> = const { Cell::new(1) };
}

/// A process-unique number for each `WasmSigner`, so a request binds to the signer that made it.
pub(super) fn fresh_signer_serial() -> u64 {
    NEXT_SIGNER.with(|next| {
        let serial = next.get();
        next.set(serial.wrapping_add(1));
        serial
    })
}

fn record(signer: u64, alg: Alg, signing_input: String) -> Option<u64> {
    PENDING.with(|pending| Some(pending.try_borrow_mut().ok()?.push(Pending { signer, alg, signing_input })))
}

/// Takes (removes) request `request` of signer `signer`. A request of another signer is left in
/// place (that signer may still finish it) and refused.
fn take(request: f64, signer: u64) -> Result<Pending, JsValue> {
    let missing = || refused("it answers no pending request");
    if request.fract() != 0.0 || !(1.0..9_007_199_254_740_992.0).contains(&request) {
        return Err(missing());
    }
    let request = request as u64;
    PENDING.with(|pending| {
        let mut pending = pending.try_borrow_mut().map_err(|_| missing())?;
        if pending.get(request).ok_or_else(missing)?.signer != signer {
            return Err(refused("it answers a request of another Signer"));
        }
        pending.take(request).ok_or_else(missing)
    })
}

/// A sign request in one byte string: [`SIGN_REQUEST_VERSION`] (1 byte), the request id (f64
/// little-endian), the key id (f64 little-endian), the algorithm's name (its length, 1 byte, then
/// ASCII), then the signing input (the rest).
fn pack(request: u64, key_id: u64, alg: Alg, signing_input: &[u8]) -> Option<Vec<u8>> {
    let name = alg.as_str().as_bytes();
    let mut out = Vec::with_capacity(18usize.checked_add(name.len())?.checked_add(signing_input.len())?);
    out.push(SIGN_REQUEST_VERSION);
    // Ids stay far below 2^53, so the conversions are exact.
    out.extend_from_slice(&(request as f64).to_le_bytes());
    out.extend_from_slice(&(key_id as f64).to_le_bytes());
    out.push(u8::try_from(name.len()).ok()?);
    out.extend_from_slice(name);
    out.extend_from_slice(signing_input);
    Some(out)
}

/// The claims and per-token overrides as `sign` and `signStart` receive them (JSON text).
pub(super) fn sign_args(claims_json: &str, overrides_json: &str) -> JsResult<(Map<String, Value>, SignOverrides)> {
    let claims = parse_object(claims_json.as_bytes())
        .map_err(|e| to_js(invalid_argument(format!("claims must be a JSON object: {e}"))))?;
    let overrides: SignOverrides = serde_json::from_str(overrides_json)
        .map_err(|e| to_js(invalid_argument(format!("invalid sign options: {e}"))))?;
    Ok((claims, overrides))
}

/// The one error of a signature or request the core will not turn into a token. It never
/// carries the signature.
fn refused(what: &str) -> JsValue {
    to_js(Error::new(ErrorCode::NotSupported, format!("the host's signature was refused: {what}")))
}

/// Whether `sig` has the form every signature of `alg` by this key has (what the core can check
/// without the arithmetic).
fn well_formed(key: &KeyMaterial, alg: Alg, sig: &[u8]) -> bool {
    if precheck(key, alg, sig).is_err() {
        return false;
    }
    match key {
        // A signature is a number below the modulus (RFC 8017 8.1.1, 8.2.1): same length, so
        // big-endian order is byte order.
        KeyMaterial::Rsa(k) => sig < k.n.as_slice(),
        KeyMaterial::Ec(k) => {
            let (r, s) = sig.split_at(sig.len() / 2);
            checks::ec_scalar(k.curve, r) && checks::ec_scalar(k.curve, s)
        }
        KeyMaterial::Ed25519(_) | KeyMaterial::Secret(_) => true,
    }
}

#[wasm_bindgen]
extern "C" {
    /// The part of the host crypto object (protocol v2) that receives a private key.
    pub type PrivateKeyHost;

    #[wasm_bindgen(method, catch, js_name = importPrivateKey)]
    fn import_private_key(
        this: &PrivateKeyHost,
        id: f64,
        alg: &str,
        pkcs8: &[u8],
        spki: &[u8],
    ) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen]
impl WasmSigner {
    /// The first step of `signAsync`: the token itself (HMAC: signed here), or a request for the
    /// host (a `Uint8Array`, laid out as [`pack`] says).
    #[wasm_bindgen(js_name = signStart)]
    pub fn sign_start(&self, claims_json: &str, overrides_json: &str, now: f64) -> JsResult<JsValue> {
        let (claims, overrides) = sign_args(claims_json, overrides_json)?;
        let signer = &self.inner;
        let (key, alg) = (signer.key(), signer.alg());
        if matches!(key.material(), KeyMaterial::Secret(_)) {
            return signer.sign_with(&claims, &overrides, now).map(JsValue::from).map_err(to_js);
        }
        // What `Key::sign` checks before the arithmetic.
        key.check_use_for(alg, KeyOp::Sign).map_err(to_js)?;
        if !key.is_private() {
            return Err(to_js(crate::error::not_supported("signing needs a private key")));
        }
        let signing_input = signer.signing_input(&claims, &overrides, now).map_err(to_js)?;
        let bytes = signing_input.as_bytes().to_vec();
        record(self.serial, alg, signing_input)
            .and_then(|request| pack(request, key.id().get(), alg, &bytes))
            .map(|p| js_sys::Uint8Array::from(p.as_slice()).into())
            .ok_or_else(|| to_js(invalid_argument("the token is too large to sign")))
    }

    /// The second step: the token of request `request_id` (named with its algorithm, as the
    /// host read it) with the host's `signature`, once the core has checked both.
    #[wasm_bindgen(js_name = signFinish)]
    pub fn sign_finish(&self, request_id: f64, alg: &str, signature: &[u8]) -> JsResult<String> {
        let pending = take(request_id, self.serial)?;
        let signer = &self.inner;
        if Alg::parse(alg).ok() != Some(pending.alg) || pending.alg != signer.alg() {
            return Err(refused("it names another algorithm than its request"));
        }
        if !well_formed(signer.key().material(), pending.alg, signature) {
            return Err(refused(&format!("it does not have the form of an {} signature by this key", pending.alg)));
        }
        let mut token = pending.signing_input;
        token.push('.');
        token.push_str(&base64url::encode(signature));
        Ok(token)
    }

    /// The id under which the host caches this signer's private key (as in requests).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> f64 {
        self.inner.key().id().get() as f64
    }

    /// Hands the private key to `host.importPrivateKey(keyId, alg, pkcs8, spki)`. `pkcs8` is a
    /// view of wasm memory, wiped when the call returns: the host copies what it needs
    /// synchronously. `spki` is the key's public half as the core knows it: without a
    /// synchronous host the slim core cannot check that a private JWK's `x`/`y` belong to its
    /// `d`, so the host checks the pair (a signature by one verifies with the other) before it
    /// signs anything. Returns what the host returned (a promise, for WebCrypto).
    #[wasm_bindgen(js_name = exportKeyToHost)]
    pub fn export_key_to_host(&self, host: &PrivateKeyHost) -> JsResult<JsValue> {
        let key = self.inner.key();
        let alg = self.inner.alg();
        let pkcs8 = key
            .material()
            .host_pkcs8_der()
            .map_err(to_js)?
            .ok_or_else(|| to_js(crate::error::not_supported("signing needs a private key")))?;
        let spki = key.material().spki_der().map_err(to_js)?;
        host.import_private_key(key.id().get() as f64, alg.as_str(), &pkcs8, &spki).map_err(|_| {
            to_js(Error::new(ErrorCode::NotSupported, format!("the host could not import this {alg} key")))
        })
    }
}
