//! HS256/384/512 (RFC 7518 3.2). Tags are compared in constant time by `verify_slice`, which
//! also refuses any tag that is not the full hash length (no truncated tags). Verification
//! starts from the secret's keyed HMAC state, made once per secret and hash.

use crate::alg::Hash;
use crate::crypto::{verdict, verification_failed, Secret};
use crate::error::{jwk_invalid, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};
use std::sync::OnceLock;

fn key_error() -> crate::error::Error {
    // HMAC accepts any key length, so this cannot happen; it is still an error, not a panic.
    jwk_invalid("invalid HMAC key")
}

fn mac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Result<M> {
    let mut m = <M as KeyInit>::new_from_slice(key).map_err(|_| key_error())?;
    m.update(msg);
    Ok(m)
}

/// A copy of the HMAC state keyed with `secret`, keyed once per secret and hash (see [`Secret`]).
fn keyed<M: Mac + KeyInit + Clone>(slot: &OnceLock<M>, secret: &[u8], msg: &[u8]) -> Result<M> {
    let mut m = match slot.get() {
        Some(m) => m.clone(),
        None => {
            let m = <M as KeyInit>::new_from_slice(secret).map_err(|_| key_error())?;
            // Another thread may have set it meanwhile: the same state either way.
            let _ = slot.set(m.clone());
            m
        }
    };
    m.update(msg);
    Ok(m)
}

pub(super) fn sign(hash: Hash, key: &[u8], msg: &[u8]) -> Result<Vec<u8>> {
    Ok(match hash {
        Hash::Sha256 => mac::<Hmac<Sha256>>(key, msg)?.finalize().into_bytes().to_vec(),
        Hash::Sha384 => mac::<Hmac<Sha384>>(key, msg)?.finalize().into_bytes().to_vec(),
        Hash::Sha512 => mac::<Hmac<Sha512>>(key, msg)?.finalize().into_bytes().to_vec(),
    })
}

pub(super) fn verify(hash: Hash, key: &Secret, msg: &[u8], tag: &[u8]) -> Result<()> {
    if tag.len() != hash.output_len() {
        return Err(verification_failed());
    }
    let ok = match hash {
        Hash::Sha256 => keyed(&key.keyed.sha256, key, msg)?.verify_slice(tag).is_ok(),
        Hash::Sha384 => keyed(&key.keyed.sha384, key, msg)?.verify_slice(tag).is_ok(),
        Hash::Sha512 => keyed(&key.keyed.sha512, key, msg)?.verify_slice(tag).is_ok(),
    };
    verdict(ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyed_state_gives_the_same_answers_every_time_for_every_hash() {
        let secret = Secret::new(&[7u8; 64]);
        for _ in 0..3 {
            for hash in [Hash::Sha256, Hash::Sha384, Hash::Sha512] {
                let tag = sign(hash, &secret, b"header.payload").unwrap();
                assert!(verify(hash, &secret, b"header.payload", &tag).is_ok());
                assert!(verify(hash, &secret, b"header.payload!", &tag).is_err());
                let other = Secret::new(&[8u8; 64]);
                assert!(verify(hash, &other, b"header.payload", &tag).is_err());
                // A clone made after the state was keyed shares the answers.
                assert!(verify(hash, &secret.clone(), b"header.payload", &tag).is_ok());
            }
        }
    }
}
