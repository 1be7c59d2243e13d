//! The rotation rules, as plain functions of (what the store holds, now, policy) returning a
//! decision for the caller to apply with one compare-and-set. Nothing here does I/O or reads a
//! clock, so every rule is tested natively and the stores stay dumb atomic storage.
//!
//! Order of the checks when a token is presented, first match wins:
//! 1. not a token's shape (see [`super::token`]), no record, no family record, or a routed
//!    token whose family id is not the family its record names: `ERR_REFRESH_INVALID`;
//! 2. the family is revoked: `ERR_REFRESH_REVOKED`;
//! 3. `now >= family.expiresAt` (familyLifetime) or `now >= token.expiresAt` (ttl): `ERR_REFRESH_EXPIRED`;
//! 4. already rotated and `now < graceUntil`: the same successor again, unsealed ([`Decision::Replay`]);
//! 5. already rotated and `now >= graceUntil`: reuse, so the whole family is revoked and
//!    `ERR_REFRESH_REUSED` ([`Decision::RevokeFamily`]);
//! 6. otherwise: rotate ([`Decision::Rotate`]); the successor expires at
//!    `min(now + ttl, family.expiresAt)`.
//!
//! Every token issued here is routed (`<family id>.<secret>`), a successor of a legacy token too,
//! so rotation moves a deployment off legacy tokens one refresh at a time.

use super::record::{
    Commit, FamilyRecord, RecordWrite, Revocation, RevocationReason, Rotation, SealedWrite, TokenRecord, TokenWrite,
    RECORD_VERSION,
};
use super::seal::{seal, unseal};
pub use super::token::FAMILY_ID_BYTES;
use super::token::{
    decode_presented, generate_refresh_token, hash_token, is_family_id, routed, RefreshToken, DEFAULT_TOKEN_BYTES,
};
use crate::base64url;
use crate::duration::DurationInput;
use crate::error::{invalid_argument, Error, ErrorCode, Result};
use crate::random;
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;
use subtle::ConstantTimeEq;

/// Default lifetime of each refresh token: 14 days.
pub const DEFAULT_TTL: f64 = 14.0 * 86_400.0;
/// Default cap on a family, counted from login: 30 days.
pub const DEFAULT_FAMILY_LIFETIME: f64 = 30.0 * 86_400.0;
/// Default window in which a just-rotated token still yields the same successor: 10 seconds.
pub const DEFAULT_REUSE_GRACE: f64 = 10.0;
/// Longest accepted subject, in bytes: it becomes part of store keys.
pub const MAX_SUBJECT_BYTES: usize = 1024;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PolicyInput {
    ttl: Option<DurationInput>,
    family_lifetime: Option<DurationInput>,
    reuse_grace: Option<DurationInput>,
}

/// The durations that govern a refresh-token deployment (seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RefreshPolicy {
    /// Lifetime of each token.
    pub ttl: f64,
    /// Absolute cap from login: no rotation extends a family past it.
    pub family_lifetime: f64,
    /// How long a rotated token still yields the same successor (concurrent refreshes).
    pub reuse_grace: f64,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        RefreshPolicy { ttl: DEFAULT_TTL, family_lifetime: DEFAULT_FAMILY_LIFETIME, reuse_grace: DEFAULT_REUSE_GRACE }
    }
}

impl RefreshPolicy {
    /// A policy from durations in seconds: `ttl` and `family_lifetime` positive, `reuse_grace`
    /// zero (no grace: any second presentation is reuse) or more.
    pub fn new(ttl: f64, family_lifetime: f64, reuse_grace: f64) -> Result<Self> {
        let positive = |v: f64, name: &str| {
            if v.is_finite() && v > 0.0 {
                Ok(v)
            } else {
                Err(invalid_argument(format!("{name} must be a positive duration")))
            }
        };
        if !(reuse_grace.is_finite() && reuse_grace >= 0.0) {
            return Err(invalid_argument("reuseGrace must be a duration of zero or more"));
        }
        Ok(RefreshPolicy {
            ttl: positive(ttl, "ttl")?,
            family_lifetime: positive(family_lifetime, "familyLifetime")?,
            reuse_grace,
        })
    }

    /// A policy from the JSON of the JS options `{ ttl?, familyLifetime?, reuseGrace? }`
    /// (seconds or duration strings such as `"14d"`); unknown names are refused.
    pub fn from_json(json: &str) -> Result<Self> {
        let input: PolicyInput =
            serde_json::from_str(json).map_err(|e| invalid_argument(format!("invalid refresh token options: {e}")))?;
        let d = RefreshPolicy::default();
        let get =
            |v: &Option<DurationInput>, name: &str, default: f64| v.as_ref().map_or(Ok(default), |v| v.seconds(name));
        RefreshPolicy::new(
            get(&input.ttl, "ttl", d.ttl)?,
            get(&input.family_lifetime, "familyLifetime", d.family_lifetime)?,
            get(&input.reuse_grace, "reuseGrace", d.reuse_grace)?,
        )
    }
}

/// A newly issued family: the first token and the commit that creates it.
#[derive(Debug)]
pub struct Issued {
    /// The token to hand to the client (never stored).
    pub token: RefreshToken,
    /// The new family's id (keep it to revoke this login alone).
    pub family_id: String,
    /// When the token expires (epoch seconds).
    pub expires_at: f64,
    /// Creates the family and its first token; both must not exist yet.
    pub commit: Commit,
}

/// The outcome of a successful rotation: the successor and what the family carries.
#[derive(Clone, Debug)]
pub struct Rotated {
    /// The successor token, for the client.
    pub token: RefreshToken,
    /// The family id.
    pub family_id: String,
    /// The family's subject.
    pub subject: String,
    /// The data given at issue.
    pub data: Option<Map<String, Value>>,
    /// When the successor expires (epoch seconds).
    pub expires_at: f64,
}

/// What to do with a presented token that passed the checks (rejections are `Err`).
#[derive(Debug)]
pub enum Decision {
    /// Apply `commit`; if it lands, `result` is the answer. If another caller changed a record
    /// first, the commit does not land: read again and decide again.
    Rotate {
        /// Marks the presented token rotated (with the sealed successor) and adds the successor.
        commit: Commit,
        /// The successor.
        result: Rotated,
    },
    /// A concurrent presentation inside the grace window: the successor chosen by the rotation
    /// that won, unsealed. Nothing to write.
    Replay(Rotated),
    /// Reuse of a rotated token outside the grace window: apply `commit` (the family revoked),
    /// then fail with `error` (`ERR_REFRESH_REUSED`). If the commit does not land, decide again.
    RevokeFamily {
        /// Marks the family revoked for reuse.
        commit: Commit,
        /// The error to report once the family is revoked.
        error: Error,
    },
}

/// What the store holds for a presented token: its record, its sealed successor if one is
/// still kept, and its family's record, each as the exact text read (or `None` if absent).
#[derive(Clone, Copy, Default)]
pub struct Stored<'a> {
    /// The record filed under the presented token's hash.
    pub token: Option<&'a str>,
    /// The sealed successor filed beside it.
    pub sealed: Option<&'a str>,
    /// The record of the token's family.
    pub family: Option<&'a str>,
}

impl fmt::Debug for Stored<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The sealed value is harmless without its token, but there is no reason to print it.
        f.debug_struct("Stored")
            .field("token", &self.token)
            .field("sealed", &self.sealed.map(|_| "[sealed]"))
            .field("family", &self.family)
            .finish()
    }
}

fn check_now(now: f64) -> Result<()> {
    if now.is_finite() && now >= 0.0 {
        Ok(())
    } else {
        Err(invalid_argument("now must be a finite, non-negative number of epoch seconds"))
    }
}

fn refresh_error(code: ErrorCode, message: impl Into<String>) -> Error {
    Error::new(code, message)
}

fn ago(now: f64, at: f64) -> String {
    format!("{:.0} s ago", (now - at).max(0.0))
}

/// Starts a family for `subject` (a login): a fresh token and a fresh family id, from the
/// platform CSPRNG. See [`issue_with`].
pub fn issue(policy: &RefreshPolicy, subject: &str, data: Option<Map<String, Value>>, now: f64) -> Result<Issued> {
    let token = generate_refresh_token(DEFAULT_TOKEN_BYTES)?;
    let family_id = base64url::encode(&random::random_bytes(FAMILY_ID_BYTES)?);
    issue_with(policy, subject, data, now, token, family_id)
}

/// Starts a family with the given first secret and family id (for tests; [`issue`] draws them):
/// the first token is `<family_id>.<secret>`, and `family_id` must be the base64url of
/// [`FAMILY_ID_BYTES`] bytes. The first token expires at `now + min(ttl, familyLifetime)`.
pub fn issue_with(
    policy: &RefreshPolicy,
    subject: &str,
    data: Option<Map<String, Value>>,
    now: f64,
    secret: RefreshToken,
    family_id: String,
) -> Result<Issued> {
    check_now(now)?;
    if !is_family_id(&family_id) {
        return Err(invalid_argument(format!("a family id must be the base64url of {FAMILY_ID_BYTES} random bytes")));
    }
    if base64url::decode(secret.expose()).is_none() {
        return Err(invalid_argument("the first token's secret is not base64url"));
    }
    let token = routed(&family_id, &secret);
    if subject.is_empty() || subject.len() > MAX_SUBJECT_BYTES {
        return Err(invalid_argument(format!(
            "the subject must be a non-empty string of at most {MAX_SUBJECT_BYTES} bytes"
        )));
    }
    let family = FamilyRecord {
        v: RECORD_VERSION,
        id: family_id.clone(),
        subject: subject.to_owned(),
        data,
        created_at: now,
        expires_at: now + policy.family_lifetime,
        revoked: None,
    };
    let expires_at = (now + policy.ttl).min(family.expires_at);
    let record =
        TokenRecord { v: RECORD_VERSION, family: family_id.clone(), issued_at: now, expires_at, rotated: None };
    let commit = Commit {
        family_id: family_id.clone(),
        subject: subject.to_owned(),
        family: RecordWrite { expect: None, record: family.to_json()?, expires_at: family.expires_at },
        tokens: vec![TokenWrite {
            hash: hash_token(token.expose()),
            expect: None,
            record: record.to_json()?,
            expires_at,
            sealed: None,
        }],
    };
    Ok(Issued { token, family_id, expires_at, commit })
}

/// Decides what `presented` gets, given what the store holds for it at `now`. `successor` is
/// the fresh secret to use if this call rotates (drawn by the caller, so this stays pure); the
/// successor token is `<family id>.<successor>`.
/// Rejections are `Err` with `ERR_REFRESH_INVALID`, `ERR_REFRESH_EXPIRED`,
/// `ERR_REFRESH_REVOKED` or (a concurrent rotation whose successor the store no longer keeps)
/// `ERR_REFRESH_REUSED`; messages never contain a token.
pub fn decide(
    policy: &RefreshPolicy,
    presented: &str,
    stored: Stored<'_>,
    now: f64,
    successor: &RefreshToken,
) -> Result<Decision> {
    check_now(now)?;
    let routing_tag = decode_presented(presented)?;
    let (Some(token_json), Some(family_json)) = (stored.token, stored.family) else {
        return Err(refresh_error(
            ErrorCode::RefreshInvalid,
            "unknown refresh token: never issued, or expired and removed; sign in again",
        ));
    };
    let record = TokenRecord::from_json(token_json)?;
    let family = FamilyRecord::from_json(family_json)?;
    if family.id != record.family {
        return Err(refresh_error(
            ErrorCode::RefreshInvalid,
            "the stored token and family records do not belong together",
        ));
    }
    // The routing tag chose where the records were read; they must name that same family. Only
    // a store that filed records under the wrong family (or a forged tag) gets here.
    if routing_tag.is_some_and(|tag| tag != family.id) {
        return Err(refresh_error(
            ErrorCode::RefreshInvalid,
            "this refresh token's routing tag does not name the family its stored record belongs to; sign in again",
        ));
    }
    if let Some(revoked) = &family.revoked {
        let why = match revoked.reason {
            RevocationReason::Revoked => "revoked",
            RevocationReason::Reused => "revoked because one of its tokens was reused",
        };
        return Err(refresh_error(
            ErrorCode::RefreshRevoked,
            format!("this refresh token's family was {why} {}; sign in again", ago(now, revoked.at)),
        ));
    }
    if now >= family.expires_at {
        return Err(refresh_error(
            ErrorCode::RefreshExpired,
            format!("this login reached its familyLifetime {}; sign in again", ago(now, family.expires_at)),
        ));
    }
    if now >= record.expires_at {
        return Err(refresh_error(
            ErrorCode::RefreshExpired,
            format!("refresh token expired {}; sign in again", ago(now, record.expires_at)),
        ));
    }
    if let Some(rotation) = &record.rotated {
        return if now < rotation.grace_until {
            replay(presented, stored.sealed, rotation, &family, now)
        } else {
            reuse(policy, rotation, family_json, &family, now)
        };
    }
    rotate(policy, presented, token_json, family_json, record, &family, now, successor)
}

/// Inside the grace window: the successor the winning rotation sealed under `presented`.
fn replay(
    presented: &str,
    sealed: Option<&str>,
    rotation: &Rotation,
    family: &FamilyRecord,
    now: f64,
) -> Result<Decision> {
    let concurrent = || {
        // The store no longer has (or never kept) the sealed successor. Not evidence of theft
        // (the window has not ended), so the family stays valid; this caller cannot be given
        // the successor, which the request that rotated received.
        refresh_error(
            ErrorCode::RefreshReused,
            format!(
                "this refresh token was rotated {} by a concurrent request; use the token that request received",
                ago(now, rotation.at)
            ),
        )
    };
    let bytes = sealed.and_then(|s| unseal(presented, s)).ok_or_else(concurrent)?;
    let secret = RefreshToken::from_text(base64url::encode(&bytes));
    // The seal holds the successor's secret; its token is routed, or legacy when a version from
    // before routed tokens rotated it (a rolling upgrade inside one grace window).
    let token = [routed(&family.id, &secret), secret]
        .into_iter()
        .find(|t| bool::from(hash_token(t.expose()).as_bytes().ct_eq(rotation.successor.as_bytes())))
        .ok_or_else(concurrent)?;
    if now >= rotation.successor_expires_at {
        return Err(refresh_error(ErrorCode::RefreshExpired, "refresh token expired; sign in again"));
    }
    Ok(Decision::Replay(Rotated {
        token,
        family_id: family.id.clone(),
        subject: family.subject.clone(),
        data: family.data.clone(),
        expires_at: rotation.successor_expires_at,
    }))
}

/// Outside the grace window: someone holds a token that was already exchanged. Revoke the family.
fn reuse(
    policy: &RefreshPolicy,
    rotation: &Rotation,
    family_json: &str,
    family: &FamilyRecord,
    now: f64,
) -> Result<Decision> {
    let commit = revocation_commit(family_json, family, now, RevocationReason::Reused)?;
    let error = refresh_error(
        ErrorCode::RefreshReused,
        format!(
            "refresh token reused: it was rotated {}, outside the reuseGrace window of {} s; every token of this login is now revoked, sign in again",
            ago(now, rotation.at),
            policy.reuse_grace
        ),
    );
    Ok(Decision::RevokeFamily { commit, error })
}

#[allow(clippy::too_many_arguments)] // one private step of `decide`, named arguments read better than a struct
fn rotate(
    policy: &RefreshPolicy,
    presented: &str,
    token_json: &str,
    family_json: &str,
    mut record: TokenRecord,
    family: &FamilyRecord,
    now: f64,
    successor: &RefreshToken,
) -> Result<Decision> {
    let successor_bytes = zeroize::Zeroizing::new(
        base64url::decode(successor.expose())
            .ok_or_else(|| invalid_argument("the successor token is not base64url"))?,
    );
    let successor_token = routed(&family.id, successor);
    let successor_hash = hash_token(successor_token.expose());
    let expires_at = (now + policy.ttl).min(family.expires_at);
    let grace_until = now + policy.reuse_grace;
    let old_expires_at = record.expires_at;
    record.rotated =
        Some(Rotation { at: now, grace_until, successor: successor_hash.clone(), successor_expires_at: expires_at });
    // With no grace window there is nothing to hand out twice, so nothing is sealed.
    let sealed = (policy.reuse_grace > 0.0)
        .then(|| SealedWrite { value: seal(presented, &successor_bytes), expires_at: grace_until.min(old_expires_at) });
    let next = TokenRecord { v: RECORD_VERSION, family: family.id.clone(), issued_at: now, expires_at, rotated: None };
    let commit = Commit {
        family_id: family.id.clone(),
        subject: family.subject.clone(),
        // Unchanged, but compared: a revocation that lands first makes this commit fail.
        family: RecordWrite {
            expect: Some(family_json.to_owned()),
            record: family_json.to_owned(),
            expires_at: family.expires_at,
        },
        tokens: vec![
            TokenWrite {
                hash: hash_token(presented),
                expect: Some(token_json.to_owned()),
                record: record.to_json()?,
                expires_at: old_expires_at,
                sealed,
            },
            TokenWrite { hash: successor_hash, expect: None, record: next.to_json()?, expires_at, sealed: None },
        ],
    };
    let result = Rotated {
        token: successor_token,
        family_id: family.id.clone(),
        subject: family.subject.clone(),
        data: family.data.clone(),
        expires_at,
    };
    Ok(Decision::Rotate { commit, result })
}

fn revocation_commit(family_json: &str, family: &FamilyRecord, now: f64, reason: RevocationReason) -> Result<Commit> {
    let mut revoked = family.clone();
    revoked.revoked = Some(Revocation { at: now, reason });
    Ok(Commit {
        family_id: family.id.clone(),
        subject: family.subject.clone(),
        family: RecordWrite {
            expect: Some(family_json.to_owned()),
            record: revoked.to_json()?,
            expires_at: family.expires_at,
        },
        tokens: Vec::new(),
    })
}

/// Revokes a family (logout, `revokeSubject`): the commit that marks it revoked, or `None` if
/// it already is. Every token of the family is refused from then on.
pub fn revoke_family(family_json: &str, now: f64) -> Result<Option<Commit>> {
    check_now(now)?;
    let family = FamilyRecord::from_json(family_json)?;
    if family.revoked.is_some() {
        return Ok(None);
    }
    revocation_commit(family_json, &family, now, RevocationReason::Revoked).map(Some)
}
