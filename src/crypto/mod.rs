//! The signature backend seam. Keys are parsed and validated once into [`KeyMaterial`]; a
//! [`SignatureBackend`] turns (material, alg, message) into a signature or a verdict. Today the
//! only backend is pure Rust ([`RustCrypto`]); host-native backends (node:crypto, WebCrypto) can
//! be added behind the same trait, importing keys from the SPKI/PKCS#8 DER or the raw components
//! that [`KeyMaterial`] derives.

mod material;
pub mod rust_crypto;

pub use material::{Curve, EcKey, KeyMaterial, PublicParts, RSA_MAX_BITS, RSA_MIN_BITS};
pub use rust_crypto::RustCrypto;

use crate::alg::Alg;
use crate::error::{Error, ErrorCode, Result};

/// Produces and checks JWS signatures over already-validated key material.
///
/// Callers (the `keys` module) have already checked that the key fits the algorithm; a backend
/// still refuses a mismatch rather than trusting that, because it is the last line of defence.
pub trait SignatureBackend: Sync {
    /// Verifies `sig` over `msg`. Any failure, including a malformed signature, is
    /// `ERR_JWS_SIGNATURE_VERIFICATION_FAILED` or a key error; never a panic.
    fn verify(&self, key: &KeyMaterial, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()>;

    /// Signs `msg`; the output is in JWS form (raw r||s for ECDSA, modulus-length for RSA).
    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>>;
}

/// The backend used by [`crate::keys::Key`].
pub fn backend() -> &'static dyn SignatureBackend {
    &RustCrypto
}

/// The one error for a signature that does not verify. It never carries the signature bytes.
pub(crate) fn verification_failed() -> Error {
    Error::new(ErrorCode::SignatureVerificationFailed, "signature verification failed")
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
