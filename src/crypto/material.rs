//! Validated key material. Keys are parsed once (the expensive part for RSA) into RustCrypto
//! types; everything another backend needs to import the same key is derivable from here: the
//! raw public components ([`PublicParts`], also used for JWK export) and SPKI / PKCS#8 DER.
//! All size and curve policy lives in these constructors so no path can bypass it.

use crate::alg::Alg;
use crate::error::{jwk_invalid, Error, Result};
use hmac::Hmac;
use rsa::traits::PublicKeyParts;
use rsa::{BoxedUint, RsaPrivateKey, RsaPublicKey};
use sha2::{Sha256, Sha384, Sha512};
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// Smallest RSA modulus we accept (RFC 7518 3.3 requires 2048 bits).
pub const RSA_MIN_BITS: usize = 2048;
/// Largest RSA modulus we accept. Verification cost grows with the square of the size (measured
/// natively: 2048 bits 45 us, 4096 bits 186 us, 8192 bits 730 us, 16384 bits 3 ms), so 4096 keeps
/// the worst key within a few 2048-bit verifications. Every mainstream issuer, KMS and HSM signs
/// with 4096 bits or fewer.
pub const RSA_MAX_BITS: usize = 4096;

/// The NIST curves of ES256/ES384/ES512.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// The JWK `crv` name.
    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        }
    }

    /// Parses a JWK `crv` name.
    pub fn from_name(name: &str) -> Option<Curve> {
        match name {
            "P-256" => Some(Curve::P256),
            "P-384" => Some(Curve::P384),
            "P-521" => Some(Curve::P521),
            _ => None,
        }
    }

    /// Field element (and scalar) length in bytes: the length of JWK x/y/d and of r and s.
    pub fn field_len(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The only algorithm this curve may be used with (RFC 7518 3.4).
    pub fn alg(self) -> Alg {
        match self {
            Curve::P256 => Alg::ES256,
            Curve::P384 => Alg::ES384,
            Curve::P521 => Alg::ES512,
        }
    }
}

/// An EC key on one of the supported curves; `private` is `None` for a public key.
#[derive(Clone)]
pub enum EcKey {
    P256 { public: p256::ecdsa::VerifyingKey, private: Option<p256::ecdsa::SigningKey> },
    P384 { public: p384::ecdsa::VerifyingKey, private: Option<p384::ecdsa::SigningKey> },
    P521 { public: p521::ecdsa::VerifyingKey, private: Option<p521::ecdsa::SigningKey> },
}

/// An HMAC secret: its bytes (wiped on drop) and, made on first use, the HMAC state keyed with
/// them for each hash. Keying HMAC costs two compression-function calls of the eight an HS256
/// verification of a typical token makes (callgrind: 14% of a whole verification), so each
/// verification starts from a copy of the keyed state instead. The keyed states are as secret
/// as the bytes (they are wiped on drop when the `hmac` crate's `zeroize` feature is on).
#[derive(Clone)]
pub struct Secret {
    bytes: Zeroizing<Vec<u8>>,
    /// Boxed: three HMAC states would make every `KeyMaterial` as large.
    pub(in crate::crypto) keyed: Box<KeyedHmac>,
}

/// The HMAC state keyed with a secret, per hash, made on first use.
#[derive(Clone, Default)]
pub(in crate::crypto) struct KeyedHmac {
    pub(in crate::crypto) sha256: OnceLock<Hmac<Sha256>>,
    pub(in crate::crypto) sha384: OnceLock<Hmac<Sha384>>,
    pub(in crate::crypto) sha512: OnceLock<Hmac<Sha512>>,
}

impl Secret {
    /// The bytes, as given (never empty: the key loaders refuse that).
    pub fn new(bytes: &[u8]) -> Secret {
        Secret { bytes: Zeroizing::new(bytes.to_vec()), keyed: Box::default() }
    }
}

impl std::ops::Deref for Secret {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// Parsed, policy-checked key material.
#[derive(Clone)]
pub enum KeyMaterial {
    /// An HMAC secret (never empty). Wiped on drop.
    Secret(Secret),
    /// An RSA key of 2048..=4096 bits; `public` is always present (derived for private keys).
    Rsa { public: RsaPublicKey, private: Option<RsaPrivateKey> },
    /// An ECDSA key.
    Ec(EcKey),
    /// An Ed25519 key.
    Ed25519 { public: ed25519_dalek::VerifyingKey, private: Option<ed25519_dalek::SigningKey> },
}

/// The public components of an asymmetric key, big-endian, as a JWK carries them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicParts {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Curve, x: Vec<u8>, y: Vec<u8> },
    Ed25519 { x: Vec<u8> },
}

fn uint(bytes: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice_vartime(bytes)
}

/// Leading zero octets carry no value; strip them so bit-length checks are exact.
fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or(&[])
}

fn rsa_size_check(n: &[u8]) -> Result<()> {
    let n = strip_zeros(n);
    let bits = match n.first() {
        Some(&top) => (n.len().saturating_sub(1))
            .checked_mul(8)
            .and_then(|b| b.checked_add(8usize.saturating_sub(top.leading_zeros() as usize)))
            .ok_or_else(|| jwk_invalid("RSA modulus is too large"))?,
        None => 0,
    };
    if bits < RSA_MIN_BITS {
        return Err(jwk_invalid(format!("RSA keys must be at least {RSA_MIN_BITS} bits, got {bits}")));
    }
    if bits > RSA_MAX_BITS {
        return Err(jwk_invalid(format!("RSA keys must be at most {RSA_MAX_BITS} bits, got {bits}")));
    }
    Ok(())
}

fn rsa_error(what: &str, e: rsa::Error) -> Error {
    jwk_invalid(format!("invalid RSA {what}: {e}"))
}

impl KeyMaterial {
    /// An RSA public key from its modulus and exponent (big-endian, leading zeros allowed).
    pub fn rsa_public(n: &[u8], e: &[u8]) -> Result<KeyMaterial> {
        rsa_size_check(n)?;
        let e = strip_zeros(e);
        if e.len() > 8 {
            return Err(jwk_invalid("RSA public exponent is too large"));
        }
        let public = RsaPublicKey::new_with_size_limits(uint(strip_zeros(n)), uint(e), RSA_MIN_BITS..=RSA_MAX_BITS)
            .map_err(|err| rsa_error("public key", err))?;
        Ok(KeyMaterial::Rsa { public, private: None })
    }

    /// An RSA private key from n, e, d and the two primes. The key is validated
    /// (p*q = n, d*e = 1 mod (p-1) and (q-1)), so an inconsistent JWK/PEM is refused.
    pub fn rsa_private(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]) -> Result<KeyMaterial> {
        // Runs the public checks (size, exponent) first, with the same messages.
        let KeyMaterial::Rsa { public, .. } = KeyMaterial::rsa_public(n, e)? else {
            return Err(jwk_invalid("invalid RSA key"));
        };
        let private = RsaPrivateKey::from_components(
            uint(strip_zeros(n)),
            uint(strip_zeros(e)),
            uint(strip_zeros(d)),
            vec![uint(strip_zeros(p)), uint(strip_zeros(q))],
        )
        .map_err(|err| rsa_error("private key", err))?;
        if private.to_public_key() != public {
            return Err(jwk_invalid("RSA private key does not match its public key"));
        }
        Ok(KeyMaterial::Rsa { public, private: Some(private) })
    }

    /// Wraps an RSA private key produced by this crate (key generation), re-checking its size.
    pub(crate) fn rsa_from_private(private: RsaPrivateKey) -> Result<KeyMaterial> {
        let public = private.to_public_key();
        rsa_size_check(&public.n().to_be_bytes())?;
        Ok(KeyMaterial::Rsa { public, private: Some(private) })
    }

    /// An EC public key from a SEC1 point (uncompressed `04||x||y` or compressed). The point
    /// must be on the curve and not the identity.
    pub fn ec_public_sec1(curve: Curve, point: &[u8]) -> Result<KeyMaterial> {
        let bad = || jwk_invalid(format!("EC public key is not a valid point on {}", curve.name()));
        let key = match curve {
            Curve::P256 => EcKey::P256 {
                public: p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
            Curve::P384 => EcKey::P384 {
                public: p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
            Curve::P521 => EcKey::P521 {
                public: p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
        };
        Ok(KeyMaterial::Ec(key))
    }

    /// An EC public key from JWK coordinates, each exactly the field length.
    pub fn ec_public_xy(curve: Curve, x: &[u8], y: &[u8]) -> Result<KeyMaterial> {
        let len = curve.field_len();
        if x.len() != len || y.len() != len {
            return Err(jwk_invalid(format!(
                "EC {} coordinates must be {len} bytes each, got x {} and y {}",
                curve.name(),
                x.len(),
                y.len()
            )));
        }
        let mut point = Vec::with_capacity(len.saturating_mul(2).saturating_add(1));
        point.push(0x04);
        point.extend_from_slice(x);
        point.extend_from_slice(y);
        KeyMaterial::ec_public_sec1(curve, &point)
    }

    /// An EC private key from its scalar (exactly the field length, in [1, n-1]).
    pub fn ec_private(curve: Curve, d: &[u8]) -> Result<KeyMaterial> {
        let len = curve.field_len();
        if d.len() != len {
            return Err(jwk_invalid(format!("EC {} private key must be {len} bytes, got {}", curve.name(), d.len())));
        }
        let bad = || jwk_invalid(format!("EC private key is not a valid {} scalar", curve.name()));
        let key = match curve {
            Curve::P256 => {
                let sk = p256::ecdsa::SigningKey::from_slice(d).map_err(|_| bad())?;
                EcKey::P256 { public: *sk.verifying_key(), private: Some(sk) }
            }
            Curve::P384 => {
                let sk = p384::ecdsa::SigningKey::from_slice(d).map_err(|_| bad())?;
                EcKey::P384 { public: *sk.verifying_key(), private: Some(sk) }
            }
            Curve::P521 => {
                let sk = p521::ecdsa::SigningKey::from_slice(d).map_err(|_| bad())?;
                EcKey::P521 { public: *sk.verifying_key(), private: Some(sk) }
            }
        };
        Ok(KeyMaterial::Ec(key))
    }

    /// An Ed25519 public key. Small-order ("weak") points are refused: no honest key is one,
    /// and `verify_strict` would reject every signature anyway.
    pub fn ed25519_public(x: &[u8]) -> Result<KeyMaterial> {
        let bytes: &[u8; 32] =
            x.try_into().map_err(|_| jwk_invalid(format!("Ed25519 public key must be 32 bytes, got {}", x.len())))?;
        let public = ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map_err(|_| jwk_invalid("Ed25519 public key is not a valid curve point"))?;
        if public.is_weak() {
            return Err(jwk_invalid("Ed25519 public key is a small-order point"));
        }
        Ok(KeyMaterial::Ed25519 { public, private: None })
    }

    /// An Ed25519 private key from its 32-byte seed.
    pub fn ed25519_private(d: &[u8]) -> Result<KeyMaterial> {
        let seed: &[u8; 32] =
            d.try_into().map_err(|_| jwk_invalid(format!("Ed25519 private key must be 32 bytes, got {}", d.len())))?;
        let private = ed25519_dalek::SigningKey::from_bytes(seed);
        Ok(KeyMaterial::Ed25519 { public: private.verifying_key(), private: Some(private) })
    }

    /// Whether signing is possible (HMAC secrets count as private).
    pub fn is_private(&self) -> bool {
        match self {
            KeyMaterial::Secret(_) => true,
            KeyMaterial::Rsa { private, .. } => private.is_some(),
            KeyMaterial::Ec(EcKey::P256 { private, .. }) => private.is_some(),
            KeyMaterial::Ec(EcKey::P384 { private, .. }) => private.is_some(),
            KeyMaterial::Ec(EcKey::P521 { private, .. }) => private.is_some(),
            KeyMaterial::Ed25519 { private, .. } => private.is_some(),
        }
    }

    /// The JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match self {
            KeyMaterial::Secret(_) => "oct",
            KeyMaterial::Rsa { .. } => "RSA",
            KeyMaterial::Ec(_) => "EC",
            KeyMaterial::Ed25519 { .. } => "OKP",
        }
    }

    /// The EC curve, if this is an EC key.
    pub fn curve(&self) -> Option<Curve> {
        match self {
            KeyMaterial::Ec(EcKey::P256 { .. }) => Some(Curve::P256),
            KeyMaterial::Ec(EcKey::P384 { .. }) => Some(Curve::P384),
            KeyMaterial::Ec(EcKey::P521 { .. }) => Some(Curve::P521),
            _ => None,
        }
    }

    /// A short human name for messages: "secret", "RSA", "EC P-256", "Ed25519".
    pub fn kind_name(&self) -> &'static str {
        match self {
            KeyMaterial::Secret(_) => "secret",
            KeyMaterial::Rsa { .. } => "RSA",
            KeyMaterial::Ec(EcKey::P256 { .. }) => "EC P-256",
            KeyMaterial::Ec(EcKey::P384 { .. }) => "EC P-384",
            KeyMaterial::Ec(EcKey::P521 { .. }) => "EC P-521",
            KeyMaterial::Ed25519 { .. } => "Ed25519",
        }
    }

    /// Whether this material can be used with `alg` at all (family and curve).
    pub fn supports(&self, alg: Alg) -> bool {
        use crate::alg::Family;
        match (self, alg.family()) {
            (KeyMaterial::Secret(_), Family::Hmac) => true,
            (KeyMaterial::Rsa { .. }, Family::RsaPkcs1 | Family::RsaPss) => true,
            (KeyMaterial::Ec(_), Family::Ecdsa) => self.curve().map(Curve::alg) == Some(alg),
            (KeyMaterial::Ed25519 { .. }, Family::EdDsa) => true,
            _ => false,
        }
    }

    /// The public components; `None` for a secret, which has no public form.
    pub fn public_parts(&self) -> Option<PublicParts> {
        fn split(point: &[u8], curve: Curve) -> Option<PublicParts> {
            let len = curve.field_len();
            // Uncompressed SEC1: 0x04 || x || y.
            let mid = len.checked_add(1)?;
            let end = mid.checked_add(len)?;
            let x = point.get(1..mid)?.to_vec();
            let y = point.get(mid..end)?.to_vec();
            Some(PublicParts::Ec { curve, x, y })
        }
        match self {
            KeyMaterial::Secret(_) => None,
            KeyMaterial::Rsa { public, .. } => Some(PublicParts::Rsa {
                n: strip_zeros(&public.n().to_be_bytes()).to_vec(),
                e: strip_zeros(&public.e().to_be_bytes()).to_vec(),
            }),
            KeyMaterial::Ec(EcKey::P256 { public, .. }) => split(public.to_sec1_point(false).as_bytes(), Curve::P256),
            KeyMaterial::Ec(EcKey::P384 { public, .. }) => split(public.to_sec1_point(false).as_bytes(), Curve::P384),
            KeyMaterial::Ec(EcKey::P521 { public, .. }) => split(public.to_sec1_point(false).as_bytes(), Curve::P521),
            KeyMaterial::Ed25519 { public, .. } => Some(PublicParts::Ed25519 { x: public.to_bytes().to_vec() }),
        }
    }

    /// The public key as SPKI DER (what node:crypto / WebCrypto import as "spki").
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        use rsa::pkcs8::EncodePublicKey;
        let der = match self {
            KeyMaterial::Secret(_) => return Err(crate::error::not_supported("a secret key has no public form")),
            KeyMaterial::Rsa { public, .. } => public.to_public_key_der(),
            KeyMaterial::Ec(EcKey::P256 { public, .. }) => public.to_public_key_der(),
            KeyMaterial::Ec(EcKey::P384 { public, .. }) => public.to_public_key_der(),
            KeyMaterial::Ec(EcKey::P521 { public, .. }) => public.to_public_key_der(),
            KeyMaterial::Ed25519 { public, .. } => public.to_public_key_der(),
        };
        der.map(|d| d.as_bytes().to_vec()).map_err(|e| jwk_invalid(format!("cannot encode public key: {e}")))
    }

    /// The private key as PKCS#8 DER (wiped on drop); `None` for public keys and secrets.
    pub fn pkcs8_der(&self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        use rsa::pkcs8::EncodePrivateKey;
        let doc = match self {
            KeyMaterial::Secret(_) => return Ok(None),
            KeyMaterial::Rsa { private, .. } => private.as_ref().map(|k| k.to_pkcs8_der()),
            KeyMaterial::Ec(EcKey::P256 { private, .. }) => private.as_ref().map(|k| k.to_pkcs8_der()),
            KeyMaterial::Ec(EcKey::P384 { private, .. }) => private.as_ref().map(|k| k.to_pkcs8_der()),
            KeyMaterial::Ec(EcKey::P521 { private, .. }) => private.as_ref().map(|k| k.to_pkcs8_der()),
            KeyMaterial::Ed25519 { private, .. } => private.as_ref().map(|k| k.to_pkcs8_der()),
        };
        match doc {
            None => Ok(None),
            Some(Ok(doc)) => Ok(Some(Zeroizing::new(doc.as_bytes().to_vec()))),
            Some(Err(e)) => Err(jwk_invalid(format!("cannot encode private key: {e}"))),
        }
    }
}
