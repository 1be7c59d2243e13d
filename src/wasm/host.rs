//! The host-native crypto: signatures checked and made, keys generated and public keys derived
//! by the JavaScript host's own crypto (node:crypto in Node, see pkg/src/hosts/node-crypto.js),
//! 10 to 20 times faster than the same arithmetic in wasm, and the only asymmetric crypto the
//! slim module has. Only a signature goes to the host, after the core's own checks of it
//! ([`crate::crypto::host::precheck`]); every other check stays in the core, in the core's order.
//!
//! The host is an object installed once per instance with `setHostCrypto` (none: the core's own
//! backend). Protocol v2; algorithms cross by their JOSE name ("RS256"), never by an index, so a
//! table mismatch cannot pick another algorithm. Every method is optional (a missing one, or
//! one that throws, counts as "not offered"):
//! - `verify(id: number, alg: string, msg: Uint8Array, sig: Uint8Array): number`: 1 valid,
//!   0 invalid, -1 "key `id` not imported yet", -2 "not handled here";
//! - `importKey(id: number, alg: string, spki: Uint8Array): void`: imports a public key;
//! - `sign(id: number, alg: string, msg: Uint8Array): Uint8Array | undefined`: the JWS signature
//!   (raw r||s for ECDSA, modulus length for RSA), `undefined` when private key `id` is not
//!   imported yet;
//! - `importPrivateKey(id: number, alg: string, pkcs8: Uint8Array): void`;
//! - `generateKeyPair(alg: string): Uint8Array`: a new private key as PKCS#8 DER;
//! - `derivePublic(alg: string, pkcs8: Uint8Array): Uint8Array`: its public key as SPKI DER.
//!
//! Key ids are never reused, so a cached host key never stands for another key. Nothing the
//! host returns is trusted: signatures are length-checked, keys are imported and validated by
//! the core, and a host that throws is treated as absent. HMAC stays in the core: secrets never
//! leave wasm. Without a host that answers, the full module verifies and signs itself; the slim
//! one fails with ERR_JOSE_NOT_SUPPORTED saying to use the async methods or jwtward/full.
//!
//! Hosts whose crypto is asynchronous (WebCrypto) are used by `verifyAsync` in two passes, whose
//! verdicts are bound to their request: see [`crate::crypto::deferred`].

use crate::alg::Alg;
use crate::crypto::hostcall::{self, Host};
use crate::crypto::{host::precheck, verification_failed, KeyId, KeyMaterial, RustCrypto, SignatureBackend};
use crate::error::{ErrorCode, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

pub(crate) use crate::crypto::deferred::{Deferred, Verdict};

#[wasm_bindgen]
extern "C" {
    /// The host crypto object (the protocol above).
    #[derive(Clone)]
    pub type HostCrypto;

    #[wasm_bindgen(method, catch)]
    fn verify(this: &HostCrypto, id: f64, alg: &str, msg: &[u8], sig: &[u8]) -> std::result::Result<i32, JsValue>;

    #[wasm_bindgen(method, catch, js_name = importKey)]
    fn import_key(this: &HostCrypto, id: f64, alg: &str, spki: &[u8]) -> std::result::Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = sign)]
    fn host_sign(this: &HostCrypto, id: f64, alg: &str, msg: &[u8]) -> std::result::Result<Option<Vec<u8>>, JsValue>;

    #[wasm_bindgen(method, catch, js_name = importPrivateKey)]
    fn import_private_key(this: &HostCrypto, id: f64, alg: &str, pkcs8: &[u8]) -> std::result::Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = generateKeyPair)]
    fn generate_key_pair(this: &HostCrypto, alg: &str) -> std::result::Result<Option<Vec<u8>>, JsValue>;

    #[wasm_bindgen(method, catch, js_name = derivePublic)]
    fn derive_public(this: &HostCrypto, alg: &str, pkcs8: &[u8]) -> std::result::Result<Option<Vec<u8>>, JsValue>;
}

thread_local! {
    static HOST: RefCell<Option<HostCrypto>> = const { RefCell::new(None) };
}

/// Whether the host object has a method of this name (absent ones are "not offered", without
/// the cost of a call that throws).
fn offers(host: &HostCrypto, name: &str) -> bool {
    js_sys::Reflect::get(host, &JsValue::from_str(name)).is_ok_and(|f| f.is_function())
}

/// Installs (or, with `undefined`, removes) the host crypto of this wasm instance.
#[wasm_bindgen(js_name = setHostCrypto)]
pub fn set_host_crypto(host: Option<HostCrypto>) {
    let sync: Option<Rc<dyn Host>> = host.as_ref().map(|h| {
        Rc::new(SyncHost {
            host: h.clone(),
            sign: offers(h, "sign") && offers(h, "importPrivateKey"),
            generate: offers(h, "generateKeyPair"),
            derive: offers(h, "derivePublic"),
        }) as Rc<dyn Host>
    });
    HOST.with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = host;
        }
    });
    hostcall::set_host(sync);
}

/// Runs `f` with the backend in force: the host's when one is installed, else the core's.
pub(crate) fn with_backend<R>(f: impl FnOnce(&dyn SignatureBackend) -> R) -> R {
    HOST.with(|slot| match slot.try_borrow() {
        Ok(guard) => match guard.as_ref() {
            Some(host) => f(&HostBackend(host)),
            None => f(&crate::crypto::Core),
        },
        Err(_) => f(&crate::crypto::Core),
    })
}

struct HostBackend<'a>(&'a HostCrypto);

const VALID: i32 = 1;
const INVALID: i32 = 0;
const NOT_IMPORTED: i32 = -1;

/// Ids stay far below 2^53, so the conversion is exact.
fn js_id(id: KeyId) -> f64 {
    id.get() as f64
}

impl SignatureBackend for HostBackend<'_> {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if matches!(key, KeyMaterial::Secret(_)) {
            return RustCrypto.verify(key, id, alg, msg, sig);
        }
        precheck(key, alg, sig)?;
        let name = alg.as_str();
        let mut answer = self.0.verify(js_id(id), name, msg, sig);
        if matches!(answer, Ok(NOT_IMPORTED)) {
            if let Ok(spki) = key.spki_der() {
                if self.0.import_key(js_id(id), name, &spki).is_ok() {
                    answer = self.0.verify(js_id(id), name, msg, sig);
                }
            }
        }
        match answer {
            Ok(VALID) => Ok(()),
            Ok(INVALID) => Err(verification_failed()),
            // Not handled, not importable, or the host threw: the core decides (the slim core
            // cannot, and says so).
            _ => RustCrypto.verify(key, id, alg, msg, sig),
        }
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        crate::crypto::Core.sign(key, alg, msg)
    }
}

/// The host's synchronous operations, as [`crate::crypto::hostcall`] calls them.
struct SyncHost {
    host: HostCrypto,
    sign: bool,
    generate: bool,
    derive: bool,
}

/// A host's refusal, without its message: the host may have put key material in it.
fn host_failed(what: &str) -> crate::error::Error {
    crate::error::Error::new(ErrorCode::NotSupported, format!("the host's crypto failed {what}"))
}

impl Host for SyncHost {
    fn sign(
        &self,
        id: KeyId,
        alg: Alg,
        pkcs8: &dyn Fn() -> Result<Zeroizing<Vec<u8>>>,
        msg: &[u8],
    ) -> Option<Result<Vec<u8>>> {
        if !self.sign {
            return None;
        }
        let name = alg.as_str();
        let first = self.host.host_sign(js_id(id), name, msg);
        let answer = match first {
            Ok(Some(sig)) => Ok(Some(sig)),
            Ok(None) => {
                let der = match pkcs8() {
                    Ok(der) => der,
                    Err(e) => return Some(Err(e)),
                };
                match self.host.import_private_key(js_id(id), name, &der) {
                    Ok(()) => self.host.host_sign(js_id(id), name, msg),
                    Err(_) => return Some(Err(host_failed(&format!("to import an {name} private key")))),
                }
            }
            Err(e) => Err(e),
        };
        Some(match answer {
            Ok(Some(sig)) => Ok(sig),
            _ => Err(host_failed(&format!("to sign with {name}"))),
        })
    }

    fn generate(&self, alg: Alg) -> Option<Result<Zeroizing<Vec<u8>>>> {
        if !self.generate {
            return None;
        }
        Some(match self.host.generate_key_pair(alg.as_str()) {
            Ok(Some(der)) => Ok(Zeroizing::new(der)),
            _ => Err(host_failed(&format!("to generate an {alg} key"))),
        })
    }

    fn derive_public(&self, alg: Alg, pkcs8: &[u8]) -> Option<Result<Vec<u8>>> {
        if !self.derive {
            return None;
        }
        Some(match self.host.derive_public(alg.as_str(), pkcs8) {
            Ok(Some(der)) => Ok(der),
            _ => Err(host_failed(&format!("to derive the public key of an {} private key", alg.kty()))),
        })
    }
}

/// The most SPKI encodings kept by [`spki_of`].
const MAX_SPKI: usize = 256;

thread_local! {
    /// SPKI DER by key id, for the asynchronous host: it imports a key once, but encoding it
    /// on every request would cost more than the rest of the request.
    static SPKI: RefCell<HashMap<u64, Rc<[u8]>>> = RefCell::new(HashMap::new());
}

/// Records the SPKI DER of `key` for [`host_key_spki`], encoded once per key id.
pub(crate) fn remember_spki(key: &KeyMaterial, id: KeyId) {
    SPKI.with(|cache| {
        let Ok(mut cache) = cache.try_borrow_mut() else { return };
        if cache.contains_key(&id.get()) {
            return;
        }
        let Ok(der) = key.spki_der() else { return };
        if cache.len() >= MAX_SPKI {
            cache.clear();
        }
        cache.insert(id.get(), der.into());
    });
}

/// The SPKI DER of the key a request named, for the host to import it (`undefined` if it is no
/// longer cached: the host then answers "cannot check").
#[wasm_bindgen(js_name = hostKeySpki)]
pub fn host_key_spki(key_id: f64) -> Option<Vec<u8>> {
    SPKI.with(|cache| cache.try_borrow().ok()?.get(&(key_id as u64)).map(|der| der.to_vec()))
}

/// The first pass with the SPKI of the requested key remembered for the host.
pub(crate) struct DeferredWithSpki(pub(crate) Deferred);

impl SignatureBackend for DeferredWithSpki {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if !matches!(key, KeyMaterial::Secret(_)) {
            remember_spki(key, id);
        }
        self.0.verify(key, id, alg, msg, sig)
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        self.0.sign(key, alg, msg)
    }
}

/// The core's tables, for the JS layer to check its own against when it loads (a mismatch
/// fails at import, never in production): JSON text
/// `{"protocol":2,"asym":bool,"algs":[...],"limits":{...},"errorCodes":[...]}`.
/// Written out rather than built as a `serde_json::Value`: every import calls this, and a wasm
/// function's first call pays for compiling it and all it reaches (serde_json's map and value
/// code took about 1 ms there). Every name is a plain ASCII identifier: nothing to escape.
#[wasm_bindgen(js_name = coreTables)]
pub fn core_tables() -> String {
    let limits = [
        ("DEFAULT_MAX_TOKEN_SIZE", crate::decode::DEFAULT_MAX_TOKEN_SIZE),
        ("MAX_JWKS_SIZE", crate::keys::MAX_JWKS_SIZE),
        ("MAX_JWKS_KEYS", crate::keys::MAX_JWKS_KEYS),
        ("MAX_PEM_SIZE", crate::keys::MAX_PEM_SIZE),
        ("RSA_MIN_BITS", crate::crypto::RSA_MIN_BITS),
        ("RSA_MAX_BITS", crate::crypto::RSA_MAX_BITS),
    ];
    let mut out = String::with_capacity(1024);
    out.push_str("{\"protocol\":2,\"asym\":");
    out.push_str(if cfg!(feature = "wasm-asym") { "true" } else { "false" });
    out.push_str(",\"algs\":");
    push_names(&mut out, Alg::ALL.iter().map(|a| a.as_str()));
    out.push_str(",\"limits\":{");
    for (i, (name, value)) in limits.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push_str("\":");
        out.push_str(&value.to_string());
    }
    out.push_str("},\"errorCodes\":");
    push_names(&mut out, ERROR_CODES.iter().map(|c| c.as_str()));
    out.push('}');
    out
}

/// `["a","b",...]` onto `out`; the names need no escaping (see [`core_tables`]).
fn push_names<'a>(out: &mut String, names: impl Iterator<Item = &'a str>) {
    out.push('[');
    for (i, name) in names.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(name);
        out.push('"');
    }
    out.push(']');
}

/// Every error code; [`all_codes_listed`] fails to compile when a code is added and not here.
const ERROR_CODES: [ErrorCode; 18] = [
    ErrorCode::JwtInvalid,
    ErrorCode::JwsInvalid,
    ErrorCode::SignatureVerificationFailed,
    ErrorCode::Expired,
    ErrorCode::ClaimValidationFailed,
    ErrorCode::AlgNotAllowed,
    ErrorCode::NotSupported,
    ErrorCode::JwkInvalid,
    ErrorCode::JwksInvalid,
    ErrorCode::JwksNoMatchingKey,
    ErrorCode::JwksMultipleMatchingKeys,
    ErrorCode::JwksTimeout,
    ErrorCode::Revoked,
    ErrorCode::RefreshInvalid,
    ErrorCode::RefreshExpired,
    ErrorCode::RefreshReused,
    ErrorCode::RefreshRevoked,
    ErrorCode::InvalidArgument,
];

#[allow(dead_code)]
fn all_codes_listed(code: ErrorCode) {
    match code {
        ErrorCode::JwtInvalid
        | ErrorCode::JwsInvalid
        | ErrorCode::SignatureVerificationFailed
        | ErrorCode::Expired
        | ErrorCode::ClaimValidationFailed
        | ErrorCode::AlgNotAllowed
        | ErrorCode::NotSupported
        | ErrorCode::JwkInvalid
        | ErrorCode::JwksInvalid
        | ErrorCode::JwksNoMatchingKey
        | ErrorCode::JwksMultipleMatchingKeys
        | ErrorCode::JwksTimeout
        | ErrorCode::Revoked
        | ErrorCode::RefreshInvalid
        | ErrorCode::RefreshExpired
        | ErrorCode::RefreshReused
        | ErrorCode::RefreshRevoked
        | ErrorCode::InvalidArgument => {}
    }
}
