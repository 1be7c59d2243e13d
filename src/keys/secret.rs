//! HMAC secrets. A secret is raw bytes kept in zeroizing memory; it is only usable with HS*,
//! and only when at least as long as the hash output (RFC 7518 3.2). Text that is plainly an
//! asymmetric key (PEM) is refused, so a public key can never become an HMAC secret.

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

/// Whether the bytes look like a PEM document (possibly after whitespace).
fn looks_like_pem(secret: &[u8]) -> bool {
    let start = secret.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(secret.len());
    secret.get(start..).is_some_and(|rest| rest.starts_with(b"-----BEGIN"))
}

impl Key {
    /// An HMAC secret for HS256/HS384/HS512.
    ///
    /// The secret must not be empty, must not be a PEM document (use [`Key::from_pem`]), and if
    /// `alg` is given it must be an HS algorithm whose hash length the secret reaches. Without
    /// `alg` the length is checked at each use. Errors are `ERR_JWK_INVALID`.
    pub fn from_secret(secret: &[u8], alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if secret.is_empty() {
            return Err(jwk_invalid("an HMAC secret must not be empty"));
        }
        if looks_like_pem(secret) {
            return Err(jwk_invalid("this looks like a PEM key, not an HMAC secret; load it with Key::from_pem"));
        }
        if let Some(alg) = alg {
            if alg.family() != Family::Hmac {
                return Err(jwk_invalid(format!("a secret key cannot be used with {alg}")));
            }
        }
        Key::new(KeyMaterial::Secret(Secret::new(secret)), alg, kid)
    }
}
