//! The pure-Rust backend on the RustCrypto crates. It works everywhere the crate compiles
//! (native and wasm32) and is the reference the host-native backends must agree with.

#[cfg(feature = "wasm-asym")]
mod ecdsa;
#[cfg(feature = "wasm-asym")]
mod eddsa;
mod hmac;
#[cfg(feature = "wasm-asym")]
mod rsa;

#[cfg(not(feature = "wasm-asym"))]
use super::hostcall::needs_host;
use super::{wrong_key, KeyId, KeyMaterial, SignatureBackend};
use crate::alg::{Alg, Family};
use crate::error::{not_supported, Result};

/// The RustCrypto signature backend.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCrypto;

impl SignatureBackend for RustCrypto {
    fn verify(&self, key: &KeyMaterial, _id: KeyId, alg: Alg, msg: &[u8], sig: &[u8]) -> Result<()> {
        if !key.supports(alg) {
            return Err(wrong_key(alg, key));
        }
        match (key, alg.family()) {
            (KeyMaterial::Secret(secret), Family::Hmac) => hmac::verify(alg.hash(), secret, msg, sig),
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Rsa(k), Family::RsaPkcs1 | Family::RsaPss) => rsa::verify(&k.rc_public, alg, msg, sig),
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Ec(ec), Family::Ecdsa) => ecdsa::verify(&ec.rc, msg, sig),
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Ed25519(k), Family::EdDsa) => eddsa::verify(&k.rc_public, msg, sig),
            #[cfg(not(feature = "wasm-asym"))]
            (KeyMaterial::Rsa(_) | KeyMaterial::Ec(_) | KeyMaterial::Ed25519(_), _) => {
                Err(needs_host(&format!("verifying an {alg} signature")))
            }
            _ => Err(wrong_key(alg, key)),
        }
    }

    fn sign(&self, key: &KeyMaterial, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
        if !key.supports(alg) {
            return Err(wrong_key(alg, key));
        }
        let no_private = || not_supported("signing needs a private key");
        match (key, alg.family()) {
            (KeyMaterial::Secret(secret), Family::Hmac) => hmac::sign(alg.hash(), secret, msg),
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Rsa(k), Family::RsaPkcs1 | Family::RsaPss) => {
                rsa::sign(k.rc_private.as_ref().ok_or_else(no_private)?, alg, msg)
            }
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Ec(ec), Family::Ecdsa) => ecdsa::sign(&ec.rc, msg),
            #[cfg(feature = "wasm-asym")]
            (KeyMaterial::Ed25519(k), Family::EdDsa) => eddsa::sign(k.rc_private.as_ref().ok_or_else(no_private)?, msg),
            #[cfg(not(feature = "wasm-asym"))]
            (KeyMaterial::Rsa(_) | KeyMaterial::Ec(_) | KeyMaterial::Ed25519(_), _) => {
                if key.is_private() {
                    Err(needs_host(&format!("signing with {alg}")))
                } else {
                    Err(no_private())
                }
            }
            _ => Err(wrong_key(alg, key)),
        }
    }
}
