//! HS256/384/512 (RFC 7518 3.2). Tags are compared in constant time by `verify_slice`, which
//! also refuses any tag that is not the full hash length (no truncated tags).

use crate::alg::Hash;
use crate::crypto::verification_failed;
use crate::error::{jwk_invalid, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Sha256, Sha384, Sha512};

fn key_error() -> crate::error::Error {
    // HMAC accepts any key length, so this cannot happen; it is still an error, not a panic.
    jwk_invalid("invalid HMAC key")
}

fn mac<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> Result<M> {
    let mut m = <M as KeyInit>::new_from_slice(key).map_err(|_| key_error())?;
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

pub(super) fn verify(hash: Hash, key: &[u8], msg: &[u8], tag: &[u8]) -> Result<()> {
    if tag.len() != hash.output_len() {
        return Err(verification_failed());
    }
    let ok = match hash {
        Hash::Sha256 => mac::<Hmac<Sha256>>(key, msg)?.verify_slice(tag).is_ok(),
        Hash::Sha384 => mac::<Hmac<Sha384>>(key, msg)?.verify_slice(tag).is_ok(),
        Hash::Sha512 => mac::<Hmac<Sha512>>(key, msg)?.verify_slice(tag).is_ok(),
    };
    if ok {
        Ok(())
    } else {
        Err(verification_failed())
    }
}
