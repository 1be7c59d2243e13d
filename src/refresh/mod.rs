//! Refresh tokens: long-lived, opaque, rotated on every use, with reuse detection that revokes
//! the whole family (everything issued from one login).
//!
//! - [`token`]: generating tokens (platform CSPRNG, base64url), their routed form
//!   `<family id>.<secret>`, and hashing them (SHA-256); stores only ever see hashes.
//! - [`record`]: the versioned JSON records a store holds, and the [`Commit`] (one atomic
//!   compare-and-set) that changes them.
//! - [`rotation`]: the rules, as pure functions of (stored records, now, policy) returning a
//!   [`Decision`]; the caller applies it with one compare-and-set and, if another caller got
//!   there first, reads again and decides again.
//! - [`seal`]: how a concurrent retry inside the grace window gets the same successor back
//!   although the store keeps no usable token.
//!
//! ```
//! use jwtward::refresh::{decide, hash_token, issue, generate_refresh_token, Decision, RefreshPolicy, Stored};
//! let policy = RefreshPolicy::default();
//! let issued = issue(&policy, "user-1", None, 1_700_000_000.0)?;
//! // A store files issued.commit's records; on refresh it returns them for hash_token(token).
//! let (family, token) = (&issued.commit.family.record, &issued.commit.tokens[0].record);
//! let stored = Stored { token: Some(token), sealed: None, family: Some(family) };
//! let next = generate_refresh_token(32)?;
//! match decide(&policy, issued.token.expose(), stored, 1_700_000_060.0, &next)? {
//!     // Apply `commit` with one compare-and-set; if it did not land, read again and decide again.
//!     Decision::Rotate { commit, result } => assert_eq!((commit.tokens.len(), result.subject.as_str()), (2, "user-1")),
//!     // A concurrent retry inside the grace window: hand back the same successor, write nothing.
//!     Decision::Replay(result) => assert_eq!(result.subject, "user-1"),
//!     // Reuse outside the grace window: apply `commit` (the family revoked), then report `error`.
//!     Decision::RevokeFamily { commit: _, error } => return Err(error),
//! }
//! # Ok::<(), jwtward::Error>(())
//! ```

pub mod record;
pub mod rotation;
pub mod seal;
pub mod token;

pub use record::{Commit, FamilyRecord, TokenRecord};
pub use rotation::{decide, issue, issue_with, revoke_family, Decision, Issued, RefreshPolicy, Rotated, Stored};
pub use token::{generate_refresh_token, hash_token, is_family_id, refresh_token_family, RefreshToken};
