//! Validated key material. Keys are parsed and checked once, by the core ([`super::checks`]),
//! into their raw components (RSA n, e and d, p, q; EC curve, x, y and d; Ed25519 x and seed),
//! the private ones wiped on drop. The full build (feature `wasm-asym`) also builds the RustCrypto
//! objects at load, as the arithmetic needs them. Everything a host backend needs to import the
//! same key derives from the components: [`PublicParts`] (also the JWK export) and SPKI /
//! PKCS#8 DER. All size and curve policy lives in these constructors so no path can bypass it.

use super::checks::{self, strip_zeros};
use super::der_out;
#[cfg(not(feature = "wasm-asym"))]
use super::hostcall;
use crate::alg::Alg;
use crate::error::{jwk_invalid, Result};
use hmac::Hmac;
use sha2::{Sha256, Sha384, Sha512};
use std::sync::OnceLock;
use zeroize::Zeroizing;

pub use super::checks::{RSA_MAX_BITS, RSA_MIN_BITS};

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

/// An RSA key of 2048..=4096 bits: n and e without leading zeros, and the private parts.
#[derive(Clone)]
pub struct RsaKey {
    /// Names this material to a host that caches the private key it imported.
    pub(crate) host_id: super::KeyId,
    pub(crate) n: Vec<u8>,
    pub(crate) e: Vec<u8>,
    pub(crate) private: Option<RsaPrivateParts>,
    #[cfg(feature = "wasm-asym")]
    pub(crate) rc_public: rsa::RsaPublicKey,
    #[cfg(feature = "wasm-asym")]
    pub(crate) rc_private: Option<rsa::RsaPrivateKey>,
}

/// d, p and q, wiped on drop.
#[derive(Clone)]
pub(crate) struct RsaPrivateParts {
    pub(crate) d: Zeroizing<Vec<u8>>,
    pub(crate) p: Zeroizing<Vec<u8>>,
    pub(crate) q: Zeroizing<Vec<u8>>,
}

/// An EC key: its curve, the affine coordinates (each the field length) and the scalar.
#[derive(Clone)]
pub struct EcKey {
    /// Names this material to a host that caches the private key it imported.
    pub(crate) host_id: super::KeyId,
    pub(crate) curve: Curve,
    pub(crate) x: Vec<u8>,
    pub(crate) y: Vec<u8>,
    pub(crate) d: Option<Zeroizing<Vec<u8>>>,
    #[cfg(feature = "wasm-asym")]
    pub(crate) rc: EcObjects,
}

/// The RustCrypto keys of an [`EcKey`] (full build).
#[cfg(feature = "wasm-asym")]
#[derive(Clone)]
pub(crate) enum EcObjects {
    P256 { public: p256::ecdsa::VerifyingKey, private: Option<p256::ecdsa::SigningKey> },
    P384 { public: p384::ecdsa::VerifyingKey, private: Option<p384::ecdsa::SigningKey> },
    P521 { public: p521::ecdsa::VerifyingKey, private: Option<p521::ecdsa::SigningKey> },
}

/// An Ed25519 key: the public encoding (as given) and the seed.
#[derive(Clone)]
pub struct Ed25519Key {
    /// Names this material to a host that caches the private key it imported.
    pub(crate) host_id: super::KeyId,
    pub(crate) x: [u8; 32],
    pub(crate) seed: Option<Zeroizing<[u8; 32]>>,
    #[cfg(feature = "wasm-asym")]
    pub(crate) rc_public: ed25519_dalek::VerifyingKey,
    #[cfg(feature = "wasm-asym")]
    pub(crate) rc_private: Option<ed25519_dalek::SigningKey>,
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
    /// An RSA key of 2048..=4096 bits.
    Rsa(RsaKey),
    /// An ECDSA key.
    Ec(EcKey),
    /// An Ed25519 key.
    Ed25519(Ed25519Key),
}

/// The public components of an asymmetric key, big-endian, as a JWK carries them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublicParts {
    Rsa { n: Vec<u8>, e: Vec<u8> },
    Ec { curve: Curve, x: Vec<u8>, y: Vec<u8> },
    Ed25519 { x: Vec<u8> },
}

#[cfg(feature = "wasm-asym")]
fn uint(bytes: &[u8]) -> rsa::BoxedUint {
    rsa::BoxedUint::from_be_slice_vartime(bytes)
}

/// The core accepted a key the RustCrypto type refuses: the differential test says this cannot
/// happen; if it ever did, the key is refused.
#[cfg(feature = "wasm-asym")]
fn disagreement(what: &str) -> crate::error::Error {
    jwk_invalid(format!("invalid {what}"))
}

/// The SPKI DER of the public key a host derived, parsed back into (x, y) / x by the core.
#[cfg(not(feature = "wasm-asym"))]
fn derived_public(alg: Alg, pkcs8: &[u8]) -> Result<PublicParts> {
    let what = format!("deriving the public key of an {} private key", alg.kty());
    let host = hostcall::host()
        .ok_or_else(|| hostcall::needs_host(&format!("{what} (a private key given without its public key)")))?;
    let spki = host.derive_public(alg, pkcs8).ok_or_else(|| hostcall::needs_host(&what))??;
    super::der_in::spki(&spki)
        .ok()
        .and_then(|key| key.public_parts())
        .ok_or_else(|| jwk_invalid("the host derived a public key the core cannot read"))
}

impl KeyMaterial {
    /// An RSA public key from its modulus and exponent (big-endian, leading zeros allowed).
    pub fn rsa_public(n: &[u8], e: &[u8]) -> Result<KeyMaterial> {
        let (n, e) = (strip_zeros(n), strip_zeros(e));
        checks::rsa_public(n, e)?;
        Ok(KeyMaterial::Rsa(RsaKey {
            host_id: super::KeyId::fresh(),
            n: n.to_vec(),
            e: e.to_vec(),
            private: None,
            #[cfg(feature = "wasm-asym")]
            rc_public: rsa::RsaPublicKey::new_with_size_limits(uint(n), uint(e), RSA_MIN_BITS..=RSA_MAX_BITS)
                .map_err(|_| disagreement("RSA public key"))?,
            #[cfg(feature = "wasm-asym")]
            rc_private: None,
        }))
    }

    /// An RSA private key from n, e, d and the two primes. The key is validated
    /// (p*q = n, d*e = 1 mod (p-1) and (q-1)), so an inconsistent JWK/PEM is refused.
    pub fn rsa_private(n: &[u8], e: &[u8], d: &[u8], p: &[u8], q: &[u8]) -> Result<KeyMaterial> {
        // The public checks first, with the same messages.
        let KeyMaterial::Rsa(mut key) = KeyMaterial::rsa_public(n, e)? else {
            return Err(jwk_invalid("invalid RSA key"));
        };
        let (d, p, q) = (strip_zeros(d), strip_zeros(p), strip_zeros(q));
        checks::rsa_private(&key.n, &key.e, d, p, q)?;
        #[cfg(feature = "wasm-asym")]
        {
            let private =
                rsa::RsaPrivateKey::from_components(uint(&key.n), uint(&key.e), uint(d), vec![uint(p), uint(q)])
                    .map_err(|_| disagreement("RSA private key"))?;
            if private.to_public_key() != key.rc_public {
                return Err(jwk_invalid("RSA private key does not match its public key"));
            }
            key.rc_private = Some(private);
        }
        key.private = Some(RsaPrivateParts {
            d: Zeroizing::new(d.to_vec()),
            p: Zeroizing::new(p.to_vec()),
            q: Zeroizing::new(q.to_vec()),
        });
        Ok(KeyMaterial::Rsa(key))
    }

    /// Wraps an RSA private key produced by this crate (key generation), re-checking it.
    #[cfg(feature = "wasm-asym")]
    pub(crate) fn rsa_from_private(private: rsa::RsaPrivateKey) -> Result<KeyMaterial> {
        use rsa::traits::{PrivateKeyParts, PublicKeyParts};
        let be = |v: &rsa::BoxedUint| Zeroizing::new(v.to_be_bytes().to_vec());
        let (n, e, d) = (be(private.n()), be(private.e()), be(private.d()));
        let (Some(p), Some(q)) = (private.primes().first(), private.primes().get(1)) else {
            return Err(jwk_invalid("RSA key generation gave a key without two primes"));
        };
        KeyMaterial::rsa_private(&n, &e, &d, &be(p), &be(q))
    }

    /// An EC public key from a SEC1 point (uncompressed `04||x||y` or compressed). The point
    /// must be on the curve and not the identity.
    pub fn ec_public_sec1(curve: Curve, point: &[u8]) -> Result<KeyMaterial> {
        let bad = || jwk_invalid(format!("EC public key is not a valid point on {}", curve.name()));
        let (x, y) = checks::ec_point(curve, point).ok_or_else(bad)?;
        #[cfg(feature = "wasm-asym")]
        let rc = match curve {
            Curve::P256 => EcObjects::P256 {
                public: p256::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
            Curve::P384 => EcObjects::P384 {
                public: p384::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
            Curve::P521 => EcObjects::P521 {
                public: p521::ecdsa::VerifyingKey::from_sec1_bytes(point).map_err(|_| bad())?,
                private: None,
            },
        };
        Ok(KeyMaterial::Ec(EcKey {
            host_id: super::KeyId::fresh(),
            curve,
            x,
            y,
            d: None,
            #[cfg(feature = "wasm-asym")]
            rc,
        }))
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

    /// An EC private key from its scalar (exactly the field length, in [1, n-1]). Its public
    /// point is computed (full build) or derived by the host (slim build).
    pub fn ec_private(curve: Curve, d: &[u8]) -> Result<KeyMaterial> {
        let len = curve.field_len();
        if d.len() != len {
            return Err(jwk_invalid(format!("EC {} private key must be {len} bytes, got {}", curve.name(), d.len())));
        }
        let bad = || jwk_invalid(format!("EC private key is not a valid {} scalar", curve.name()));
        if !checks::ec_scalar(curve, d) {
            return Err(bad());
        }
        #[cfg(feature = "wasm-asym")]
        {
            macro_rules! derive {
                ($c:ident, $variant:ident) => {{
                    let sk = $c::ecdsa::SigningKey::from_slice(d).map_err(|_| bad())?;
                    let public = *sk.verifying_key();
                    let point = public.to_sec1_point(false);
                    (EcObjects::$variant { public, private: Some(sk) }, point.as_bytes().to_vec())
                }};
            }
            let (rc, point) = match curve {
                Curve::P256 => derive!(p256, P256),
                Curve::P384 => derive!(p384, P384),
                Curve::P521 => derive!(p521, P521),
            };
            let (x, y) = checks::ec_point(curve, &point).ok_or_else(bad)?;
            Ok(KeyMaterial::Ec(EcKey {
                host_id: super::KeyId::fresh(),
                curve,
                x,
                y,
                d: Some(Zeroizing::new(d.to_vec())),
                rc,
            }))
        }
        #[cfg(not(feature = "wasm-asym"))]
        {
            let pkcs8 = der_out::pkcs8_ec(curve, d, None);
            let PublicParts::Ec { curve: got, x, y } = derived_public(curve.alg(), &pkcs8)? else {
                return Err(jwk_invalid("the host derived a public key of another type"));
            };
            let KeyMaterial::Ec(mut key) = KeyMaterial::ec_public_xy(got, &x, &y)? else {
                return Err(jwk_invalid("the host derived a public key of another type"));
            };
            if got != curve {
                return Err(jwk_invalid("the host derived a public key on another curve"));
            }
            key.d = Some(Zeroizing::new(d.to_vec()));
            Ok(KeyMaterial::Ec(key))
        }
    }

    /// An EC private key whose input also carries the public point (a JWK's x and y, SEC1 or
    /// PKCS#8 with a publicKey): both are checked, and must belong together. The slim build asks
    /// the host to derive the point when it has a synchronous one; without, it keeps the given
    /// point unchecked against d (a host refuses such a key when it imports it to sign).
    pub fn ec_private_with_public(curve: Curve, d: &[u8], public: KeyMaterial) -> Result<KeyMaterial> {
        let mismatch = || jwk_invalid("EC private key does not match its public key");
        #[cfg(not(feature = "wasm-asym"))]
        if hostcall::host().is_none() {
            let len = curve.field_len();
            if d.len() != len || !checks::ec_scalar(curve, d) {
                return Err(jwk_invalid(format!("EC private key is not a valid {} scalar", curve.name())));
            }
            let KeyMaterial::Ec(mut key) = public else { return Err(mismatch()) };
            if key.curve != curve {
                return Err(mismatch());
            }
            key.d = Some(Zeroizing::new(d.to_vec()));
            return Ok(KeyMaterial::Ec(key));
        }
        let private = KeyMaterial::ec_private(curve, d)?;
        if private.public_parts() != public.public_parts() {
            return Err(mismatch());
        }
        Ok(private)
    }

    /// An Ed25519 private key whose input also carries the public key: as
    /// [`KeyMaterial::ec_private_with_public`].
    pub fn ed25519_private_with_public(seed: &[u8], public: KeyMaterial) -> Result<KeyMaterial> {
        let mismatch = || jwk_invalid("Ed25519 private key does not match its public key");
        #[cfg(not(feature = "wasm-asym"))]
        if hostcall::host().is_none() {
            let seed: &[u8; 32] = seed
                .try_into()
                .map_err(|_| jwk_invalid(format!("Ed25519 private key must be 32 bytes, got {}", seed.len())))?;
            let KeyMaterial::Ed25519(mut key) = public else { return Err(mismatch()) };
            key.seed = Some(Zeroizing::new(*seed));
            return Ok(KeyMaterial::Ed25519(key));
        }
        let private = KeyMaterial::ed25519_private(seed)?;
        if private.public_parts() != public.public_parts() {
            return Err(mismatch());
        }
        Ok(private)
    }

    /// An Ed25519 public key. Small-order ("weak") points are refused: no honest key is one,
    /// and `verify_strict` would reject every signature anyway.
    pub fn ed25519_public(x: &[u8]) -> Result<KeyMaterial> {
        let bytes: &[u8; 32] =
            x.try_into().map_err(|_| jwk_invalid(format!("Ed25519 public key must be 32 bytes, got {}", x.len())))?;
        if super::host::small_order(bytes) {
            return Err(jwk_invalid("Ed25519 public key is a small-order point"));
        }
        if !checks::ed25519_public(bytes) {
            return Err(jwk_invalid("Ed25519 public key is not a valid curve point"));
        }
        #[cfg(feature = "wasm-asym")]
        let rc_public = {
            let public =
                ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| disagreement("Ed25519 public key"))?;
            if public.is_weak() {
                return Err(disagreement("Ed25519 public key"));
            }
            public
        };
        Ok(KeyMaterial::Ed25519(Ed25519Key {
            host_id: super::KeyId::fresh(),
            x: *bytes,
            seed: None,
            #[cfg(feature = "wasm-asym")]
            rc_public,
            #[cfg(feature = "wasm-asym")]
            rc_private: None,
        }))
    }

    /// An Ed25519 private key from its 32-byte seed. Its public key is computed (full build)
    /// or derived by the host (slim build).
    pub fn ed25519_private(d: &[u8]) -> Result<KeyMaterial> {
        let seed: &[u8; 32] =
            d.try_into().map_err(|_| jwk_invalid(format!("Ed25519 private key must be 32 bytes, got {}", d.len())))?;
        #[cfg(feature = "wasm-asym")]
        {
            let private = ed25519_dalek::SigningKey::from_bytes(seed);
            let public = private.verifying_key();
            Ok(KeyMaterial::Ed25519(Ed25519Key {
                host_id: super::KeyId::fresh(),
                x: public.to_bytes(),
                seed: Some(Zeroizing::new(*seed)),
                rc_public: public,
                rc_private: Some(private),
            }))
        }
        #[cfg(not(feature = "wasm-asym"))]
        {
            let pkcs8 = der_out::pkcs8_ed25519(seed, None);
            let PublicParts::Ed25519 { x } = derived_public(Alg::EdDSA, &pkcs8)? else {
                return Err(jwk_invalid("the host derived a public key of another type"));
            };
            let KeyMaterial::Ed25519(mut key) = KeyMaterial::ed25519_public(&x)? else {
                return Err(jwk_invalid("the host derived a public key of another type"));
            };
            key.seed = Some(Zeroizing::new(*seed));
            Ok(KeyMaterial::Ed25519(key))
        }
    }

    /// Whether signing is possible (HMAC secrets count as private).
    pub fn is_private(&self) -> bool {
        match self {
            KeyMaterial::Secret(_) => true,
            KeyMaterial::Rsa(k) => k.private.is_some(),
            KeyMaterial::Ec(k) => k.d.is_some(),
            KeyMaterial::Ed25519(k) => k.seed.is_some(),
        }
    }

    /// The JWK `kty`.
    pub fn kty(&self) -> &'static str {
        match self {
            KeyMaterial::Secret(_) => "oct",
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::Ec(_) => "EC",
            KeyMaterial::Ed25519(_) => "OKP",
        }
    }

    /// The EC curve, if this is an EC key.
    pub fn curve(&self) -> Option<Curve> {
        match self {
            KeyMaterial::Ec(k) => Some(k.curve),
            _ => None,
        }
    }

    /// A short human name for messages: "secret", "RSA", "EC P-256", "Ed25519".
    pub fn kind_name(&self) -> &'static str {
        match self {
            KeyMaterial::Secret(_) => "secret",
            KeyMaterial::Rsa(_) => "RSA",
            KeyMaterial::Ec(EcKey { curve: Curve::P256, .. }) => "EC P-256",
            KeyMaterial::Ec(EcKey { curve: Curve::P384, .. }) => "EC P-384",
            KeyMaterial::Ec(EcKey { curve: Curve::P521, .. }) => "EC P-521",
            KeyMaterial::Ed25519(_) => "Ed25519",
        }
    }

    /// Whether this material can be used with `alg` at all (family and curve).
    pub fn supports(&self, alg: Alg) -> bool {
        use crate::alg::Family;
        match (self, alg.family()) {
            (KeyMaterial::Secret(_), Family::Hmac) => true,
            (KeyMaterial::Rsa(_), Family::RsaPkcs1 | Family::RsaPss) => true,
            (KeyMaterial::Ec(k), Family::Ecdsa) => k.curve.alg() == alg,
            (KeyMaterial::Ed25519(_), Family::EdDsa) => true,
            _ => false,
        }
    }

    /// The id under which a host caches this material's private key (asymmetric keys only).
    pub(crate) fn host_id(&self) -> Option<super::KeyId> {
        match self {
            KeyMaterial::Secret(_) => None,
            KeyMaterial::Rsa(k) => Some(k.host_id),
            KeyMaterial::Ec(k) => Some(k.host_id),
            KeyMaterial::Ed25519(k) => Some(k.host_id),
        }
    }

    /// The RSA modulus length in bytes (the length of every signature), if this is RSA.
    pub(crate) fn rsa_modulus_len(&self) -> Option<usize> {
        match self {
            KeyMaterial::Rsa(k) => Some(k.n.len()),
            _ => None,
        }
    }

    /// The public components; `None` for a secret, which has no public form.
    pub fn public_parts(&self) -> Option<PublicParts> {
        match self {
            KeyMaterial::Secret(_) => None,
            KeyMaterial::Rsa(k) => Some(PublicParts::Rsa { n: k.n.clone(), e: k.e.clone() }),
            KeyMaterial::Ec(k) => Some(PublicParts::Ec { curve: k.curve, x: k.x.clone(), y: k.y.clone() }),
            KeyMaterial::Ed25519(k) => Some(PublicParts::Ed25519 { x: k.x.to_vec() }),
        }
    }

    /// The public key as SPKI DER (what node:crypto / WebCrypto import as "spki").
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        Ok(match self {
            KeyMaterial::Secret(_) => return Err(crate::error::not_supported("a secret key has no public form")),
            KeyMaterial::Rsa(k) => der_out::spki_rsa(&k.n, &k.e),
            KeyMaterial::Ec(k) => der_out::spki_ec(k.curve, &k.x, &k.y),
            KeyMaterial::Ed25519(k) => der_out::spki_ed25519(&k.x),
        })
    }

    /// The private key as PKCS#8 DER for a host to import: as [`KeyMaterial::pkcs8_der`], except
    /// Ed25519 in version 1 (the seed alone), the only form OpenSSL 3 reads.
    pub(crate) fn host_pkcs8_der(&self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self {
            KeyMaterial::Ed25519(k) => Ok(k.seed.as_ref().map(|s| der_out::pkcs8_ed25519(s.as_ref(), None))),
            _ => self.pkcs8_der(),
        }
    }

    /// The private key as PKCS#8 DER (wiped on drop); `None` for public keys and secrets.
    pub fn pkcs8_der(&self) -> Result<Option<Zeroizing<Vec<u8>>>> {
        Ok(match self {
            KeyMaterial::Secret(_) => None,
            KeyMaterial::Rsa(k) => match &k.private {
                None => None,
                Some(pr) => {
                    let crt = checks::rsa_crt(&pr.d, &pr.p, &pr.q)
                        .ok_or_else(|| jwk_invalid("cannot encode private key: invalid RSA primes"))?;
                    Some(der_out::pkcs8_rsa(&k.n, &k.e, &pr.d, &pr.p, &pr.q, &crt))
                }
            },
            KeyMaterial::Ec(k) => k.d.as_ref().map(|d| der_out::pkcs8_ec(k.curve, d, Some((&k.x, &k.y)))),
            KeyMaterial::Ed25519(k) => k.seed.as_ref().map(|s| der_out::pkcs8_ed25519(s.as_ref(), Some(&k.x))),
        })
    }
}
