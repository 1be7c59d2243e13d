//! EdDSA with Ed25519 only (RFC 8037). Verification is `verify_strict`: it rejects
//! non-canonical S, small-order keys and small-order R, so one message has one valid signature
//! per key. Signatures are exactly 64 bytes.

use crate::crypto::verification_failed;
use crate::error::Result;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

pub(super) fn verify(key: &VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let bytes: &[u8; 64] = sig.try_into().map_err(|_| verification_failed())?;
    let sig = Signature::from_bytes(bytes);
    key.verify_strict(msg, &sig).map_err(|_| verification_failed())
}

pub(super) fn sign(key: &SigningKey, msg: &[u8]) -> Result<Vec<u8>> {
    Ok(key.sign(msg).to_bytes().to_vec())
}
