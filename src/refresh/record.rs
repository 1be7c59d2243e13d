//! What a refresh store holds, defined once here: a record per token (filed under the token's
//! hash) and a record per family (one login and every token rotated from it), both as versioned
//! JSON text; and the [`Commit`] that asks a store to change them atomically.
//!
//! Stores treat records as opaque strings compared for exact equality, plus the few fields a
//! [`Commit`] names beside them (hash, family id, subject, expiry times for TTLs). Neither record
//! contains a usable token: a token record holds no token at all, and a rotated one holds its
//! successor's hash and, for the grace window only, the successor sealed (see [`super::seal`])
//! in a separate value the store drops when the window ends.

use crate::error::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The record format written by this version. A record with another `v` is refused, not guessed at.
pub const RECORD_VERSION: u32 = 1;

/// The state of one refresh token, filed under `hash_token(token)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenRecord {
    /// Format version, [`RECORD_VERSION`].
    pub v: u32,
    /// The family (login) this token belongs to.
    pub family: String,
    /// When the token was issued (epoch seconds).
    pub issued_at: f64,
    /// When the token stops being accepted (epoch seconds); stores drop the record then.
    pub expires_at: f64,
    /// Set once the token has been exchanged for its successor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotated: Option<Rotation>,
}

/// How a token was rotated: enough to recognise a concurrent retry (inside the grace window)
/// and to hand it the same successor, and to recognise a replay after the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rotation {
    /// When the token was rotated (epoch seconds).
    pub at: f64,
    /// `at + reuseGrace`: before this instant the same successor is returned again.
    pub grace_until: f64,
    /// `hash_token(successor)`: checks what is unsealed.
    pub successor: String,
    /// The successor's expiry, returned with it.
    pub successor_expires_at: f64,
}

/// The state of one family: everything issued from one login.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FamilyRecord {
    /// Format version, [`RECORD_VERSION`].
    pub v: u32,
    /// The family id (random, base64url).
    pub id: String,
    /// Who the tokens were issued to.
    pub subject: String,
    /// Application data given at issue, returned on every rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Map<String, Value>>,
    /// When the family was created (epoch seconds).
    pub created_at: f64,
    /// `created_at + familyLifetime`: no token of the family is accepted from then on.
    pub expires_at: f64,
    /// Set when the family is revoked, by the application or by reuse detection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked: Option<Revocation>,
}

/// When and why a family was revoked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Revocation {
    /// Epoch seconds.
    pub at: f64,
    /// Why.
    pub reason: RevocationReason,
}

/// Why a family was revoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RevocationReason {
    /// `revokeFamily` or `revokeSubject` (logout, password change, an administrator).
    Revoked,
    /// A rotated token was presented again after the grace window: presumed stolen.
    Reused,
}

/// One atomic change a store applies only if every `expect` still holds (compare-and-set).
/// A commit always names the family record, and touches only tokens of that family.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Commit {
    /// The family every write belongs to (indexed: a token's family, a subject's families).
    pub family_id: String,
    /// The family's subject (indexed, for revoking every family of a subject).
    pub subject: String,
    /// The family record: compared, then written.
    pub family: RecordWrite,
    /// Token records, each compared, then written.
    pub tokens: Vec<TokenWrite>,
}

/// A compare-and-set of the family record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordWrite {
    /// The record as read (exact text), or `None`: it must not exist.
    pub expect: Option<String>,
    /// The record to write.
    pub record: String,
    /// Epoch seconds after which the store may forget the record.
    pub expires_at: f64,
}

/// A compare-and-set of one token record, filed under the token's hash.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenWrite {
    /// `hash_token(token)`.
    pub hash: String,
    /// The record as read (exact text), or `None`: it must not exist.
    pub expect: Option<String>,
    /// The record to write.
    pub record: String,
    /// Epoch seconds after which the store may forget the record.
    pub expires_at: f64,
    /// The successor sealed under this token, kept beside the record until its own, shorter
    /// expiry (the end of the grace window). `None` removes any sealed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<SealedWrite>,
}

/// A sealed successor and when the store must drop it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SealedWrite {
    /// base64url; useless without the token it is filed under.
    pub value: String,
    /// Epoch seconds: the end of the grace window.
    pub expires_at: f64,
}

fn unreadable(what: &str, e: impl std::fmt::Display) -> Error {
    // A store returning something we did not write: refuse the token rather than guess.
    Error::new(ErrorCode::RefreshInvalid, format!("the stored {what} record is unreadable: {e}"))
}

fn check_version(what: &str, v: u32) -> Result<()> {
    if v == RECORD_VERSION {
        Ok(())
    } else {
        Err(unreadable(what, format_args!("format version {v}, this version reads {RECORD_VERSION}")))
    }
}

impl TokenRecord {
    /// Parses a stored token record.
    pub fn from_json(json: &str) -> Result<Self> {
        let r: TokenRecord = serde_json::from_str(json).map_err(|e| unreadable("token", e))?;
        check_version("token", r.v)?;
        Ok(r)
    }

    /// The record as stored.
    pub fn to_json(&self) -> Result<String> {
        to_json(self)
    }
}

impl FamilyRecord {
    /// Parses a stored family record.
    pub fn from_json(json: &str) -> Result<Self> {
        let r: FamilyRecord = serde_json::from_str(json).map_err(|e| unreadable("family", e))?;
        check_version("family", r.v)?;
        Ok(r)
    }

    /// The record as stored.
    pub fn to_json(&self) -> Result<String> {
        to_json(self)
    }
}

impl Commit {
    /// The commit as JSON text, for a store on the other side of the wasm boundary.
    pub fn to_json(&self) -> Result<String> {
        to_json(self)
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String> {
    // Serialising these plain structs cannot fail except on a non-finite number, which the
    // callers rule out; still an error, not a panic.
    serde_json::to_string(value).map_err(|e| Error::new(ErrorCode::InvalidArgument, format!("cannot serialise: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_records_round_trip_and_are_versioned() {
        let r = TokenRecord {
            v: RECORD_VERSION,
            family: "fam".into(),
            issued_at: 1.0,
            expires_at: 2.5,
            rotated: Some(Rotation { at: 2.0, grace_until: 12.0, successor: "h".into(), successor_expires_at: 3.0 }),
        };
        let json = r.to_json().unwrap();
        assert_eq!(
            json,
            r#"{"v":1,"family":"fam","issuedAt":1.0,"expiresAt":2.5,"rotated":{"at":2.0,"graceUntil":12.0,"successor":"h","successorExpiresAt":3.0}}"#
        );
        assert_eq!(TokenRecord::from_json(&json).unwrap(), r);
        let e = TokenRecord::from_json(&json.replace(r#""v":1"#, r#""v":2"#)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::RefreshInvalid);
        assert!(TokenRecord::from_json("{}").is_err());
        assert!(TokenRecord::from_json("not json").is_err());
    }

    #[test]
    fn family_records_round_trip() {
        let mut data = Map::new();
        data.insert("device".into(), "phone".into());
        let r = FamilyRecord {
            v: RECORD_VERSION,
            id: "f".into(),
            subject: "ada".into(),
            data: Some(data),
            created_at: 10.0,
            expires_at: 20.0,
            revoked: Some(Revocation { at: 15.0, reason: RevocationReason::Reused }),
        };
        let json = r.to_json().unwrap();
        assert!(json.contains(r#""revoked":{"at":15.0,"reason":"reused"}"#), "{json}");
        assert_eq!(FamilyRecord::from_json(&json).unwrap(), r);
        assert!(FamilyRecord::from_json(&json.replace("reused", "stolen")).is_err());
    }
}
