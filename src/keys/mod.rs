//! Keys: HMAC secrets, RSA, EC (P-256/384/521) and Ed25519 keys, from raw secrets, PEM and JWK.
//! A key is bound to its type: it can only ever be used with the algorithms of its family
//! and curve, and with its own `alg` when it has one (no algorithm confusion). The parsing
//! lives in the submodules (one format each); the cryptography is behind [`crate::crypto`].

mod generate;
mod jwk;
mod jwks;
mod pem;
mod published;
mod secret;
mod x509;

pub use jwks::{KeySet, MAX_JWKS_KEYS, MAX_JWKS_SIZE};
pub use pem::MAX_PEM_SIZE;
pub use x509::MAX_CERT_SIZE;

use crate::alg::{Alg, Family};
use crate::crypto::{self, article, KeyId, KeyMaterial, SignatureBackend};
use crate::error::{Error, ErrorCode, Result};
use std::fmt;
use std::sync::Arc;

/// What a key is asked to do: the `key_ops` values (RFC 7517 4.3) a use needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOp {
    Sign,
    Verify,
}

impl KeyOp {
    /// The `key_ops` value for this operation.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyOp::Sign => "sign",
            KeyOp::Verify => "verify",
        }
    }
}

/// A verification or signing key with its JWK metadata.
///
/// Cloning is cheap (the material is shared) and the secret parts are wiped when the last
/// clone is dropped. `Debug` shows the key type and metadata only, never key material.
///
/// ```
/// use jwtward::{Alg, Key};
/// let key = Key::from_secret(b"a-32-byte-secret-for-hs256-demo!", None, None)?;
/// let sig = key.sign(Alg::HS256, b"header.payload")?;
/// assert!(key.verify(Alg::HS256, b"header.payload", &sig).is_ok());
/// assert!(key.verify(Alg::RS256, b"header.payload", &sig).is_err());
/// # Ok::<(), jwtward::Error>(())
/// ```
#[derive(Clone)]
pub struct Key {
    material: Arc<KeyMaterial>,
    /// Shared by clones, like the material it names.
    id: KeyId,
    kid: Option<String>,
    alg: Option<Alg>,
    key_use: Option<String>,
    key_ops: Option<Vec<String>>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("kty", &self.kty())
            .field("type", &self.material.kind_name())
            .field("private", &self.is_private())
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("use", &self.key_use)
            .field("key_ops", &self.key_ops)
            .finish()
    }
}

impl Key {
    /// Builds a key from validated material; `alg`, if given, must fit the material.
    fn new(material: KeyMaterial, alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if let Some(alg) = alg {
            check_alg_fits_material(&material, alg)?;
        }
        Ok(Key { material: Arc::new(material), id: KeyId::fresh(), kid, alg, key_use: None, key_ops: None })
    }

    /// The key id (`kid`), if any.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// The algorithm the key is bound to (`alg`), if any.
    pub fn alg(&self) -> Option<Alg> {
        self.alg
    }

    /// The JWK key type: `"oct"`, `"RSA"`, `"EC"` or `"OKP"`.
    pub fn kty(&self) -> &'static str {
        self.material.kty()
    }

    /// The JWK `use`, if any. A key with a `use` other than `"sig"` never fits.
    pub fn key_use(&self) -> Option<&str> {
        self.key_use.as_deref()
    }

    /// The JWK `key_ops`, if any.
    pub fn key_ops(&self) -> Option<&[String]> {
        self.key_ops.as_deref()
    }

    /// Whether the key can sign (private asymmetric keys and HMAC secrets).
    pub fn is_private(&self) -> bool {
        self.material.is_private()
    }

    /// The identity of this key's material, under which host backends cache imported keys.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The validated key material, for signature backends.
    pub fn material(&self) -> &KeyMaterial {
        &self.material
    }

    /// Whether the key may verify `alg`: the key type and curve match the algorithm, the
    /// key's own `alg` (if set) is `alg`, its `use` (if set) is `"sig"` and its `key_ops` (if
    /// set) include `"verify"`. See [`Key::fits_for`] for signing.
    pub fn fits(&self, alg: Alg) -> bool {
        self.fits_for(alg, KeyOp::Verify)
    }

    /// Whether the key may be used with `alg` for `op`: as [`Key::fits`], with `key_ops` (if
    /// set) including `op`'s value (`"sign"` or `"verify"`).
    pub fn fits_for(&self, alg: Alg, op: KeyOp) -> bool {
        self.misfit(alg, op).is_none()
    }

    /// Why the key does not fit `alg` for `op`, as an `ERR_JOSE_ALG_NOT_ALLOWED` error.
    fn misfit(&self, alg: Alg, op: KeyOp) -> Option<Error> {
        self.type_misfit(alg).or_else(|| self.usage_misfit(op))
    }

    /// Whether the key's type, curve and own `alg` allow `alg`, whatever its `use` and `key_ops`.
    pub(crate) fn type_fits(&self, alg: Alg) -> bool {
        self.type_misfit(alg).is_none()
    }

    /// Why the key's type, curve or own `alg` do not allow `alg`.
    fn type_misfit(&self, alg: Alg) -> Option<Error> {
        if !self.material.supports(alg) {
            return Some(crypto::wrong_key(alg, &self.material));
        }
        match self.alg {
            Some(own) if own != alg => Some(Error::new(
                ErrorCode::AlgNotAllowed,
                format!("this key is bound to {own} and cannot be used with {alg}"),
            )),
            _ => None,
        }
    }

    /// Why the key's JWK `use` or `key_ops` (RFC 7517 4.2, 4.3) forbid `op`, if they do. A key
    /// published for signing only (`"key_ops": ["sign"]`, as WebCrypto exports a private key)
    /// or for encryption is never used to verify: its owner said what it is for.
    pub fn usage_misfit(&self, op: KeyOp) -> Option<Error> {
        let not_allowed = |m: String| Some(Error::new(ErrorCode::AlgNotAllowed, m));
        if let Some(u) = &self.key_use {
            if u != "sig" {
                return not_allowed(format!(
                    "a key with use {:?} cannot be used for signatures (only \"sig\" can)",
                    crate::alg::truncate(u, 32)
                ));
            }
        }
        if let Some(ops) = &self.key_ops {
            if !ops.iter().any(|o| o == op.as_str()) {
                let listed: Vec<String> =
                    ops.iter().take(8).map(|o| format!("{:?}", crate::alg::truncate(o, 32))).collect();
                let more = if ops.len() > 8 { ", ..." } else { "" };
                let op = op.as_str();
                return not_allowed(format!(
                    "a key with key_ops [{}{more}], without {op:?}, cannot be used to {op}",
                    listed.join(", ")
                ));
            }
        }
        None
    }

    /// Checks that this key may verify `alg`: [`Key::fits`], plus the HMAC secret length
    /// (RFC 7518 3.2), so a verifier can refuse an unusable secret when it is built.
    pub fn check_use(&self, alg: Alg) -> Result<()> {
        self.check_use_for(alg, KeyOp::Verify)
    }

    /// [`Key::check_use`] for `op`.
    pub fn check_use_for(&self, alg: Alg, op: KeyOp) -> Result<()> {
        if let Some(e) = self.misfit(alg, op) {
            return Err(e);
        }
        if let KeyMaterial::Secret(s) = &*self.material {
            secret::check_length(s.len(), alg)?;
        }
        Ok(())
    }

    /// Verifies a JWS signature over `signing_input` (`protected "." payload`).
    ///
    /// Errors: `ERR_JOSE_ALG_NOT_ALLOWED` if the key does not fit `alg`, `ERR_JWK_INVALID` for an
    /// HMAC secret shorter than the hash, `ERR_JWS_SIGNATURE_VERIFICATION_FAILED` otherwise.
    pub fn verify(&self, alg: Alg, signing_input: &[u8], signature: &[u8]) -> Result<()> {
        self.verify_with(crypto::backend(), alg, signing_input, signature)
    }

    /// [`Key::verify`] through a given signature backend (a host-native one, say).
    pub fn verify_with(
        &self,
        backend: &dyn SignatureBackend,
        alg: Alg,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<()> {
        self.check_use_for(alg, KeyOp::Verify)?;
        backend.verify(&self.material, self.id, alg, signing_input, signature)
    }

    /// Signs `signing_input` with `alg`, producing the JWS signature bytes.
    ///
    /// Errors: as [`Key::verify`], plus `ERR_JOSE_NOT_SUPPORTED` for a public-only key.
    pub fn sign(&self, alg: Alg, signing_input: &[u8]) -> Result<Vec<u8>> {
        self.check_use_for(alg, KeyOp::Sign)?;
        if !self.is_private() {
            return Err(crate::error::not_supported("signing needs a private key"));
        }
        crypto::backend().sign(&self.material, alg, signing_input)
    }
}

/// The `key_ops` of a private key's public half: each operation as its public counterpart
/// (RFC 7517 4.3 pairs "sign" with "verify"), so the public half of a private JWK exported by
/// WebCrypto (`"key_ops": ["sign"]`) verifies.
pub(super) fn public_key_ops(ops: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for op in ops {
        let public = match op.as_str() {
            "sign" => "verify",
            "decrypt" => "encrypt",
            "unwrapKey" => "wrapKey",
            other => other,
        };
        if !out.iter().any(|o| o == public) {
            out.push(public.to_owned());
        }
    }
    out
}

/// A key's declared `alg` must be usable with its material, else the key is invalid
/// (e.g. an EC P-256 JWK that says `"alg": "ES384"`).
fn check_alg_fits_material(material: &KeyMaterial, alg: Alg) -> Result<()> {
    if material.supports(alg) {
        if let (KeyMaterial::Secret(s), Family::Hmac) = (material, alg.family()) {
            secret::check_length(s.len(), alg)?;
        }
        return Ok(());
    }
    let name = material.kind_name();
    Err(crate::error::jwk_invalid(format!("{} {name} key cannot be used with {alg}", article(name))))
}

#[cfg(test)]
mod tests;
