//! jwtward: a strict JSON Web Token verifier.
//!
//! The core is plain Rust, usable natively; the JavaScript bindings live in [`wasm`] and are
//! compiled only for `wasm32`. Every function that takes untrusted input returns a
//! [`Result`] whose error carries a stable code; nothing here panics on input.
//!
//! ```
//! use jwtward::{Key, KeySet, Signer, SignerOptions, Verifier, VerifyOptions, Alg};
//! let key = Key::from_secret(b"a-32-byte-secret-for-hs256-demo!", None, None)?;
//! let signer = Signer::new(key.clone(), SignerOptions::new(Alg::HS256))?;
//! let mut claims = serde_json::Map::new();
//! claims.insert("sub".into(), "ada".into());
//! let token = signer.sign(&claims, 1_700_000_000.0)?;
//! let verifier = Verifier::new(KeySet::new(vec![key]), VerifyOptions::new(vec![Alg::HS256]))?;
//! let verified = verifier.verify(&token, 1_700_000_010.0)?;
//! assert_eq!(verified.payload()["sub"], "ada");
//! # Ok::<(), jwtward::Error>(())
//! ```

// A panic in wasm kills the module for every later caller: outside tests, no unwrap, expect,
// panic, unreachable or unchecked indexing (clippy enforces it; tests are exempt).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::unreachable, clippy::indexing_slicing)
)]

pub mod alg;
pub mod base64url;
pub mod claims;
pub mod crypto;
pub mod decode;
pub mod duration;
pub mod error;
pub mod json;
pub mod keys;
pub mod random;
pub mod refresh;
pub mod sign;
pub mod verify;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use alg::Alg;
pub use claims::ClaimOptions;
pub use decode::{decode, decode_header, Decoded};
pub use error::{Error, ErrorCode, Result};
pub use keys::{Key, KeySet};
pub use sign::{Signer, SignerOptions};
pub use verify::{Verified, Verifier, VerifyOptions};
