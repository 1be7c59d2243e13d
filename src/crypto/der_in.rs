//! Key DER input: SPKI, PKCS#1 (RSA), PKCS#8 and SEC1, parsed with the `der`/`spki`/`pkcs8`/
//! `pkcs1`/`sec1` crates (structure only, no arithmetic) into [`KeyMaterial`], whose
//! constructors apply all size and curve policy. The full build reads EC and Ed25519 private
//! keys through the RustCrypto types, exactly as before the slim build existed; the slim build
//! reads their structure itself and leaves the one check it cannot do (that a private key and
//! its embedded public key belong together) to the host, when there is a synchronous one.

use super::{Curve, KeyMaterial};
use crate::alg::truncate;
use crate::error::{jwk_invalid, not_supported, Result};
use der::asn1::ObjectIdentifier;
use der::Decode;
use pkcs8::{PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
#[cfg(feature = "wasm-asym")]
use zeroize::Zeroizing;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";
const OID_P521: &str = "1.3.132.0.35";
const OID_ED25519: &str = "1.3.101.112";
const OID_X25519: &str = "1.3.101.110";
const OID_X448: &str = "1.3.101.111";
const OID_ED448: &str = "1.3.101.113";
const OID_DSA: &str = "1.2.840.10040.4.1";

fn curve_from_oid(oid: &str) -> Result<Curve> {
    match oid {
        OID_P256 => Ok(Curve::P256),
        OID_P384 => Ok(Curve::P384),
        OID_P521 => Ok(Curve::P521),
        other => {
            Err(not_supported(format!("EC curve {} is not supported; use P-256, P-384 or P-521", truncate(other, 40))))
        }
    }
}

fn unsupported_algorithm(oid: &str) -> crate::error::Error {
    let name = match oid {
        OID_X25519 => "X25519 (a key-agreement key)",
        OID_X448 => "X448 (a key-agreement key)",
        OID_ED448 => "Ed448",
        OID_RSA_PSS => "RSASSA-PSS-restricted RSA (id-RSASSA-PSS)",
        OID_DSA => "DSA",
        _ => "",
    };
    if name.is_empty() {
        not_supported(format!("key algorithm {} is not supported", truncate(oid, 40)))
    } else {
        not_supported(format!("{name} keys are not supported"))
    }
}

fn der_error(what: &str) -> impl Fn(der::Error) -> crate::error::Error + '_ {
    move |e| jwk_invalid(format!("malformed {what}: {e}"))
}

pub fn rsa_public_pkcs1(der: &[u8]) -> Result<KeyMaterial> {
    let key = pkcs1::RsaPublicKeyRef::from_der(der).map_err(der_error("PKCS#1 RSA public key"))?;
    KeyMaterial::rsa_public(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

pub fn rsa_private_pkcs1(der: &[u8]) -> Result<KeyMaterial> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(der_error("PKCS#1 RSA private key"))?;
    if key.other_prime_infos.is_some() {
        return Err(not_supported("multi-prime RSA keys are not supported"));
    }
    KeyMaterial::rsa_private(
        key.modulus.as_bytes(),
        key.public_exponent.as_bytes(),
        key.private_exponent.as_bytes(),
        key.prime1.as_bytes(),
        key.prime2.as_bytes(),
    )
}

pub fn spki(der: &[u8]) -> Result<KeyMaterial> {
    let info = SubjectPublicKeyInfoRef::from_der(der).map_err(der_error("SPKI public key"))?;
    let oid = info.algorithm.oid.to_string();
    let key_bytes = info
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| jwk_invalid("malformed SPKI public key: the key bit string is not whole bytes"))?;
    match oid.as_str() {
        OID_RSA => rsa_public_pkcs1(key_bytes),
        OID_EC => {
            let curve_oid: ObjectIdentifier =
                info.algorithm.parameters_oid().map_err(|e| jwk_invalid(format!("malformed EC public key: {e}")))?;
            KeyMaterial::ec_public_sec1(curve_from_oid(&curve_oid.to_string())?, key_bytes)
        }
        OID_ED25519 => KeyMaterial::ed25519_public(key_bytes),
        other => Err(unsupported_algorithm(other)),
    }
}

#[cfg(feature = "wasm-asym")]
pub fn ec_sec1_private(der: &[u8]) -> Result<KeyMaterial> {
    // The SEC1 structure names its curve (the crate checks the OID when present); the scalar
    // length settles it when absent, so trying the curves smallest first is unambiguous.
    macro_rules! attempt {
        ($curve:ident, $which:expr) => {
            if let Ok(sk) = $curve::SecretKey::from_sec1_der(der) {
                let d = Zeroizing::new(sk.to_bytes().to_vec());
                return KeyMaterial::ec_private($which, &d);
            }
        };
    }
    attempt!(p256, Curve::P256);
    attempt!(p384, Curve::P384);
    attempt!(p521, Curve::P521);
    Err(jwk_invalid(
        "malformed EC PRIVATE KEY, or not on P-256, P-384 or P-521 (or its embedded public key does not match)",
    ))
}

pub fn pkcs8(der: &[u8]) -> Result<KeyMaterial> {
    let info = PrivateKeyInfoRef::from_der(der).map_err(der_error("PKCS#8 private key"))?;
    let oid = info.algorithm.oid.to_string();
    match oid.as_str() {
        OID_RSA => rsa_private_pkcs1(info.private_key.as_bytes()),
        OID_EC => {
            let curve_oid: ObjectIdentifier =
                info.algorithm.parameters_oid().map_err(|e| jwk_invalid(format!("malformed EC private key: {e}")))?;
            let curve = curve_from_oid(&curve_oid.to_string())?;
            ec_pkcs8(curve, der, info.private_key.as_bytes())
        }
        OID_ED25519 => ed25519_pkcs8(der, &info),
        other => Err(unsupported_algorithm(other)),
    }
}

#[cfg(feature = "wasm-asym")]
fn ec_pkcs8(curve: Curve, der: &[u8], _sec1: &[u8]) -> Result<KeyMaterial> {
    use pkcs8::DecodePrivateKey;
    let bad = |e: pkcs8::Error| jwk_invalid(format!("malformed EC private key: {e}"));
    let d = match curve {
        Curve::P256 => Zeroizing::new(p256::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
        Curve::P384 => Zeroizing::new(p384::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
        Curve::P521 => Zeroizing::new(p521::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
    };
    KeyMaterial::ec_private(curve, &d)
}

#[cfg(feature = "wasm-asym")]
fn ed25519_pkcs8(der: &[u8], _info: &PrivateKeyInfoRef<'_>) -> Result<KeyMaterial> {
    use pkcs8::DecodePrivateKey;
    let sk = ed25519_dalek::SigningKey::from_pkcs8_der(der)
        .map_err(|e| jwk_invalid(format!("malformed Ed25519 private key: {e}")))?;
    let seed = Zeroizing::new(sk.to_bytes());
    KeyMaterial::ed25519_private(seed.as_ref())
}

/// The SEC1 ECPrivateKey body (inside PKCS#8, or alone): the scalar, left-padded to the field
/// length as the curve crates pad it, and the public point when present. `curve` is the
/// curve named outside (PKCS#8); the body's own parameters must agree with it.
#[cfg(not(feature = "wasm-asym"))]
fn ec_sec1_body(curve: Option<Curve>, der: &[u8]) -> Result<KeyMaterial> {
    let bad = || jwk_invalid("malformed EC private key");
    let key = sec1::EcPrivateKey::from_der(der).map_err(|e| jwk_invalid(format!("malformed EC private key: {e}")))?;
    let named = match key.parameters {
        Some(params) => {
            let oid = params.named_curve().ok_or_else(bad)?;
            Some(curve_from_oid(&oid.to_string())?)
        }
        None => None,
    };
    let curve = match (curve, named) {
        (Some(outer), Some(inner)) if outer != inner => return Err(bad()),
        (Some(c), _) | (None, Some(c)) => c,
        // No curve named anywhere: the scalar length settles it, smallest curve first.
        (None, None) => [Curve::P256, Curve::P384, Curve::P521]
            .into_iter()
            .find(|c| key.private_key.len() <= c.field_len())
            .ok_or_else(bad)?,
    };
    let len = curve.field_len();
    let pad = len.checked_sub(key.private_key.len()).ok_or_else(bad)?;
    let mut d = zeroize::Zeroizing::new(vec![0u8; pad]);
    d.extend_from_slice(key.private_key);
    match key.public_key {
        Some(point) => KeyMaterial::ec_private_with_public(curve, &d, KeyMaterial::ec_public_sec1(curve, point)?),
        None => KeyMaterial::ec_private(curve, &d),
    }
}

/// A SEC1 "EC PRIVATE KEY" document.
#[cfg(not(feature = "wasm-asym"))]
pub fn ec_sec1_private(der: &[u8]) -> Result<KeyMaterial> {
    ec_sec1_body(None, der)
}

#[cfg(not(feature = "wasm-asym"))]
fn ec_pkcs8(curve: Curve, _der: &[u8], sec1: &[u8]) -> Result<KeyMaterial> {
    ec_sec1_body(Some(curve), sec1)
}

/// Ed25519 PKCS#8 (RFC 8410): no algorithm parameters, the seed as an OCTET STRING inside the
/// private key OCTET STRING, and in version 2 the public key.
#[cfg(not(feature = "wasm-asym"))]
fn ed25519_pkcs8(_der: &[u8], info: &PrivateKeyInfoRef<'_>) -> Result<KeyMaterial> {
    let bad = || jwk_invalid("malformed Ed25519 private key");
    if info.algorithm.parameters.is_some() {
        return Err(bad());
    }
    let seed = match info.private_key.as_bytes() {
        [0x04, 0x20, rest @ ..] if rest.len() == 32 => rest,
        _ => return Err(bad()),
    };
    match info.public_key.as_ref() {
        Some(bits) => {
            let x = bits.as_bytes().filter(|x| x.len() == 32).ok_or_else(bad)?;
            KeyMaterial::ed25519_private_with_public(seed, KeyMaterial::ed25519_public(x)?)
        }
        None => KeyMaterial::ed25519_private(seed),
    }
}
