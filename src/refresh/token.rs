//! Refresh tokens themselves: random bytes from the platform CSPRNG, written as base64url, and
//! their SHA-256 hash, which is the only form a store ever holds.

use crate::base64url;
use crate::error::{invalid_argument, Error, ErrorCode, Result};
use crate::random;
use sha2::{Digest, Sha256};
use std::fmt;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes of randomness in a refresh token unless the caller asks otherwise (256 bits).
pub const DEFAULT_TOKEN_BYTES: usize = 32;
/// The fewest bytes accepted: 128 bits, so guessing a live token is out of reach.
pub const MIN_TOKEN_BYTES: usize = 16;
/// The most bytes accepted: far beyond any need, and it bounds the work a presented token costs.
pub const MAX_TOKEN_BYTES: usize = 256;

/// A refresh token in plain text. It is a bearer secret: `Debug` prints no part of it and the
/// memory is wiped on drop. [`RefreshToken::expose`] is the one way to read it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct RefreshToken(String);

impl RefreshToken {
    /// The token text, to hand to the client that owns it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Wraps token text received from a client or unsealed from a store.
    pub(crate) fn from_text(text: String) -> Self {
        RefreshToken(text)
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RefreshToken([redacted])")
    }
}

/// A fresh refresh token of `bytes` random bytes (16 to 256; 32 is the usual choice), as
/// unpadded base64url.
///
/// ```
/// use jwtward::refresh::generate_refresh_token;
/// let t = generate_refresh_token(32)?;
/// assert_eq!(t.expose().len(), 43);
/// assert!(generate_refresh_token(8).is_err());
/// # Ok::<(), jwtward::Error>(())
/// ```
pub fn generate_refresh_token(bytes: usize) -> Result<RefreshToken> {
    if !(MIN_TOKEN_BYTES..=MAX_TOKEN_BYTES).contains(&bytes) {
        return Err(invalid_argument(format!(
            "a refresh token must have {MIN_TOKEN_BYTES} to {MAX_TOKEN_BYTES} random bytes, got {bytes}"
        )));
    }
    let mut raw = random::random_bytes(bytes)?;
    let token = RefreshToken(base64url::encode(&raw));
    raw.zeroize();
    Ok(token)
}

/// SHA-256 of the token's text, as unpadded base64url: the key a store files a token under.
/// A store leak then yields no usable token.
///
/// ```
/// // SHA-256("abc"), FIPS 180-2 appendix B.1
/// assert_eq!(jwtward::refresh::hash_token("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
/// ```
pub fn hash_token(token: &str) -> String {
    base64url::encode(&Sha256::digest(token.as_bytes()))
}

/// The random bytes of a presented token, or `ERR_REFRESH_INVALID` when it cannot be one of
/// ours (wrong alphabet or length), before any store is asked. The message never echoes it.
pub(crate) fn decode_presented(token: &str) -> Result<Vec<u8>> {
    let max_chars = MAX_TOKEN_BYTES.div_ceil(3) * 4;
    if token.len() > max_chars {
        return Err(malformed());
    }
    match base64url::decode(token) {
        Some(bytes) if (MIN_TOKEN_BYTES..=MAX_TOKEN_BYTES).contains(&bytes.len()) => Ok(bytes),
        _ => Err(malformed()),
    }
}

fn malformed() -> Error {
    Error::new(
        ErrorCode::RefreshInvalid,
        format!("malformed refresh token: expected the base64url text of {MIN_TOKEN_BYTES} to {MAX_TOKEN_BYTES} random bytes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_sha256_vectors() {
        // FIPS 180-2 B.1 and the empty string, re-encoded as base64url.
        assert_eq!(hash_token("abc"), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assert_eq!(hash_token(""), "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU");
    }

    #[test]
    fn generated_tokens_have_the_asked_size_and_differ() {
        for (bytes, chars) in [(16, 22), (32, 43), (33, 44), (256, 342)] {
            let t = generate_refresh_token(bytes).unwrap();
            assert_eq!(t.expose().len(), chars);
            assert_eq!(decode_presented(t.expose()).unwrap().len(), bytes);
        }
        let (a, b) = (generate_refresh_token(32).unwrap(), generate_refresh_token(32).unwrap());
        assert_ne!(a.expose(), b.expose());
        assert_ne!(hash_token(a.expose()), hash_token(b.expose()));
    }

    #[test]
    fn sizes_outside_the_range_are_refused() {
        for bytes in [0, 1, 15, 257, usize::MAX] {
            let e = generate_refresh_token(bytes).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bytes}");
        }
    }

    #[test]
    fn debug_never_shows_the_token() {
        let t = generate_refresh_token(32).unwrap();
        let shown = format!("{t:?}");
        assert!(!shown.contains(t.expose()));
        assert_eq!(shown, "RefreshToken([redacted])");
    }

    #[test]
    fn presented_tokens_must_look_like_ours() {
        let t = generate_refresh_token(16).unwrap();
        assert!(decode_presented(t.expose()).is_ok());
        let long = "A".repeat(100_000);
        for bad in ["", "abc", "a+b/cdefghijklmnopqrstuvwx", "AAAAAAAAAAAAAAAAAAAAAA==", &long[..]] {
            let e = decode_presented(bad).unwrap_err();
            assert_eq!(e.code(), ErrorCode::RefreshInvalid);
            assert!(bad.is_empty() || !e.message().contains(bad));
        }
        // 15 bytes: one short of the minimum.
        assert!(decode_presented(&base64url::encode(&[7u8; 15])).is_err());
    }
}
