//! HMAC secrets. A secret is raw bytes kept in zeroizing memory; it is only usable with HS*,
//! and only when at least as long as the hash output (RFC 7518 3.2). Bytes that are plainly an
//! asymmetric key in a form it is published in are refused (see [`super::published`]): a
//! public key is known to everyone, so as an HMAC secret it would let anyone sign (the RS256 to
//! HS256 confusion). Raw key bytes look like any random secret and cannot be refused, which is
//! why a secret is also bound to HS* and a public key never does HS*.

use super::published::published_key_form;
use super::Key;
use crate::alg::{Alg, Family};
use crate::crypto::{KeyMaterial, Secret};
use crate::error::{jwk_invalid, Result};

/// Refuses secrets shorter than the hash output of `alg`. The message carries lengths only.
pub(super) fn check_length(len: usize, alg: Alg) -> Result<()> {
    let need = alg.hash().output_len();
    if len < need {
        return Err(jwk_invalid(format!("{alg} needs a secret of at least {need} bytes (RFC 7518 3.2), got {len}")));
    }
    Ok(())
}

impl Key {
    /// An HMAC secret for HS256/HS384/HS512.
    ///
    /// The secret must not be empty, must not be a public key in any form it is published in
    /// (PEM, DER, JWK/JWKS JSON, OpenSSH, and DER as base64 or hex text, such as Keycloak's
    /// realm `public_key` or an `x5c` certificate: an attacker knows those bytes), and if
    /// `alg` is given it must be an HS algorithm whose hash length the secret reaches. Without
    /// `alg` the length is checked at each use. Errors are `ERR_JWK_INVALID`.
    pub fn from_secret(secret: &[u8], alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if secret.is_empty() {
            return Err(jwk_invalid("an HMAC secret must not be empty"));
        }
        if let Some(why) = published_key_form(secret) {
            return Err(jwk_invalid(why));
        }
        if let Some(alg) = alg {
            if alg.family() != Family::Hmac {
                return Err(jwk_invalid(format!("a secret key cannot be used with {alg}")));
            }
        }
        Key::new(KeyMaterial::Secret(Secret::new(secret)), alg, kid)
    }
}
