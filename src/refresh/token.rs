//! Refresh tokens themselves: random bytes from the platform CSPRNG, written as base64url, and
//! their SHA-256 hash, which is the only form a store ever holds.
//!
//! Tokens issued by `RefreshTokens` are ROUTED: `<family id>.<secret>`. The family id (public,
//! 16 random bytes) is a routing tag: a store that shards by family (Redis Cluster hash tags, a
//! Durable Object per family) finds the token's records without a global index. The secret is
//! what makes the token unguessable; the hash a store files covers the whole text. Tokens from
//! before routing (the secret alone, "legacy") are still read by stores that kept one keyspace.

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
/// Bytes of randomness in a family id (128 bits: unguessable, never collides in practice).
pub const FAMILY_ID_BYTES: usize = 16;
/// Characters of a family id: the base64url of [`FAMILY_ID_BYTES`].
pub const FAMILY_ID_CHARS: usize = 22;
/// Separates the routing tag (family id) from the secret in a routed token.
pub const ROUTING_SEPARATOR: char = '.';
/// The longest text that can be a token: a routed one with the largest secret.
pub const MAX_TOKEN_CHARS: usize = FAMILY_ID_CHARS + 1 + (MAX_TOKEN_BYTES * 4).div_ceil(3);

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

/// Whether `id` is a family id as [`super::issue`] draws them: the canonical base64url of
/// exactly [`FAMILY_ID_BYTES`] bytes.
pub fn is_family_id(id: &str) -> bool {
    id.len() == FAMILY_ID_CHARS && base64url::decode(id).is_some_and(|b| b.len() == FAMILY_ID_BYTES)
}

/// The routed token `<family id>.<secret>` (the secret is the base64url of the random bytes).
pub(crate) fn routed(family_id: &str, secret: &RefreshToken) -> RefreshToken {
    RefreshToken(format!("{family_id}{ROUTING_SEPARATOR}{}", secret.expose()))
}

/// Checks a presented token's shape and returns its routing tag (the family id of a routed
/// token, `None` for a legacy one), or `ERR_REFRESH_INVALID` when it cannot be one of ours
/// (wrong alphabet, length or shape), before any store is asked. Accepted: a legacy token (the
/// base64url of 16 to 256 bytes) or a routed one (a family id, one `.`, such a secret). The
/// message never echoes the token.
pub(crate) fn decode_presented(token: &str) -> Result<Option<&str>> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(malformed());
    }
    let (family, secret) = match token.split_once(ROUTING_SEPARATOR) {
        None => (None, token),
        Some((family, secret)) if is_family_id(family) => (Some(family), secret),
        Some(_) => return Err(malformed()),
    };
    // A second separator lands in `secret`, outside the base64url alphabet: refused below.
    match base64url::decode(secret) {
        Some(mut bytes) => {
            let ok = (MIN_TOKEN_BYTES..=MAX_TOKEN_BYTES).contains(&bytes.len());
            bytes.zeroize();
            if ok {
                Ok(family)
            } else {
                Err(malformed())
            }
        }
        None => Err(malformed()),
    }
}

/// The routing tag of a presented token: `Some(family id)` for a routed token, `None` for a
/// legacy one (no tag), `ERR_REFRESH_INVALID` for text that is neither. A sharded store reads
/// the token's records where the family lives; the core checks the tag against the records.
///
/// ```
/// use jwtward::refresh::refresh_token_family;
/// let family = "AAAAAAAAAAAAAAAAAAAAAA"; // 16 bytes, base64url
/// let secret = "A".repeat(43); // 32 bytes
/// assert_eq!(refresh_token_family(&format!("{family}.{secret}"))?, Some(family));
/// assert_eq!(refresh_token_family(&secret)?, None);
/// assert!(refresh_token_family("short.token").is_err());
/// # Ok::<(), jwtward::Error>(())
/// ```
pub fn refresh_token_family(token: &str) -> Result<Option<&str>> {
    decode_presented(token)
}

fn malformed() -> Error {
    Error::new(
        ErrorCode::RefreshInvalid,
        format!(
            "malformed refresh token: expected a family id, a '.' and the base64url text of {MIN_TOKEN_BYTES} to {MAX_TOKEN_BYTES} random bytes (or, from before routed tokens, that text alone)"
        ),
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
            assert_eq!(decode_presented(t.expose()).unwrap(), None);
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

    #[test]
    fn routed_tokens_carry_a_strict_family_id() {
        let family = base64url::encode(&[9u8; FAMILY_ID_BYTES]);
        let secret = generate_refresh_token(32).unwrap();
        let token = routed(&family, &secret);
        assert_eq!(token.expose().len(), 22 + 1 + 43);
        assert_eq!(decode_presented(token.expose()).unwrap(), Some(family.as_str()));
        assert_eq!(refresh_token_family(secret.expose()).unwrap(), None, "legacy: no tag");
        let max = routed(&family, &generate_refresh_token(MAX_TOKEN_BYTES).unwrap());
        assert_eq!(max.expose().len(), MAX_TOKEN_CHARS);
        assert!(decode_presented(max.expose()).is_ok());
        let s = secret.expose();
        let short_family = base64url::encode(&[9u8; 15]);
        let long_family = base64url::encode(&[9u8; 17]);
        // Not canonical: the last character of a 16-byte id carries 4 unused bits.
        let loose_family = format!("{}B", &family[..21]);
        let bad = [
            format!("{short_family}.{s}"),
            format!("{long_family}.{s}"),
            format!("{loose_family}.{s}"),
            format!(".{s}"),
            format!("{family}."),
            format!("{family}.{s}.{s}"),
            format!("{family}..{s}"),
            format!("{family}.{}", &s[..20]),
            format!("{family} .{s}"),
            format!("{}.{family}.{s}", &family[..4]),
        ];
        for b in &bad {
            let e = decode_presented(b).unwrap_err();
            assert_eq!(e.code(), ErrorCode::RefreshInvalid, "{b}");
            assert!(!e.message().contains(s), "the message echoes the secret");
            assert!(refresh_token_family(b).is_err(), "{b}");
        }
        assert!(!is_family_id(&loose_family) && is_family_id(&family));
        assert!(decode_presented(&"A".repeat(MAX_TOKEN_CHARS + 1)).is_err());
    }
}
