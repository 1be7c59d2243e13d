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

pub use jwks::{KeySet, MAX_JWKS_KEYS, MAX_JWKS_SIZE};
pub use pem::MAX_PEM_SIZE;

use crate::alg::{Alg, Family};
use crate::crypto::{self, article, KeyId, KeyMaterial, SignatureBackend};
use crate::error::{Error, ErrorCode, Result};
use std::fmt;
use std::sync::Arc;

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

    /// Whether the key may be used with `alg`: the key type and curve match the algorithm,
    /// the key's own `alg` (if set) is `alg`, its `use` (if set) is `"sig"` and its `key_ops`
    /// (if set) include `"verify"` or `"sign"`.
    pub fn fits(&self, alg: Alg) -> bool {
        self.misfit(alg).is_none()
    }

    /// Why the key does not fit `alg`, as an `ERR_JOSE_ALG_NOT_ALLOWED` error.
    fn misfit(&self, alg: Alg) -> Option<Error> {
        let not_allowed = |m: String| Some(Error::new(ErrorCode::AlgNotAllowed, m));
        if !self.material.supports(alg) {
            return Some(crypto::wrong_key(alg, &self.material));
        }
        if let Some(own) = self.alg {
            if own != alg {
                return not_allowed(format!("this key is bound to {own} and cannot be used with {alg}"));
            }
        }
        if let Some(u) = &self.key_use {
            if u != "sig" {
                return not_allowed(format!(
                    "this key has use {:?} and cannot be used for signatures",
                    crate::alg::truncate(u, 32)
                ));
            }
        }
        if let Some(ops) = &self.key_ops {
            if !ops.iter().any(|o| o == "verify" || o == "sign") {
                return not_allowed("this key's key_ops allow neither \"verify\" nor \"sign\"".to_owned());
            }
        }
        None
    }

    /// Checks that `alg` may be used with this key: [`Key::fits`], plus the HMAC secret length
    /// (RFC 7518 3.2), so a verifier can refuse an unusable secret when it is built.
    pub fn check_use(&self, alg: Alg) -> Result<()> {
        if let Some(e) = self.misfit(alg) {
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
        self.check_use(alg)?;
        backend.verify(&self.material, self.id, alg, signing_input, signature)
    }

    /// Signs `signing_input` with `alg`, producing the JWS signature bytes.
    ///
    /// Errors: as [`Key::verify`], plus `ERR_JOSE_NOT_SUPPORTED` for a public-only key.
    pub fn sign(&self, alg: Alg, signing_input: &[u8]) -> Result<Vec<u8>> {
        self.check_use(alg)?;
        if !self.is_private() {
            return Err(crate::error::not_supported("signing needs a private key"));
        }
        crypto::backend().sign(&self.material, alg, signing_input)
    }
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
