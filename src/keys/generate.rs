//! Key generation for tests, demos and signers: 2048-bit RSA (e = 65537), P-256/384/521 and
//! Ed25519, all from the system random source. HMAC secrets are not generated here on purpose:
//! a secret is shared, so it is created and stored by whoever shares it.

use super::Key;
use crate::alg::{Alg, Family};
use crate::crypto::{Curve, KeyMaterial};
use crate::error::{not_supported, Error, ErrorCode, Result};
use crate::random;
use zeroize::Zeroizing;

/// RSA modulus size of generated keys (the RFC 7518 minimum, and what `jose` generates).
const RSA_BITS: usize = 2048;

fn ec_scalar(curve: Curve) -> Result<Zeroizing<Vec<u8>>> {
    use p256::elliptic_curve::Generate;
    let mut rng = random::system_rng();
    let rng_error = |e: getrandom::Error| Error::new(ErrorCode::NotSupported, format!("random source failed: {e}"));
    Ok(Zeroizing::new(match curve {
        Curve::P256 => p256::SecretKey::try_generate_from_rng(&mut rng).map_err(rng_error)?.to_bytes().to_vec(),
        Curve::P384 => p384::SecretKey::try_generate_from_rng(&mut rng).map_err(rng_error)?.to_bytes().to_vec(),
        Curve::P521 => p521::SecretKey::try_generate_from_rng(&mut rng).map_err(rng_error)?.to_bytes().to_vec(),
    }))
}

impl Key {
    /// Generates a key pair for `alg`, returning `(private, public)`; both carry `alg` and `kid`.
    ///
    /// RS*/PS* give 2048-bit RSA, ES* the matching curve, EdDSA Ed25519. HS* is
    /// `ERR_JOSE_NOT_SUPPORTED`: use [`Key::from_secret`] with at least hash-length random bytes.
    pub fn generate(alg: Alg, kid: Option<String>) -> Result<(Key, Key)> {
        let material = match alg.family() {
            Family::Hmac => {
                return Err(not_supported(format!(
                    "{alg} keys are not generated; use Key::from_secret with at least {} random bytes (jwtward::random::random_bytes)",
                    alg.hash().output_len()
                )))
            }
            Family::RsaPkcs1 | Family::RsaPss => {
                let mut rng = random::seeded_rng()?;
                let private = rsa::RsaPrivateKey::new(&mut rng, RSA_BITS)
                    .map_err(|e| Error::new(ErrorCode::NotSupported, format!("RSA key generation failed: {e}")))?;
                KeyMaterial::rsa_from_private(private)?
            }
            Family::Ecdsa => {
                let curve = match alg {
                    Alg::ES256 => Curve::P256,
                    Alg::ES384 => Curve::P384,
                    _ => Curve::P521,
                };
                KeyMaterial::ec_private(curve, &ec_scalar(curve)?)?
            }
            Family::EdDsa => {
                let mut seed = Zeroizing::new([0u8; 32]);
                random::fill(seed.as_mut())?;
                KeyMaterial::ed25519_private(seed.as_ref())?
            }
        };
        let private = Key::new(material, Some(alg), kid)?;
        let public = private.public_key()?;
        Ok((private, public))
    }

    /// The public half of this key, with the same metadata (`ERR_JOSE_NOT_SUPPORTED` for a secret).
    pub fn public_key(&self) -> Result<Key> {
        let jwk = self.to_public_jwk()?;
        let mut public = Key::from_jwk(&jwk)?;
        public.key_ops = self.key_ops.as_deref().map(super::public_key_ops);
        Ok(public)
    }
}
