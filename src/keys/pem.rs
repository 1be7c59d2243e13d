//! PEM input (RFC 7468): SPKI "PUBLIC KEY", PKCS#1 "RSA PUBLIC KEY" / "RSA PRIVATE KEY",
//! PKCS#8 "PRIVATE KEY" and SEC1 "EC PRIVATE KEY". Everything else (certificates, encrypted
//! keys, other algorithms) is refused with a message that says what to pass instead. All RSA
//! and EC policy (sizes, curves, point validity) is applied by the `KeyMaterial` constructors.

use super::Key;
use crate::alg::{truncate, Alg};
use crate::crypto::{Curve, KeyMaterial};
use crate::error::{jwk_invalid, not_supported, Result};
use rsa::pkcs8::der::asn1::ObjectIdentifier;
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::{PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
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

/// The largest PEM document accepted, in bytes, checked before decoding. A 4096-bit RSA private
/// key is about 3.3 KiB of PEM; this leaves room for explanatory text and a certificate or two.
pub const MAX_PEM_SIZE: usize = 16 * 1024;

/// The longest PEM label taken for one; real labels ("ENCRYPTED PRIVATE KEY") are shorter.
const MAX_LABEL_LEN: usize = 32;

/// The label of the first `-----BEGIN <label>-----` line. Only a label closed on the BEGIN
/// line itself, in upper-case letters, digits and spaces, counts: a malformed BEGIN line runs
/// into the key body, and the label is shown in error messages, which must never carry key
/// material.
fn first_label(pem: &str) -> Option<&str> {
    let start = pem.find("-----BEGIN ")?.checked_add("-----BEGIN ".len())?;
    let line = pem.get(start..)?.lines().next()?;
    let label = line.get(..line.find("-----")?)?;
    let plain = label.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ');
    (plain && !label.is_empty() && label.len() <= MAX_LABEL_LEN).then_some(label)
}

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
        _ => "",
    };
    if name.is_empty() {
        not_supported(format!("key algorithm {} is not supported", truncate(oid, 40)))
    } else {
        not_supported(format!("{name} keys are not supported"))
    }
}

fn der_error(what: &str) -> impl Fn(rsa::pkcs8::der::Error) -> crate::error::Error + '_ {
    move |e| jwk_invalid(format!("malformed {what}: {e}"))
}

fn rsa_public_pkcs1(der: &[u8]) -> Result<KeyMaterial> {
    let key = rsa::pkcs1::RsaPublicKeyRef::from_der(der).map_err(der_error("PKCS#1 RSA public key"))?;
    KeyMaterial::rsa_public(key.modulus.as_bytes(), key.public_exponent.as_bytes())
}

fn rsa_private_pkcs1(der: &[u8]) -> Result<KeyMaterial> {
    let key = rsa::pkcs1::RsaPrivateKeyRef::from_der(der).map_err(der_error("PKCS#1 RSA private key"))?;
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

fn spki(der: &[u8]) -> Result<KeyMaterial> {
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

fn ec_sec1_private(der: &[u8]) -> Result<KeyMaterial> {
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

fn pkcs8(der: &[u8]) -> Result<KeyMaterial> {
    use rsa::pkcs8::DecodePrivateKey;
    let info = PrivateKeyInfoRef::from_der(der).map_err(der_error("PKCS#8 private key"))?;
    let oid = info.algorithm.oid.to_string();
    match oid.as_str() {
        OID_RSA => rsa_private_pkcs1(info.private_key.as_bytes()),
        OID_EC => {
            let curve_oid: ObjectIdentifier =
                info.algorithm.parameters_oid().map_err(|e| jwk_invalid(format!("malformed EC private key: {e}")))?;
            let curve = curve_from_oid(&curve_oid.to_string())?;
            let bad = |e: rsa::pkcs8::Error| jwk_invalid(format!("malformed EC private key: {e}"));
            let d = match curve {
                Curve::P256 => Zeroizing::new(p256::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
                Curve::P384 => Zeroizing::new(p384::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
                Curve::P521 => Zeroizing::new(p521::SecretKey::from_pkcs8_der(der).map_err(bad)?.to_bytes().to_vec()),
            };
            KeyMaterial::ec_private(curve, &d)
        }
        OID_ED25519 => {
            let sk = ed25519_dalek::SigningKey::from_pkcs8_der(der)
                .map_err(|e| jwk_invalid(format!("malformed Ed25519 private key: {e}")))?;
            let seed = Zeroizing::new(sk.to_bytes());
            KeyMaterial::ed25519_private(seed.as_ref())
        }
        other => Err(unsupported_algorithm(other)),
    }
}

impl Key {
    /// A key from a PEM document: `PUBLIC KEY` (SPKI: RSA, EC P-256/384/521, Ed25519),
    /// `RSA PUBLIC KEY`, `PRIVATE KEY` (PKCS#8), `RSA PRIVATE KEY` or `EC PRIVATE KEY`.
    ///
    /// Documents over [`MAX_PEM_SIZE`] bytes, certificates, encrypted keys and other labels are
    /// `ERR_JWK_INVALID` (the size before any decoding); supported labels
    /// holding unsupported algorithms (X25519, Ed448, ...) are `ERR_JOSE_NOT_SUPPORTED`. If
    /// `alg` is given it must fit the key type and curve, else `ERR_JWK_INVALID`.
    pub fn from_pem(pem: &str, alg: Option<Alg>, kid: Option<String>) -> Result<Key> {
        if pem.len() > MAX_PEM_SIZE {
            return Err(jwk_invalid(format!("PEM is {} bytes, more than the {MAX_PEM_SIZE} allowed", pem.len())));
        }
        let pem = pem.trim();
        let label = first_label(pem).ok_or_else(|| {
            jwk_invalid("not a PEM document: expected a line like -----BEGIN PUBLIC KEY----- before the key")
        })?;
        let label_shown = label.to_owned();
        match label {
            "PUBLIC KEY" | "RSA PUBLIC KEY" | "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {}
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                return Err(jwk_invalid(format!(
                    "PEM label {label_shown} is not supported; pass the public key (SPKI, \"-----BEGIN PUBLIC KEY-----\"), e.g. from `openssl x509 -pubkey -noout`"
                )))
            }
            "ENCRYPTED PRIVATE KEY" => {
                return Err(jwk_invalid(
                    "encrypted private keys are not supported; decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt`",
                ))
            }
            _ => {
                return Err(jwk_invalid(format!(
                    "PEM label {label_shown} is not supported; use PUBLIC KEY, RSA PUBLIC KEY, PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
                )))
            }
        }
        let (_, der) = rsa::pkcs8::der::pem::decode_vec(pem.as_bytes()).map_err(|e| {
            let hint = if pem.contains("Proc-Type") || pem.contains("DEK-Info") {
                "; encrypted PEM is not supported, decrypt the key first"
            } else {
                ""
            };
            jwk_invalid(format!("malformed PEM ({label_shown}): {e}{hint}"))
        })?;
        let der = Zeroizing::new(der);
        let material = match label {
            "PUBLIC KEY" => spki(&der)?,
            "RSA PUBLIC KEY" => rsa_public_pkcs1(&der)?,
            "PRIVATE KEY" => pkcs8(&der)?,
            "RSA PRIVATE KEY" => rsa_private_pkcs1(&der)?,
            _ => ec_sec1_private(&der)?,
        };
        Key::new(material, alg, kid)
    }
}
