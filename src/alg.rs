//! The JWS algorithms we support (RFC 7518 section 3, RFC 8037). `none` is deliberately absent:
//! there is no value of this type that means "unsigned".

use crate::error::{Error, ErrorCode, Result};
use std::fmt;

/// A JWS signature algorithm.
///
/// ```
/// use jwtward::Alg;
/// assert_eq!(Alg::parse("ES256"), Ok(Alg::ES256));
/// assert!(Alg::parse("none").is_err());
/// assert!(Alg::parse("hs256").is_err()); // names are case-sensitive (RFC 7515 4.1.1)
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Alg {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA,
}

/// The family of an algorithm, which fixes the key type it can be used with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Hmac,
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    EdDsa,
}

/// The SHA-2 hash an algorithm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

impl Alg {
    pub const ALL: [Alg; 13] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
    ];

    /// Parses an `alg` header value. Unknown names, including every spelling of `none`,
    /// are `ERR_JOSE_NOT_SUPPORTED`.
    pub fn parse(name: &str) -> Result<Alg> {
        Alg::ALL.iter().copied().find(|a| a.as_str() == name).ok_or_else(|| {
            Error::new(ErrorCode::NotSupported, format!("unsupported algorithm {:?}", truncate(name, 32)))
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
        }
    }

    pub fn family(self) -> Family {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => Family::Hmac,
            Alg::RS256 | Alg::RS384 | Alg::RS512 => Family::RsaPkcs1,
            Alg::PS256 | Alg::PS384 | Alg::PS512 => Family::RsaPss,
            Alg::ES256 | Alg::ES384 | Alg::ES512 => Family::Ecdsa,
            Alg::EdDSA => Family::EdDsa,
        }
    }

    /// The hash of the algorithm (EdDSA hashes internally with SHA-512).
    pub fn hash(self) -> Hash {
        match self {
            Alg::HS256 | Alg::RS256 | Alg::PS256 | Alg::ES256 => Hash::Sha256,
            Alg::HS384 | Alg::RS384 | Alg::PS384 | Alg::ES384 => Hash::Sha384,
            Alg::HS512 | Alg::RS512 | Alg::PS512 | Alg::ES512 | Alg::EdDSA => Hash::Sha512,
        }
    }

    /// The JWK `kty` a key must have to be used with this algorithm.
    pub fn kty(self) -> &'static str {
        match self.family() {
            Family::Hmac => "oct",
            Family::RsaPkcs1 | Family::RsaPss => "RSA",
            Family::Ecdsa => "EC",
            Family::EdDsa => "OKP",
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Cuts untrusted text before it goes into a message, on a char boundary.
pub(crate) fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => s.get(..i).unwrap_or(s),
        None => s,
    }
}
