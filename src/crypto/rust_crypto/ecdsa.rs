//! ES256/ES384/ES512 (RFC 7518 3.4): P-256/SHA-256, P-384/SHA-384, P-521/SHA-512. Signatures
//! are raw r||s of exactly twice the field length; DER is never accepted. Parsing refuses r or s
//! outside [1, n-1] (so r = s = 0, CVE-2022-21449, fails). High-S values verify, as in Wycheproof.
//! Signing is deterministic (RFC 6979), so it needs no randomness.

use crate::crypto::material::EcObjects as EcKey;
use crate::crypto::verification_failed;
use crate::error::{not_supported, Error, ErrorCode, Result};
use p256::ecdsa::signature::{Signer, Verifier};

macro_rules! verify_with {
    ($curve:ident, $public:expr, $msg:expr, $sig:expr, $len:expr) => {{
        if $sig.len() != 2 * $len {
            return Err(verification_failed());
        }
        let sig = $curve::ecdsa::Signature::from_slice($sig).map_err(|_| verification_failed())?;
        $public.verify($msg, &sig).map_err(|_| verification_failed())
    }};
}

macro_rules! sign_with {
    ($curve:ident, $private:expr, $msg:expr) => {{
        let key = $private.as_ref().ok_or_else(|| not_supported("signing needs a private key"))?;
        let sig: $curve::ecdsa::Signature = key
            .try_sign($msg)
            .map_err(|e| Error::new(ErrorCode::NotSupported, format!("ECDSA signing failed: {e}")))?;
        Ok(sig.to_bytes().to_vec())
    }};
}

pub(super) fn verify(key: &EcKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    match key {
        EcKey::P256 { public, .. } => verify_with!(p256, public, msg, sig, 32),
        EcKey::P384 { public, .. } => verify_with!(p384, public, msg, sig, 48),
        EcKey::P521 { public, .. } => verify_with!(p521, public, msg, sig, 66),
    }
}

pub(super) fn sign(key: &EcKey, msg: &[u8]) -> Result<Vec<u8>> {
    match key {
        EcKey::P256 { private, .. } => sign_with!(p256, private, msg),
        EcKey::P384 { private, .. } => sign_with!(p384, private, msg),
        EcKey::P521 { private, .. } => sign_with!(p521, private, msg),
    }
}
