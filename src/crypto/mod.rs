//! The signature backend seam. Keys are parsed and validated once into [`KeyMaterial`]; a
//! [`SignatureBackend`] turns (material, alg, message) into a signature or a verdict. The
//! reference backend is pure Rust ([`RustCrypto`]); host-native backends (node:crypto, in
//! `src/wasm/`) sit behind the same trait, import keys from the SPKI DER that [`KeyMaterial`]
//! derives (cached under the key's [`KeyId`]), and run [`host::precheck`] first so they accept
//! exactly what the reference accepts.
//!
//! Two builds: the full one (feature `wasm-asym`) has the RustCrypto arithmetic; the slim one has
//! only HMAC, and leaves RSA/ECDSA/Ed25519 signatures, key generation and public-key derivation
//! to a host ([`hostcall`] synchronously, [`deferred`] asynchronously). Both parse and check
//! every key the same way, in the core ([`checks`], [`der_in`]).

mod bignum;
pub mod checks;
pub mod deferred;
pub mod der_in;
mod der_out;
pub mod host;
pub mod hostcall;
mod material;
pub mod pending;
pub mod rust_crypto;

pub use material::{Curve, EcKey, Ed25519Key, KeyMaterial, PublicParts, RsaKey, Secret, RSA_MAX_BITS, RSA_MIN_BITS};
pub use rust_crypto::RustCrypto;

use crate::alg::Alg;
use crate::error::{Error, ErrorCode, Result};
use std::sync::atomic::{AtomicU64, Ordering};

/// A process-unique identity of one parsed key, shared by its clones. A host backend caches
/// the key object it imported under this id; ids are never reused, so a cached host key can
/// never stand for a different key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(u64);

impl KeyId {
    /// The next unused id.
    pub(crate) fn fresh() -> KeyId {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        KeyId(NEXT.fetch_add(1, Ordering::Relaxed))
    }

    /// The id as a number (below 2^53 in any process's lifetime, so exact as a JS number).
    pub fn get(self) -> u64 {
        self.0
    }
}

/// Produces and checks JWS signatures over already-validated key material.
///
/// Callers (the `keys` module) have already checked that the key fits the algorithm; a backend
/// still refuses a mismatch rather than trusting that, because it is the last line of defence.
pub trait SignatureBackend {
    /// Verifies `sig` over `msg` with the key `id` identifies. Any failure, including a
    /// malformed signature, is `ERR_JWS_SIGNATURE_VERIFICATION_FAILED` or a key error; never a
    /// panic.
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()>;

    /// Signs `msg`; the output is in JWS form (raw r||s for ECDSA, modulus-length for RSA).
    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>>;
}

/// The default backend of [`crate::keys::Key`]: the core's, which signs through the
/// synchronous host when one is installed ([`hostcall`]).
pub fn backend() -> &'static dyn SignatureBackend {
    &Core
}

/// The core's backend: [`RustCrypto`] for verification (HMAC only in the slim build); signing
/// with an asymmetric key goes to the installed host if it signs, else to [`RustCrypto`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Core;

impl SignatureBackend for Core {
    fn verify(&self, key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        RustCrypto.verify(key, id, alg, msg, sig)
    }

    /// Through the synchronous host when one is installed and signs (the key is imported under
    /// the material's own id), else in the core (HMAC always; the rest in the full build only).
    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        match key.host_id().and_then(|id| host_sign(key, id, alg, msg)) {
            Some(Ok(sig)) => Ok(sig),
            // The full build signs itself when the host cannot (a key OpenSSL will not import);
            // the slim build has nothing to fall back on.
            #[cfg(not(feature = "wasm-asym"))]
            Some(Err(e)) => Err(e),
            _ => RustCrypto.sign(key, alg, msg),
        }
    }
}

/// Signs with the installed host, checking the form of what it returns; `None` when there is no
/// host, or it does not sign, or the key is a secret (HMAC stays in the core).
pub(crate) fn host_sign(key: &KeyMaterial, id: KeyId, alg: Alg, msg: &[u8]) -> Option<Result<Vec<u8>>> {
    if matches!(key, KeyMaterial::Secret(_)) || !key.supports(alg) || !key.is_private() {
        return None;
    }
    let host = hostcall::host()?;
    let pkcs8 = || key.host_pkcs8_der()?.ok_or_else(|| crate::error::not_supported("signing needs a private key"));
    let sig = match host.sign(id, alg, &pkcs8, msg)? {
        Ok(sig) => sig,
        Err(e) => return Some(Err(e)),
    };
    let expected = match key {
        KeyMaterial::Rsa(k) => k.n.len(),
        KeyMaterial::Ec(k) => 2 * k.curve.field_len(),
        KeyMaterial::Ed25519(_) => 64,
        KeyMaterial::Secret(_) => return None,
    };
    if sig.len() != expected {
        return Some(Err(Error::new(
            ErrorCode::NotSupported,
            format!("the host's {alg} signature is {} bytes, not {expected}", sig.len()),
        )));
    }
    // Its form, as a verifier would check it: Ed25519 S canonical and R not of small order,
    // ECDSA r and s in [1, n-1], RSA below the modulus.
    let well_formed = host::precheck(key, alg, &sig).is_ok()
        && match key {
            KeyMaterial::Ec(k) => {
                let (r, s) = sig.split_at(k.curve.field_len());
                checks::ec_scalar(k.curve, r) && checks::ec_scalar(k.curve, s)
            }
            KeyMaterial::Rsa(k) => sig.as_slice() < k.n.as_slice(),
            _ => true,
        };
    if !well_formed {
        return Some(Err(Error::new(ErrorCode::NotSupported, format!("the host's {alg} signature is malformed"))));
    }
    Some(Ok(sig))
}

/// The one error for a signature that does not verify. It never carries the signature bytes.
pub(crate) fn verification_failed() -> Error {
    Error::new(ErrorCode::SignatureVerificationFailed, "signature verification failed")
}

/// `Ok` for a signature that verified, the one failure otherwise.
pub(crate) fn verdict(valid: bool) -> Result<()> {
    if valid {
        Ok(())
    } else {
        Err(verification_failed())
    }
}

/// A key/algorithm mismatch that reached a backend.
pub(crate) fn wrong_key(alg: Alg, key: &KeyMaterial) -> Error {
    Error::new(
        ErrorCode::AlgNotAllowed,
        format!("{} {} key cannot be used with {alg}", article(key.kind_name()), key.kind_name()),
    )
}

/// "an" before a vowel sound, so messages read naturally ("an RSA key", "a secret key").
pub(crate) fn article(word: &str) -> &'static str {
    match word.chars().next() {
        Some('A' | 'E' | 'I' | 'O' | 'U' | 'R' | 'a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
