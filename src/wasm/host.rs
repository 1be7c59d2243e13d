//! The host-native signature backend: signatures checked by the JavaScript host's own crypto
//! (node:crypto in Node, see pkg/lib/node-crypto.cjs), 10 to 20 times faster than the same
//! arithmetic in wasm. Only the signature goes to the host, after the core's own checks of it
//! ([`crate::crypto::host::precheck`]); every other check stays in the core, in the core's order.
//!
//! The host is an object installed once per instance with `setHostCrypto` (none: the pure-Rust
//! backend). Its protocol:
//! - `verify(id, alg, msg, sig)`: 1 valid, 0 invalid, -1 "key `id` not imported yet",
//!   -2 "not handled here, use the core" (a key the host could not import);
//! - `importKey(id, alg, spki)`: imports the key's SPKI DER under `id`.
//!
//! `alg` is the index in [`Alg::ALL`]. HMAC stays in the core: secrets never leave wasm, and the
//! core's HMAC is as fast as a call into the host for a token-sized message. A host that throws
//! is never trusted: the core verifies instead.
//!
//! Hosts whose crypto is asynchronous (WebCrypto in browsers and workerd) are used by
//! `verifyAsync` in two passes over the same token, each running the core's whole sequence of
//! checks: the first stops at the signature and hands it out ([`Deferred`], packed by
//! [`pack_request`]),
//! the second receives the host's verdict for exactly that key and algorithm ([`Verdict`]) and
//! goes on to the payload and claims. A verdict for anything else is ignored: the core verifies.

use crate::alg::Alg;
use crate::crypto::{host::precheck, verification_failed, KeyId, KeyMaterial, RustCrypto, SignatureBackend};
use crate::error::Result;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The host crypto object (the protocol above).
    pub type HostCrypto;

    #[wasm_bindgen(method, catch)]
    fn verify(this: &HostCrypto, id: f64, alg: u32, msg: &[u8], sig: &[u8]) -> std::result::Result<i32, JsValue>;

    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(this: &HostCrypto, id: f64, alg: u32, spki: &[u8]) -> std::result::Result<(), JsValue>;
}

thread_local! {
    static HOST: RefCell<Option<HostCrypto>> = const { RefCell::new(None) };
}

/// Installs (or, with `undefined`, removes) the host crypto of this wasm instance.
#[wasm_bindgen(js_name = setHostCrypto)]
pub fn set_host_crypto(host: Option<HostCrypto>) {
    HOST.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = host;
        }
    });
}

/// Runs `f` with the backend in force: the host's when one is installed, else the core's.
pub(crate) fn with_backend<R>(f: impl FnOnce(&dyn SignatureBackend) -> R) -> R {
    HOST.with(|slot| match slot.try_borrow() {
        Ok(guard) => match guard.as_ref() {
            Some(host) => f(&HostBackend(host)),
            None => f(&RustCrypto),
        },
        Err(_) => f(&RustCrypto),
    })
}

struct HostBackend<'a>(&'a HostCrypto);

const VALID: i32 = 1;
const INVALID: i32 = 0;
const NOT_IMPORTED: i32 = -1;

impl SignatureBackend for HostBackend<'_> {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if matches!(key, KeyMaterial::Secret(_)) {
            return RustCrypto.verify(key, id, alg, msg, sig);
        }
        precheck(key, alg, sig)?;
        let index = alg_index(alg);
        // Ids stay far below 2^53, so the conversion is exact.
        let js_id = id.get() as f64;
        let mut answer = self.0.verify(js_id, index, msg, sig);
        if matches!(answer, Ok(NOT_IMPORTED)) {
            if let Ok(spki) = key.spki_der() {
                if self.0.import_key(js_id, index, &spki).is_ok() {
                    answer = self.0.verify(js_id, index, msg, sig);
                }
            }
        }
        match answer {
            Ok(VALID) => Ok(()),
            Ok(INVALID) => Err(verification_failed()),
            // Not handled, not importable, or the host threw: the core decides.
            _ => RustCrypto.verify(key, id, alg, msg, sig),
        }
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        RustCrypto.sign(key, alg, msg)
    }
}

/// A signature the core wants the (asynchronous) host to check, packed into one byte string
/// for JS (one copy out of wasm, no object to free): the algorithm's index (1 byte), the key
/// id (f64, little-endian, 8 bytes), the signing input's length (u32, little-endian, 4 bytes),
/// the signing input, then the signature. The key's SPKI DER, needed once per key, is fetched
/// with `hostKeySpki(keyId)`. pkg/lib/webcrypto.cjs reads this layout.
fn pack_request(alg: Alg, id: KeyId, msg: &[u8], sig: &[u8]) -> Option<Vec<u8>> {
    let alg = u8::try_from(alg_index(alg)).ok()?;
    let msg_len = u32::try_from(msg.len()).ok()?;
    let mut out = Vec::with_capacity(13usize.checked_add(msg.len())?.checked_add(sig.len())?);
    out.push(alg);
    // Ids stay far below 2^53, so the conversion is exact.
    out.extend_from_slice(&(id.get() as f64).to_le_bytes());
    out.extend_from_slice(&msg_len.to_le_bytes());
    out.extend_from_slice(msg);
    out.extend_from_slice(sig);
    Some(out)
}

/// The most SPKI encodings kept by [`spki_of`].
const MAX_SPKI: usize = 256;

thread_local! {
    /// SPKI DER by key id, for the asynchronous host: it imports a key once, but encoding it
    /// (an EC point, say) on every request would cost more than the rest of the request.
    static SPKI: RefCell<HashMap<u64, Rc<[u8]>>> = RefCell::new(HashMap::new());
}

/// The SPKI DER of `key`, encoded once per key id.
fn spki_of(key: &KeyMaterial, id: KeyId) -> Option<Rc<[u8]>> {
    SPKI.with(|cache| {
        let mut cache = cache.try_borrow_mut().ok()?;
        if let Some(der) = cache.get(&id.get()) {
            return Some(der.clone());
        }
        let der: Rc<[u8]> = key.spki_der().ok()?.into();
        if cache.len() >= MAX_SPKI {
            cache.clear();
        }
        cache.insert(id.get(), der.clone());
        Some(der)
    })
}

/// The SPKI DER of the key a request named, for the host to import it (`undefined` if it is no
/// longer cached: the host then answers "cannot check" and the core verifies).
#[wasm_bindgen(js_name = hostKeySpki)]
pub fn host_key_spki(key_id: f64) -> Option<Vec<u8>> {
    SPKI.with(|cache| cache.try_borrow().ok()?.get(&(key_id as u64)).map(|der| der.to_vec()))
}

fn alg_index(alg: Alg) -> u32 {
    Alg::ALL.iter().position(|a| *a == alg).and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX)
}

/// The first pass: HMAC is verified at once; any other signature that passes the prechecks is
/// recorded for the host, and the pass stops there with a failure nobody sees.
#[derive(Default)]
pub(crate) struct Deferred {
    /// Packed by [`pack_request`].
    pub(crate) request: RefCell<Option<Vec<u8>>>,
}

impl SignatureBackend for Deferred {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if matches!(key, KeyMaterial::Secret(_)) {
            return RustCrypto.verify(key, id, alg, msg, sig);
        }
        precheck(key, alg, sig)?;
        let (Some(_), Some(request)) = (spki_of(key, id), pack_request(alg, id, msg, sig)) else {
            return RustCrypto.verify(key, id, alg, msg, sig);
        };
        if let Ok(mut slot) = self.request.try_borrow_mut() {
            *slot = Some(request);
        }
        Err(verification_failed())
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        RustCrypto.sign(key, alg, msg)
    }
}

/// The second pass: the host's verdict on the signature of key `key_id` with algorithm `alg`
/// (`None`: the host could not check it). Any other question goes to the core.
pub(crate) struct Verdict {
    pub(crate) key_id: f64,
    pub(crate) alg: u32,
    pub(crate) valid: Option<bool>,
}

impl SignatureBackend for Verdict {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        let answered =
            !matches!(key, KeyMaterial::Secret(_)) && id.get() as f64 == self.key_id && alg_index(alg) == self.alg;
        match (answered, self.valid) {
            (true, Some(valid)) => {
                precheck(key, alg, sig)?;
                if valid {
                    Ok(())
                } else {
                    Err(verification_failed())
                }
            }
            _ => RustCrypto.verify(key, id, alg, msg, sig),
        }
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        RustCrypto.sign(key, alg, msg)
    }
}
