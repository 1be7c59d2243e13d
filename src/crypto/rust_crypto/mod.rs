//! The pure-Rust backend on the RustCrypto crates. It works everywhere the crate compiles
//! (native and wasm32) and is the reference the host-native backends must agree with.

mod ecdsa;
mod eddsa;
mod hmac;
mod rsa;

pub(crate) use rsa::modulus_len;

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
            (KeyMaterial::Rsa { public, .. }, Family::RsaPkcs1 | Family::RsaPss) => rsa::verify(public, alg, msg, sig),
            (KeyMaterial::Ec(ec), Family::Ecdsa) => ecdsa::verify(ec, msg, sig),
            (KeyMaterial::Ed25519 { public, .. }, Family::EdDsa) => eddsa::verify(public, msg, sig),
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
            (KeyMaterial::Rsa { private, .. }, Family::RsaPkcs1 | Family::RsaPss) => {
                rsa::sign(private.as_ref().ok_or_else(no_private)?, alg, msg)
            }
            (KeyMaterial::Ec(ec), Family::Ecdsa) => ecdsa::sign(ec, msg),
            (KeyMaterial::Ed25519 { private, .. }, Family::EdDsa) => {
                eddsa::sign(private.as_ref().ok_or_else(no_private)?, msg)
            }
            _ => Err(wrong_key(alg, key)),
        }
    }
}
