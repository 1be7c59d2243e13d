//! The one error type of the core. Every failure carries a stable `code` (the strings of the
//! public API, shared with `jose`), a message a person can act on, and for claim failures the
//! claim and reason. Messages never contain key material or a token's signature.

use std::fmt;

/// The stable error codes of the public API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    JwtInvalid,
    JwsInvalid,
    SignatureVerificationFailed,
    Expired,
    ClaimValidationFailed,
    AlgNotAllowed,
    NotSupported,
    JwkInvalid,
    JwksInvalid,
    JwksNoMatchingKey,
    JwksMultipleMatchingKeys,
    JwksTimeout,
    Revoked,
    RefreshInvalid,
    RefreshExpired,
    RefreshReused,
    RefreshRevoked,
    /// A programming error in the options or arguments (not the token): surfaced in JS as a
    /// `TypeError` with Node's code, so it is never mistaken for a rejected token.
    InvalidArgument,
}

impl ErrorCode {
    /// The code as users see it, e.g. `"ERR_JWT_EXPIRED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::JwtInvalid => "ERR_JWT_INVALID",
            ErrorCode::JwsInvalid => "ERR_JWS_INVALID",
            ErrorCode::SignatureVerificationFailed => "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
            ErrorCode::Expired => "ERR_JWT_EXPIRED",
            ErrorCode::ClaimValidationFailed => "ERR_JWT_CLAIM_VALIDATION_FAILED",
            ErrorCode::AlgNotAllowed => "ERR_JOSE_ALG_NOT_ALLOWED",
            ErrorCode::NotSupported => "ERR_JOSE_NOT_SUPPORTED",
            ErrorCode::JwkInvalid => "ERR_JWK_INVALID",
            ErrorCode::JwksInvalid => "ERR_JWKS_INVALID",
            ErrorCode::JwksNoMatchingKey => "ERR_JWKS_NO_MATCHING_KEY",
            ErrorCode::JwksMultipleMatchingKeys => "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
            ErrorCode::JwksTimeout => "ERR_JWKS_TIMEOUT",
            ErrorCode::Revoked => "ERR_JWT_REVOKED",
            ErrorCode::RefreshInvalid => "ERR_REFRESH_INVALID",
            ErrorCode::RefreshExpired => "ERR_REFRESH_EXPIRED",
            ErrorCode::RefreshReused => "ERR_REFRESH_REUSED",
            ErrorCode::RefreshRevoked => "ERR_REFRESH_REVOKED",
            ErrorCode::InvalidArgument => "ERR_INVALID_ARG_VALUE",
        }
    }
}

/// A failure of any core operation.
///
/// ```
/// use jwtward::{Error, ErrorCode};
/// let e = Error::new(ErrorCode::JwtInvalid, "token is empty");
/// assert_eq!(e.code().as_str(), "ERR_JWT_INVALID");
/// assert_eq!(e.to_string(), "token is empty");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
    claim: Option<String>,
    reason: Option<&'static str>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), claim: None, reason: None }
    }

    /// A claim check failure: `reason` is one of `"missing"`, `"check_failed"`, `"invalid"`
    /// (the `jose` vocabulary), so callers can branch without parsing the message.
    pub fn claim(code: ErrorCode, claim: &str, reason: &'static str, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), claim: Some(claim.to_owned()), reason: Some(reason) }
    }

    pub fn code(&self) -> ErrorCode {
        self.code
    }
    pub fn message(&self) -> &str {
        &self.message
    }
    pub fn claim_name(&self) -> Option<&str> {
        self.claim.as_deref()
    }
    pub fn reason(&self) -> Option<&'static str> {
        self.reason
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Shorthands for the most common constructors, so call sites stay one line.
pub(crate) fn jwt_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::JwtInvalid, message)
}
pub(crate) fn jws_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::JwsInvalid, message)
}
pub(crate) fn jwk_invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::JwkInvalid, message)
}
pub(crate) fn not_supported(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::NotSupported, message)
}
pub(crate) fn invalid_argument(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}
